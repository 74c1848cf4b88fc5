/** Category items as DynamoDB holds them: plain values, and whether an item is whole (no partial write). */
import { parseStoredCategory } from '../../functions/categories/schema';
import type { Item } from '../tables';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An item's attributes as plain values (categories hold strings and numbers only; anything else stays typed). */
export function unmarshall(item: Item): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      value.S !== undefined ? value.S : value.N !== undefined ? Number(value.N) : value,
    ]),
  );
}

/** Every attribute a category item is written with, with its type: a missing one means a partial write. */
export function completeItemProblem(item: Item): string | undefined {
  const expected: Record<string, 'S' | 'N'> = {
    id: 'S',
    name: 'S',
    createdAt: 'S',
    updatedAt: 'S',
    version: 'N',
    createdBy: 'S',
    updatedBy: 'S',
    writeId: 'S',
  };
  for (const [name, type] of Object.entries(expected)) {
    if (item[name]?.[type] === undefined) return `attribute ${name} (${type}) missing`;
  }
  const plain = unmarshall(item);
  try {
    parseStoredCategory(plain);
  } catch (error) {
    return (error as Error).message;
  }
  if (!UUID.test(String(plain.id))) return `id ${String(plain.id)} is not a UUID`;
  if (Number.isNaN(Date.parse(String(plain.createdAt))) || Number.isNaN(Date.parse(String(plain.updatedAt))))
    return 'timestamps do not parse';
  return undefined;
}
