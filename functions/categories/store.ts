import type { CategoryKey, CategoryRecord } from './model';

/** One page of a scan. `lastKey` is where the next page starts (exclusive); absent on the last page. */
export interface CategoryPage {
  readonly items: readonly CategoryRecord[];
  readonly lastKey?: CategoryKey;
}

/** The fields a replacement writes. A missing `description` removes it. */
export interface CategoryChanges {
  readonly name: string;
  readonly description?: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly writeId: string;
}

/**
 * Persistence of categories: single-item conditional writes only (no transactions), so any DynamoDB-compatible
 * endpoint will do. Conditional writes report failure with `false`/`undefined`; telling "gone" from "changed"
 * is the caller's job (re-read the item).
 */
export interface CategoryStore {
  /** Strongly consistent read; `undefined` when there is no such item. */
  get(id: string): Promise<CategoryRecord | undefined>;

  /** Up to `limit` items after `startKey`, in the table's (unspecified) order. */
  list(limit: number, startKey?: CategoryKey): Promise<CategoryPage>;

  /** Writes a new item unless one with the same id exists; `false` if it did. */
  insert(record: CategoryRecord): Promise<boolean>;

  /**
   * Replaces name/description of an existing item and increments its version atomically, if the item exists and
   * (when given) its version is one of `expectedVersions`. Returns the new state, or `undefined` if the
   * condition failed.
   */
  update(
    id: string,
    changes: CategoryChanges,
    expectedVersions?: readonly number[],
  ): Promise<CategoryRecord | undefined>;

  /** Deletes an existing item if (when given) its version is one of `expectedVersions`; `false` if not. */
  delete(id: string, expectedVersions?: readonly number[]): Promise<boolean>;
}
