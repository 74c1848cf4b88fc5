/**
 * What the clients of a mixed-load run do: create categories, and run the mix of operations (list, get, create,
 * replace with If-Match, delete with If-Match), holding every answer to the ledger's rules.
 */
import { performance } from 'node:perf_hooks';
import { prng } from '../../common/prng';
import { isCategory, type ListingPage } from '../category-json';
import type { Violations } from '../support';
import type { IdPool } from './id-pool';
import type { Ledger } from './ledger';
import type { MeasuredApi } from './measured-api';
import { operationOf, type Operation } from './operations';

/** What the clients share during a run. */
export interface LoadRun {
  readonly api: MeasuredApi;
  readonly ledger: Ledger;
  /** Categories the clients believe exist: what they pick to read. */
  readonly pool: IdPool;
  readonly violations: Violations;
  /** Categories the clients saw listed: each must have been acknowledged (checked after the run). */
  readonly listedDuringRun: Set<string>;
  readonly acknowledged: { creates: number; replaces: number; deletes: number };
}

/** How long and how many requests the clients may send, all together. */
export class RequestBudget {
  private issued = 0;

  constructor(
    private readonly deadline: number,
    private readonly maxRequests: number,
  ) {}

  /** Whether one more request may go (then counted as issued). */
  take(): boolean {
    if (!(performance.now() < this.deadline && this.issued < this.maxRequests)) return false;
    this.issued++;
    return true;
  }
}

const WORDS = [
  'Books',
  'Music',
  'Garden',
  'Tools',
  'Toys',
  'Kitchen',
  'Sports',
  'Travel',
  'Films',
  'Games',
  'Café',
  'Ünïcode',
  '書籍',
  '🎲 Dice',
];

/** POSTs a category named after `label`; its id once acknowledged. */
export async function createCategory(run: LoadRun, random: () => number, label: string): Promise<string | undefined> {
  const { api, ledger, violations } = run;
  const name = `${WORDS[Math.floor(random() * WORDS.length)]} ${label}`;
  const body = random() < 0.5 ? { name } : { name, description: `created by ${label}` };
  const answer = await api.call('create', 'POST', '/categories', 'write', { body });
  if (!api.measuring && answer.status !== 201) violations.add(`seeding: POST /categories answered ${answer.status}`);
  if (answer.status !== 201 || !isCategory(answer.body)) return undefined;
  const category = answer.body;
  if (ledger.has(category.id)) violations.add(`POST returned the id ${category.id} a second time`);
  if (category.version !== 1 || category.name !== name.trim() || category.description !== body.description) {
    violations.add(`POST stored ${JSON.stringify(category)} for ${JSON.stringify(body)}`);
  }
  if (answer.headers?.get('etag') !== `"${category.version}"`)
    violations.add(`POST ${category.id}: ETag ${answer.headers?.get('etag')}`);
  ledger.open(category.id);
  ledger.acknowledge(category.id, category, 'POST');
  run.acknowledged.creates++;
  run.pool.add(category.id);
  return category.id;
}

/** Client number `index` of a run seeded with `seed`: runs the mix until the budget is spent. */
export async function runClient(run: LoadRun, index: number, seed: number, budget: RequestBudget): Promise<void> {
  const { api, ledger, pool, violations } = run;
  const random = prng((seed * 7919 + index * 104_729) >>> 0);
  /** ETag of the client's last read (or write) of each category: what its PUT and DELETE send as If-Match. */
  const lastRead = new Map<string, string>();
  const remember = (id: string, version: number): void => {
    lastRead.delete(id);
    lastRead.set(id, `"${version}"`);
    if (lastRead.size > 64) lastRead.delete(lastRead.keys().next().value as string);
  };
  const pickRead = (): [string, string] | undefined => {
    if (lastRead.size === 0) return undefined;
    const entries = [...lastRead.entries()];
    return entries[Math.floor(random() * entries.length)];
  };
  let nextToken: string | undefined;
  let sequence = 0;

  while (budget.take()) {
    sequence++;
    let operation: Operation = operationOf(random());
    const target = operation === 'replace' || operation === 'delete' ? pickRead() : undefined;
    // Nothing read yet to send If-Match for: read first (counted as a read).
    if ((operation === 'replace' || operation === 'delete') && target === undefined) operation = 'get';

    switch (operation) {
      case 'list': {
        const follow = nextToken !== undefined && random() < 0.5;
        const limit = 1 + Math.floor(random() * 25);
        const query = `limit=${limit}${follow ? `&nextToken=${encodeURIComponent(nextToken as string)}` : ''}`;
        const answer = await api.call('list', 'GET', `/categories?${query}`, 'read');
        const body = answer.body as ListingPage;
        if (answer.status === 200 && Array.isArray(body?.items)) {
          nextToken = typeof body.nextToken === 'string' ? body.nextToken : undefined;
          if (body.items.length > limit)
            violations.add(`GET /categories?limit=${limit} returned ${body.items.length} items`);
          for (const item of body.items) {
            if (!isCategory(item)) {
              violations.add(`GET /categories returned a malformed item ${JSON.stringify(item).slice(0, 200)}`);
              continue;
            }
            // A category whose POST answer is still on its way may be listed already: checked after the run.
            run.listedDuringRun.add(item.id);
            const entry = ledger.get(item.id);
            if (!entry) continue;
            if (entry.deletedAt === undefined) pool.add(item.id);
            remember(item.id, item.version);
          }
        }
        break;
      }
      case 'get': {
        const id = pool.pick(random);
        if (id === undefined) {
          await createCategory(run, random, `c${index}-${sequence}`);
          break;
        }
        const readStarted = performance.now();
        const answer = await api.call('get', 'GET', `/categories/${id}`, 'read');
        ledger.checkRead(id, readStarted, answer);
        ledger.noteUnknown(id, answer);
        if (answer.status === 200 && isCategory(answer.body)) {
          if (answer.headers?.get('etag') !== `"${answer.body.version}"`)
            violations.add(`GET ${id}: ETag ${answer.headers?.get('etag')} for version ${answer.body.version}`);
          remember(id, answer.body.version);
        } else if (answer.status === 404) {
          pool.remove(id);
          lastRead.delete(id);
        }
        break;
      }
      case 'create': {
        const id = await createCategory(run, random, `c${index}-${sequence}`);
        if (id !== undefined) remember(id, 1);
        break;
      }
      case 'replace': {
        const [id, etag] = target as [string, string];
        const name = `${WORDS[Math.floor(random() * WORDS.length)]} c${index}-${sequence}`;
        const body = random() < 0.5 ? { name } : { name, description: `replaced by c${index}-${sequence}` };
        const answer = await api.call('replace', 'PUT', `/categories/${id}`, 'update', { body, ifMatch: etag });
        ledger.noteUnknown(id, answer);
        if (answer.status === 200 && isCategory(answer.body)) {
          const expected = Number(etag.slice(1, -1)) + 1;
          if (answer.body.version !== expected)
            violations.add(`PUT ${id} with If-Match ${etag} answered version ${answer.body.version}`);
          if (answer.body.name !== name || answer.body.description !== body.description)
            violations.add(`PUT ${id} stored ${JSON.stringify(answer.body)} for ${JSON.stringify(body)}`);
          ledger.acknowledge(id, answer.body, 'PUT');
          run.acknowledged.replaces++;
          remember(id, answer.body.version);
        } else {
          lastRead.delete(id);
          if (answer.status === 404) {
            pool.remove(id);
            if ((ledger.get(id)?.deleteAttempts ?? 0) === 0)
              violations.add(`PUT ${id} answered 404, but nobody tried to delete it`);
          }
        }
        break;
      }
      case 'delete': {
        const [id, etag] = target as [string, string];
        const entry = ledger.get(id);
        if (entry) entry.deleteAttempts++;
        const answer = await api.call('delete', 'DELETE', `/categories/${id}`, 'delete', { ifMatch: etag });
        ledger.noteUnknown(id, answer);
        lastRead.delete(id);
        if (answer.status === 204) {
          if (entry) {
            if (entry.deletedAt !== undefined) violations.add(`DELETE ${id} was acknowledged twice`);
            entry.deletedAt = performance.now();
          }
          run.acknowledged.deletes++;
          pool.remove(id);
        } else if (answer.status === 404) {
          pool.remove(id);
        }
        break;
      }
    }
  }
}
