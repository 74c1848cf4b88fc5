/**
 * The data after the outage: complete items only; everything written before is intact; each client's category is
 * at a state its acknowledged (or unknown) writes explain; acknowledged POSTs are stored once, POSTs refused while
 * DynamoDB was down are not, and nothing else is stored.
 */
import type { Violations } from '../support';
import type { Item } from '../tables';
import type { OutageWindow } from './outage-answers';
import type { PostFigures } from './outage-result';
import type { Owned } from './outage-seed';
import type { RecordedPost } from './outage-traffic';
import { completeItemProblem, unmarshall } from './stored-items';

/** The untouched categories as they were stored before the outage, by id (as JSON). */
export function storedBefore(itemsBefore: readonly Item[], stableIds: ReadonlySet<string>): Map<string, string> {
  return new Map(
    itemsBefore
      .filter((item) => stableIds.has(item.id?.S as string))
      .map((item) => [item.id?.S as string, JSON.stringify(unmarshall(item))]),
  );
}

export interface DataBefore {
  readonly stableIds: ReadonlySet<string>;
  /** See {@link storedBefore}. */
  readonly stableBefore: ReadonlyMap<string, string>;
  readonly owned: readonly Owned[];
}

export function checkStoredData(
  itemsAfter: readonly Item[],
  before: DataBefore,
  posts: readonly RecordedPost[],
  window: Pick<OutageWindow, 'downAt' | 'restartCalled'>,
  violations: Violations,
): PostFigures {
  const { stableIds, stableBefore, owned } = before;
  for (const item of itemsAfter) {
    const problem = completeItemProblem(item);
    if (problem) violations.add(`partial or malformed item ${JSON.stringify(item).slice(0, 200)}: ${problem}`);
  }
  const byId = new Map(itemsAfter.map((item) => [item.id?.S as string, unmarshall(item)]));
  const byName = new Map<string, number>();
  for (const item of byId.values()) byName.set(String(item.name), (byName.get(String(item.name)) ?? 0) + 1);
  for (const [id, was] of stableBefore) {
    const after = byId.get(id);
    if (!after) violations.add(`category ${id}, written before the outage, is gone`);
    else if (JSON.stringify(after) !== was)
      violations.add(`category ${id}, written before the outage, changed: ${JSON.stringify(after)} (was ${was})`);
  }
  for (const mine of owned) {
    const item = byId.get(mine.id);
    if (!item) {
      violations.add(`category ${mine.id} (updated during the run) is gone`);
      continue;
    }
    const explained =
      (item.version === mine.known.version && item.name === mine.known.name) ||
      mine.uncertain.some((u) => u.version === item.version && u.name === item.name);
    if (!explained)
      violations.add(
        `category ${mine.id} is at version ${String(item.version)} "${String(item.name)}", last acknowledged ${JSON.stringify(mine.known)}`,
      );
  }
  let acknowledged = 0;
  let refusedDuringOutage = 0;
  let ambiguous = 0;
  let ambiguousPresent = 0;
  const explainedNames = new Set<string>();
  for (const { name, answer } of posts) {
    const present = byName.get(name) ?? 0;
    explainedNames.add(name);
    if (present > 1) violations.add(`POST "${name}" is stored ${present} times`);
    if (answer.status === 201) {
      acknowledged++;
      if (present === 0) violations.add(`POST "${name}" was acknowledged (201) but is not stored`);
    } else if (answer.started >= window.downAt && answer.ended <= window.restartCalled) {
      refusedDuringOutage++;
      if (present > 0) violations.add(`POST "${name}", refused while DynamoDB was down, is stored`);
    } else {
      // Under way when DynamoDB stopped or restarted: either outcome is correct, as long as the item is whole.
      ambiguous++;
      if (present > 0) ambiguousPresent++;
    }
  }
  for (const item of byId.values()) {
    const id = String(item.id);
    if (!stableIds.has(id) && !owned.some((o) => o.id === id) && !explainedNames.has(String(item.name))) {
      violations.add(`category ${id} "${String(item.name)}" was stored by no request of the run`);
    }
  }
  if (refusedDuringOutage === 0)
    violations.add('no POST was refused while DynamoDB was down: the outage was not exercised');
  return { acknowledged, refusedDuringOutage, ambiguous, ambiguousPresent };
}
