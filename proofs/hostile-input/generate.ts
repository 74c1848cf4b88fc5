/** The hostile-input generator: picks a family of cases by weight, again and again, from a seeded PRNG. */
import { bodyCases } from './cases/body-cases';
import { caseKit, type CaseFamily } from './cases/case-kit';
import { cursorCases } from './cases/cursor-cases';
import { framingCases } from './cases/framing-cases';
import { headerCases } from './cases/header-cases';
import { pathCases } from './cases/path-cases';
import { queryCases } from './cases/query-cases';
import { tokenCases } from './cases/token-cases';
import { tokenEndpointCases } from './cases/token-endpoint-cases';
import type { HostileContext, HostileRequest } from './hostile-request';
import type { Random } from './random';

/** Each family of cases with its weight (the order is part of the seeded sequence). */
const FAMILIES: ReadonlyArray<readonly [number, CaseFamily]> = [
  [0.3, tokenCases],
  [0.2, bodyCases],
  [0.14, headerCases],
  [0.16, pathCases],
  [0.06, queryCases],
  [0.06, cursorCases],
  [0.04, framingCases],
  [0.04, tokenEndpointCases],
];

/**
 * The hostile requests, generated one at a time (large bodies are not all held at once) from `random`: the same
 * seed gives the same sequence of cases.
 */
export function* generateHostileRequests(
  context: HostileContext,
  random: Random,
  count: number,
): Generator<HostileRequest> {
  /** Generated, not yet handed out (a case may produce two requests). */
  const requests: HostileRequest[] = [];
  const kit = caseKit(context, random, (request) => {
    requests.push(request);
  });
  const total = FAMILIES.reduce((sum, [weight]) => sum + weight, 0);
  for (let produced = 0; produced < count; produced++) {
    while (requests.length === 0) {
      let roll = random() * total;
      for (const [weight, generate] of FAMILIES) {
        roll -= weight;
        if (roll < 0) {
          generate(kit);
          break;
        }
      }
    }
    yield requests.shift() as HostileRequest;
  }
}
