/** The operations of the mixed workload: how often each runs, and what each may answer. */

export type Operation = 'list' | 'get' | 'create' | 'replace' | 'delete';

/** Share of each operation (cumulative thresholds are derived from these). */
export const MIX: Readonly<Record<Operation, number>> = {
  list: 0.25,
  get: 0.25,
  create: 0.2,
  replace: 0.2,
  delete: 0.1,
};

/** What each operation may answer without breaking a rule. */
export const ALLOWED: Readonly<Record<Operation, readonly number[]>> = {
  list: [200],
  get: [200, 404],
  create: [201],
  replace: [200, 404, 412],
  delete: [204, 404, 412],
};

/** The operation a roll of the dice in [0, 1) picks, by the shares of {@link MIX}. */
export function operationOf(roll: number): Operation {
  return roll < MIX.list
    ? 'list'
    : roll < MIX.list + MIX.get
      ? 'get'
      : roll < MIX.list + MIX.get + MIX.create
        ? 'create'
        : roll < 1 - MIX.delete
          ? 'replace'
          : 'delete';
}
