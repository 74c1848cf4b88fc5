/**
 * The data written before the outage: untouched categories (one of them updated twice), and one category per
 * client for it to update during the run.
 */
import type { CategoryJson } from '../category-json';
import type { OutageApi } from './outage-api';

/** A category one client updates during the run, and what it knows of it. */
export interface Owned {
  id: string;
  /** Last state the API acknowledged or a successful read showed. */
  known: { version: number; name: string };
  /** PUTs whose outcome is unknown (503 or no answer) since `known`. */
  readonly uncertain: Array<{ version: number; name: string }>;
  resync: boolean;
}

export interface SeededCategories {
  /** Written before the outage and never touched by the load's writes: they must come out unchanged. */
  readonly stable: readonly string[];
  /** One per client. */
  readonly owned: readonly Owned[];
}

export async function seedCategories(call: OutageApi, clients: number): Promise<SeededCategories> {
  const stable: string[] = [];
  for (let i = 0; i < 10; i++) {
    const created = await call('/categories', {
      method: 'POST',
      body: { name: `Before the outage ${i + 1}`, description: 'must survive' },
    });
    if (created.status !== 201) throw new Error(`seeding failed: ${created.status} ${created.text}`);
    stable.push((created.body as CategoryJson).id);
  }
  const updated = stable[0];
  for (const [version, name] of [
    [1, 'Updated once'],
    [2, 'Updated twice'],
  ] as const) {
    const answer = await call(`/categories/${updated}`, { method: 'PUT', body: { name }, ifMatch: `"${version}"` });
    if (answer.status !== 200) throw new Error(`seeding update failed: ${answer.status} ${answer.text}`);
  }
  const owned: Owned[] = [];
  for (let i = 0; i < clients; i++) {
    const created = await call('/categories', { method: 'POST', body: { name: `Owned by client ${i}` } });
    if (created.status !== 201) throw new Error(`seeding failed: ${created.status}`);
    owned.push({
      id: (created.body as CategoryJson).id,
      known: { version: 1, name: `Owned by client ${i}` },
      uncertain: [],
      resync: false,
    });
  }
  return { stable, owned };
}
