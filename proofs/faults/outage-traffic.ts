/**
 * The requests of the outage scenario: the load (every client posts, lists, reads and updates its own category,
 * until told to stop) and one probe per route while DynamoDB is down. Every answer is recorded for the checks.
 */
import { performance } from 'node:perf_hooks';
import { round } from '../../common/statistics';
import type { ApiAnswer } from '../api-call';
import type { CategoryJson } from '../category-json';
import type { OutageApi } from './outage-api';
import type { OutageProbe } from './outage-result';
import type { Owned, SeededCategories } from './outage-seed';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long the load may run at most, whatever happens. */
export const MAX_PHASE_MS = 15_000;

export interface RecordedAnswer {
  /** What the request was, e.g. `list` or `probe GET /categories`. */
  readonly op: string;
  readonly answer: ApiAnswer;
  readonly postName?: string;
}

export interface RecordedPost {
  readonly name: string;
  readonly answer: ApiAnswer;
}

/** Every request of the scenario so far. */
export interface Traffic {
  readonly answers: RecordedAnswer[];
  /** The POSTs among them, by the name they would store. */
  readonly posts: RecordedPost[];
}

export interface RunningLoad {
  readonly traffic: Traffic;
  /** Tells the clients to stop, and waits until they have. */
  stop(): Promise<void>;
}

/** Starts `clients` clients (each with its {@link Owned} category); they run until stopped (at most 2 × {@link MAX_PHASE_MS}). */
export function startLoad(call: OutageApi, seeded: SeededCategories, clients: number): RunningLoad {
  const { stable, owned } = seeded;
  const traffic: Traffic = { answers: [], posts: [] };
  const { answers, posts } = traffic;
  let stopLoad = false;
  const loadDeadline = performance.now() + MAX_PHASE_MS * 2;
  const client = async (index: number): Promise<void> => {
    const mine: Owned = owned[index];
    let n = 0;
    while (!stopLoad && performance.now() < loadDeadline && answers.length < 20_000) {
      n++;
      const next = (['post', 'list', 'get', 'put'] as const)[n % 4];
      // After a PUT with an unknown outcome, the client reads its category again before its next PUT.
      const op = next === 'put' && mine.resync ? 'resync' : next;
      if (op === 'post') {
        const name = `During the run ${index}-${n}`;
        const answer = await call('/categories', { method: 'POST', body: { name } });
        answers.push({ op, answer, postName: name });
        posts.push({ name, answer });
      } else if (op === 'list') {
        answers.push({ op, answer: await call('/categories?limit=5') });
      } else if (op === 'get') {
        answers.push({ op, answer: await call(`/categories/${stable[n % stable.length]}`) });
      } else if (op === 'resync') {
        const answer = await call(`/categories/${mine.id}`);
        answers.push({ op, answer });
        if (answer.status === 200) {
          const category = answer.body as CategoryJson;
          mine.known = { version: category.version, name: category.name };
          mine.uncertain.length = 0;
          mine.resync = false;
        }
      } else {
        const name = `Client ${index} update ${n}`;
        const answer = await call(`/categories/${mine.id}`, {
          method: 'PUT',
          body: { name },
          ifMatch: `"${mine.known.version}"`,
        });
        answers.push({ op, answer });
        if (answer.status === 200) {
          const category = answer.body as CategoryJson;
          mine.known = { version: category.version, name: category.name };
          mine.uncertain.length = 0;
        } else {
          mine.uncertain.push({ version: mine.known.version + 1, name });
          mine.resync = true;
        }
      }
      await sleep(2);
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  return {
    traffic,
    stop: async () => {
      stopLoad = true;
      await running;
    },
  };
}

/** One request per route, one after the other (recorded with the load's); `id` names an existing category. */
export async function probeEveryRoute(
  call: OutageApi,
  id: string | undefined,
  traffic: Traffic,
): Promise<OutageProbe[]> {
  const probes: OutageProbe[] = [];
  for (const [route, method, path, body, ifMatch] of [
    ['GET /categories', 'GET', '/categories', undefined, undefined],
    ['POST /categories', 'POST', '/categories', { name: 'Probe while down' }, undefined],
    ['GET /categories/{id}', 'GET', `/categories/${id}`, undefined, undefined],
    ['PUT /categories/{id}', 'PUT', `/categories/${id}`, { name: 'Probe while down' }, '"1"'],
    ['DELETE /categories/{id}', 'DELETE', `/categories/${id}`, undefined, '"1"'],
  ] as const) {
    const answer = await call(path, { method, body, ifMatch });
    traffic.answers.push({
      op: `probe ${route}`,
      answer,
      postName: method === 'POST' ? 'Probe while down' : undefined,
    });
    if (method === 'POST') traffic.posts.push({ name: 'Probe while down', answer });
    probes.push({
      route,
      status: answer.status,
      retryAfter: answer.headers?.get('retry-after') ?? null,
      ms: round(answer.ended - answer.started),
    });
  }
  return probes;
}
