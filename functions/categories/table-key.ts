/**
 * Key schema of the categories table: a string partition key `id`, no sort key. The stack creates the table with
 * it and the store reads and writes by it (a contract module: no runtime dependencies, cheap for stacks/ to import).
 */
export const CATEGORY_TABLE_KEY = { partitionKey: 'id', type: 'S' } as const;
