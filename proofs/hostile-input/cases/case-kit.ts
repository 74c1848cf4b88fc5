/** What every family of hostile cases generates with: the context, the seeded dice, and a few shared helpers. */
import type { ScopeNames } from '../../support';
import type { HostileContext, HostileRequest } from '../hostile-request';
import { pick, uuid, type Random } from '../random';

export interface CaseKit {
  readonly context: HostileContext;
  readonly random: Random;
  /** `/<stage>`: where the API's routes start. */
  readonly stagePath: string;
  /** Hands a generated request out (a case may generate two). */
  readonly add: (request: HostileRequest) => void;
  /** The id of a category that exists. */
  readonly existing: () => string;
  /** A random UUID (of no category). */
  readonly missing: () => string;
  /** An existing id (60 %) or a missing one. */
  readonly someId: () => string;
}

/** One family of cases: generates one case (one or two requests) with `kit.add`. */
export type CaseFamily = (kit: CaseKit) => void;

export function caseKit(context: HostileContext, random: Random, add: (request: HostileRequest) => void): CaseKit {
  const existing = (): string => pick(random, context.existingIds);
  const missing = (): string => uuid(random);
  const someId = (): string => (random() < 0.6 ? existing() : missing());
  return { context, random, stagePath: `/${context.stage}`, add, existing, missing, someId };
}

/** The scope each method of the API needs. */
export const SCOPE_OF_METHOD: Readonly<Record<string, keyof ScopeNames>> = {
  GET: 'read',
  POST: 'write',
  PUT: 'update',
  DELETE: 'delete',
};

export const bearer = (token: string): string => `Bearer ${token}`;

export const contentTypeHeader = (type: string | undefined): Array<[string, string]> =>
  type === undefined ? [] : [['Content-Type', type]];
