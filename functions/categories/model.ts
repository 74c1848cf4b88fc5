import type * as z from 'zod/mini';
import type { categorySchema } from './contract';

/**
 * A category as the API returns it: the wire schema of the function's contract (`contract.ts`), as a type.
 * Timestamps are ISO 8601 (UTC); `version` starts at 1 and is the ETag.
 */
export type Category = Readonly<z.infer<typeof categorySchema>>;

/**
 * A category as stored: the public fields plus audit attributes that are never returned. `writeId` identifies
 * the write that produced this state, so a write retried by the SDK after a lost response recognises itself.
 */
export interface CategoryRecord extends Category {
  readonly createdBy: string;
  readonly updatedBy: string;
  readonly writeId: string;
}

/** What a client may send (POST, and PUT as a full replacement). */
export interface CategoryInput {
  readonly name: string;
  readonly description?: string;
}

/** A category's key in the table (see `table-key.ts`), and where a page of the listing starts. */
export interface CategoryKey {
  readonly id: string;
}

/** Who is calling: the OAuth2 client of the access token. */
export interface Actor {
  readonly clientId: string;
}

/** The public view of a stored record (drops the audit attributes). */
export function toCategory(record: CategoryRecord): Category {
  return {
    id: record.id,
    name: record.name,
    ...(record.description === undefined ? {} : { description: record.description }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    version: record.version,
  };
}
