import type { CategoryRecord } from '../../functions/categories/model';
import { createCategory, deleteCategory, getCategory, replaceCategory } from '../../functions/categories/service';
import type { CategoryChanges, CategoryPage, CategoryStore } from '../../functions/categories/store';
import { InternalError, NotFoundError, PreconditionFailedError } from '../../functions/shared/errors';

/** An in-memory store with the same conditional semantics as the DynamoDB one, plus call counting. */
class MemoryStore implements CategoryStore {
  readonly items = new Map<string, CategoryRecord>();
  calls = 0;
  /** When set, `insert` reports the id as taken (as after a lost response, or a collision). */
  insertTaken = false;

  get(id: string) {
    this.calls += 1;
    return Promise.resolve(this.items.get(id));
  }
  list(): Promise<CategoryPage> {
    this.calls += 1;
    return Promise.resolve({ items: [...this.items.values()] });
  }
  insert(record: CategoryRecord) {
    this.calls += 1;
    if (this.insertTaken || this.items.has(record.id)) return Promise.resolve(false);
    this.items.set(record.id, record);
    return Promise.resolve(true);
  }
  update(id: string, changes: CategoryChanges, expected?: readonly number[]) {
    this.calls += 1;
    const current = this.items.get(id);
    if (current === undefined || (expected !== undefined && !expected.includes(current.version))) {
      return Promise.resolve(undefined);
    }
    const { description: _dropped, ...rest } = current;
    const next: CategoryRecord = { ...rest, ...changes, version: current.version + 1 };
    this.items.set(id, next);
    return Promise.resolve(next);
  }
  delete(id: string, expected?: readonly number[]) {
    this.calls += 1;
    const current = this.items.get(id);
    if (current === undefined || (expected !== undefined && !expected.includes(current.version))) {
      return Promise.resolve(false);
    }
    return Promise.resolve(this.items.delete(id));
  }
}

const actor = { clientId: 'client-a' };

describe('service', () => {
  it('malformed ids are a 404 without touching the store', async () => {
    const store = new MemoryStore();
    await expect(getCategory(store, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(replaceCategory(store, 'nope', { name: 'x' }, undefined, actor)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteCategory(store, 'nope', undefined)).rejects.toBeInstanceOf(NotFoundError);
    expect(store.calls).toBe(0);
  });

  it('a fresh id that is already taken by another write is an internal error, not a silent success', async () => {
    const store = new MemoryStore();
    store.insertTaken = true;
    await expect(createCategory(store, { name: 'x' }, actor)).rejects.toBeInstanceOf(InternalError);
  });

  it('If-Match with no usable tag is a 412 on an existing item and a 404 on a missing one, with no write', async () => {
    const store = new MemoryStore();
    const created = await createCategory(store, { name: 'x' }, actor);
    const none = { kind: 'versions', versions: [] } as const;
    await expect(replaceCategory(store, created.id, { name: 'y' }, none, actor)).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(deleteCategory(store, created.id, none)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(store.items.get(created.id)?.name).toBe('x');
    await expect(deleteCategory(store, '3b241101-e2bb-4255-8caf-4136c566a962', none)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('records who created and who last replaced', async () => {
    const store = new MemoryStore();
    const created = await createCategory(store, { name: 'x', description: 'd' }, actor);
    await replaceCategory(store, created.id, { name: 'y' }, { kind: 'any' }, { clientId: 'client-b' });
    expect(store.items.get(created.id)).toMatchObject({
      createdBy: 'client-a',
      updatedBy: 'client-b',
      version: 2,
      name: 'y',
    });
    expect(store.items.get(created.id)).not.toHaveProperty('description');
  });
});
