import { startCategoriesApi, type ApiResponse, type CategoriesApi, type CategoryBody } from './categories-harness';

const RACERS = 30;

let api: CategoriesApi;
beforeAll(async () => {
  api = await startCategoriesApi('categories-races');
});
afterAll(async () => {
  await api.stop();
});

function byStatus(responses: ApiResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

const replace = (id: string, name: string, headers: Record<string, string> = {}) =>
  api.call({ method: 'PUT', path: `/categories/${id}`, body: { name, description: `written by ${name}` }, headers });

describe('concurrent writes', () => {
  it(`${RACERS} PUTs with the same If-Match: exactly one wins, the rest are 412, the store holds the winner`, async () => {
    const created = await api.create('Contended');
    const responses = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => replace(created.id, `racer-${i}`, { 'If-Match': '"1"' })),
    );
    expect(byStatus(responses)).toEqual({ 200: 1, 412: RACERS - 1 });
    const winner = responses.find((response) => response.status === 200) as ApiResponse;
    expect(winner.body).toMatchObject({ version: 2 });
    expect(winner.headers.etag).toBe('"2"');
    const stored = await api.call({ method: 'GET', path: `/categories/${created.id}` });
    expect(stored.body).toEqual(winner.body);
  });

  it(`${RACERS} PUTs without If-Match: none is lost silently (distinct versions, final = 1 + successes)`, async () => {
    const created = await api.create('Unconditional');
    const responses = await Promise.all(Array.from({ length: RACERS }, (_, i) => replace(created.id, `writer-${i}`)));
    const successes = responses
      .filter((response) => response.status === 200)
      .map((response) => response.body as CategoryBody);
    expect(responses.every((response) => response.status === 200 || response.status === 412)).toBe(true);
    expect(successes.length).toBeGreaterThan(0);
    const versions = successes.map((category) => category.version);
    expect(new Set(versions).size).toBe(successes.length);
    for (const success of successes) expect(success.description).toBe(`written by ${success.name}`);
    const final = (await api.call({ method: 'GET', path: `/categories/${created.id}` })).body as CategoryBody;
    expect(final.version).toBe(1 + successes.length);
    // The stored state is the write that got the last version, whole (no mix of two writes).
    const last = successes.find((category) => category.version === final.version);
    expect(final).toEqual(last);
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: successes.length }, (_, i) => i + 2));
  });

  it('PUT and DELETE racing on the same If-Match: exactly one succeeds', async () => {
    const created = await api.create('Put or delete');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? replace(created.id, `put-${i}`, { 'If-Match': '"1"' })
          : api.call({ method: 'DELETE', path: `/categories/${created.id}`, headers: { 'If-Match': '"1"' } }),
      ),
    );
    const wins = responses.filter((response) => response.status === 200 || response.status === 204);
    expect(wins).toHaveLength(1);
    const losers = responses.filter((response) => response.status !== 200 && response.status !== 204);
    // After a delete wins the others see the item gone (404); after a PUT wins they see another version (412).
    const expected = wins[0].status === 204 ? [404, 412] : [412];
    for (const loser of losers) expect(expected).toContain(loser.status);
    const after = await api.call({ method: 'GET', path: `/categories/${created.id}` });
    if (wins[0].status === 204) expect(after.status).toBe(404);
    else expect(after.body).toEqual(wins[0].body);
  });

  it(`${RACERS} DELETEs: one 204, the rest 404`, async () => {
    const created = await api.create('Deleted once');
    const responses = await Promise.all(
      Array.from({ length: RACERS }, () => api.call({ method: 'DELETE', path: `/categories/${created.id}` })),
    );
    expect(byStatus(responses)).toEqual({ 204: 1, 404: RACERS - 1 });
  });

  it(`${RACERS} POSTs create ${RACERS} distinct categories`, async () => {
    const before = (await api.tableItems()).length;
    const created = await Promise.all(Array.from({ length: RACERS }, (_, i) => api.create(`parallel-${i}`)));
    expect(new Set(created.map((category) => category.id)).size).toBe(RACERS);
    expect((await api.tableItems()).length).toBe(before + RACERS);
  });
});
