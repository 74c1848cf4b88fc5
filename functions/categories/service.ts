import { randomUUID } from 'node:crypto';
import { InternalError, NotFoundError, PreconditionFailedError } from '../shared/errors';
import type { IfMatch } from '../shared/etag';
import {
  toCategory,
  type Actor,
  type Category,
  type CategoryInput,
  type CategoryKey,
  type CategoryRecord,
} from './model';
import { isCategoryId, type ListQuery } from './schema';
import type { CategoryStore } from './store';

export interface CategoryList {
  readonly items: readonly Category[];
  /** Where the next page starts; absent on the last page. */
  readonly next?: CategoryKey;
}

function notFound(): NotFoundError {
  return new NotFoundError('Category not found.');
}

function preconditionFailed(): PreconditionFailedError {
  return new PreconditionFailedError('If-Match does not match the current version of the category.');
}

/** Ids that cannot exist (not a UUID) are a 404 without asking the store. */
export function assertCategoryId(id: string): void {
  if (!isCategoryId(id)) throw notFound();
}

/** `undefined` = no version condition (no If-Match, or `*`); otherwise the versions that may be overwritten. */
function expectedVersions(ifMatch: IfMatch | undefined): readonly number[] | undefined {
  return ifMatch === undefined || ifMatch.kind === 'any' ? undefined : ifMatch.versions;
}

/** After a failed conditional write: the item is gone (404) or at another version (412). */
async function conditionFailure(store: CategoryStore, id: string): Promise<never> {
  throw (await store.get(id)) === undefined ? notFound() : preconditionFailed();
}

export async function listCategories(store: CategoryStore, query: ListQuery): Promise<CategoryList> {
  const page = await store.list(query.limit, query.cursor);
  const items = page.items.map(toCategory);
  return page.lastKey === undefined ? { items } : { items, next: page.lastKey };
}

export async function getCategory(store: CategoryStore, id: string): Promise<Category> {
  assertCategoryId(id);
  const record = await store.get(id);
  if (record === undefined) throw notFound();
  return toCategory(record);
}

export async function createCategory(store: CategoryStore, input: CategoryInput, actor: Actor): Promise<Category> {
  const now = new Date().toISOString();
  const record: CategoryRecord = {
    id: randomUUID(),
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    createdAt: now,
    updatedAt: now,
    version: 1,
    createdBy: actor.clientId,
    updatedBy: actor.clientId,
    writeId: randomUUID(),
  };
  if (!(await store.insert(record))) {
    // The id is fresh, so the item can only be this very write, retried by the SDK after a lost response.
    const existing = await store.get(record.id);
    if (existing?.writeId !== record.writeId) {
      throw new InternalError({ cause: new Error(`Generated category id ${record.id} already exists`) });
    }
  }
  return toCategory(record);
}

/**
 * Full replacement of name and description. The version is incremented atomically by the write itself, so
 * concurrent replacements are serialised and each gets its own version (none is lost silently); with `If-Match`
 * the write is conditional on that version (optimistic locking) and a concurrent change makes it a 412.
 */
export async function replaceCategory(
  store: CategoryStore,
  id: string,
  input: CategoryInput,
  ifMatch: IfMatch | undefined,
  actor: Actor,
): Promise<Category> {
  assertCategoryId(id);
  const writeId = randomUUID();
  const updated = await store.update(
    id,
    {
      name: input.name,
      ...(input.description === undefined ? {} : { description: input.description }),
      updatedAt: new Date().toISOString(),
      updatedBy: actor.clientId,
      writeId,
    },
    expectedVersions(ifMatch),
  );
  if (updated !== undefined) return toCategory(updated);
  const current = await store.get(id);
  if (current === undefined) throw notFound();
  // This write landed on an earlier attempt whose response was lost; its retry then failed the condition.
  if (current.writeId === writeId) return toCategory(current);
  throw preconditionFailed();
}

export async function deleteCategory(store: CategoryStore, id: string, ifMatch: IfMatch | undefined): Promise<void> {
  assertCategoryId(id);
  const versions = expectedVersions(ifMatch);
  if (await store.delete(id, versions)) return;
  if (versions === undefined) throw notFound();
  await conditionFailure(store, id);
}
