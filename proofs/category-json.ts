/** A category as the API answers it. */
export interface CategoryJson {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly version: number;
}

export function isCategory(value: unknown): value is CategoryJson {
  const v = value as Partial<CategoryJson> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    Number.isInteger(v.version)
  );
}

/** A page of the listing as the API answers it (unchecked). */
export type ListingPage = { items?: unknown[]; nextToken?: string } | undefined;
