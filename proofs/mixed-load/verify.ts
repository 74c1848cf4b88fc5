/**
 * After a mixed-load run: every category the clients saw listed was acknowledged, every acknowledged write is
 * readable with its latest acknowledged version and content, and the listing holds exactly what the acknowledged
 * writes leave.
 */
import { isCategory, type ListingPage } from '../category-json';
import type { LedgerEntry } from './ledger';
import type { Verification } from './result';
import type { LoadRun } from './workload';

/** Checks what the run left (unmeasured requests, `readers` at a time for the reads one by one). */
export async function verifyAcknowledgedWrites(run: LoadRun, readers: number): Promise<Verification> {
  const { api, ledger, violations } = run;
  for (const id of run.listedDuringRun) {
    if (!ledger.has(id)) violations.add(`GET /categories listed ${id} during the run, but no POST acknowledged it`);
  }

  // Every acknowledged write must be readable now, one by one (a few at a time)...
  const ids = ledger.ids();
  let live = 0;
  let deleted = 0;
  let cursor = 0;
  const verifier = async (): Promise<void> => {
    while (cursor < ids.length) {
      const id = ids[cursor++];
      const entry = ledger.get(id) as LedgerEntry;
      const answer = await api.call('get', 'GET', `/categories/${id}`, 'read');
      if (entry.deletedAt !== undefined) {
        deleted++;
        if (answer.status !== 404)
          violations.add(`after the run: ${id} was deleted (acknowledged) but GET answered ${answer.status}`);
        continue;
      }
      live++;
      if (answer.status !== 200 || !isCategory(answer.body)) {
        violations.add(`after the run: acknowledged category ${id} is not readable (GET answered ${answer.status})`);
        continue;
      }
      const { version } = answer.body;
      const latest = entry.latestVersion;
      if (version < latest || (version > latest && entry.unknownOutcomes === 0)) {
        violations.add(
          `after the run: ${id} is at version ${version}, the latest acknowledged write made version ${latest}`,
        );
      }
      const content = entry.versions.get(version);
      if (
        version === latest &&
        content &&
        (content.name !== answer.body.name || content.description !== answer.body.description)
      ) {
        violations.add(
          `after the run: ${id} holds ${JSON.stringify(answer.body)}, not the acknowledged ${JSON.stringify(content)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: readers }, verifier));

  // ...and the listing must hold exactly the categories the acknowledged writes leave.
  const listed = new Map<string, number>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const answer = await api.call(
      'list',
      'GET',
      `/categories?limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
      'read',
    );
    const body = answer.body as ListingPage;
    if (answer.status !== 200 || !Array.isArray(body?.items)) {
      violations.add(`after the run: listing page ${pages + 1} answered ${answer.status}`);
      break;
    }
    for (const item of body.items) if (isCategory(item)) listed.set(item.id, (listed.get(item.id) ?? 0) + 1);
    nextToken = body.nextToken;
    pages++;
  } while (nextToken !== undefined && pages < 1000);
  for (const [id, times] of listed) {
    const entry = ledger.get(id);
    if (times > 1) violations.add(`after the run: ${id} is listed ${times} times`);
    if (!entry) violations.add(`after the run: ${id} is listed, but no acknowledged POST created it`);
    else if (entry.deletedAt !== undefined)
      violations.add(`after the run: ${id} is listed after its acknowledged DELETE`);
  }
  for (const [id, entry] of ledger.all()) {
    if (entry.deletedAt === undefined && !listed.has(id))
      violations.add(`after the run: acknowledged category ${id} is missing from the listing`);
  }

  return { checked: ids.length, live, deleted, listed: listed.size };
}
