/** The tables as they stand, to prove that the hostile requests changed nothing. */
import type { Violations } from '../support';
import { scanTables, type Item } from '../tables';

/** Every item of every table, sorted: what must not change. */
export async function snapshotTables(endpoint: string): Promise<Record<string, Item[]>> {
  const snapshot: Record<string, Item[]> = {};
  for (const [table, items] of await scanTables(endpoint)) {
    snapshot[table] = items
      .map((item) => JSON.stringify(item, Object.keys(item).sort()))
      .sort()
      .map((json) => JSON.parse(json) as Item);
  }
  return snapshot;
}

/** Items in a snapshot, all tables together. */
export function itemCount(snapshot: Readonly<Record<string, Item[]>>): number {
  return Object.values(snapshot).reduce((sum, items) => sum + items.length, 0);
}

/** Whether two snapshots are equal; each item that differs is a violation. */
export function sameData(
  before: Readonly<Record<string, Item[]>>,
  after: Readonly<Record<string, Item[]>>,
  violations: Violations,
): boolean {
  const dataUnchanged = JSON.stringify(after) === JSON.stringify(before);
  if (!dataUnchanged) {
    const describe = (snapshot: Readonly<Record<string, Item[]>>): string[] =>
      Object.values(snapshot)
        .flat()
        .map((item) => JSON.stringify(item));
    const was = new Set(describe(before));
    const now = new Set(describe(after));
    for (const item of now)
      if (!was.has(item)) violations.add(`data changed: new or modified item ${item.slice(0, 300)}`);
    for (const item of was)
      if (!now.has(item)) violations.add(`data changed: item gone or modified ${item.slice(0, 300)}`);
  }
  return dataUnchanged;
}
