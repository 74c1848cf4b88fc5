import { ValidationError } from '../../functions/shared/errors';
import {
  decodeCursor,
  encodeCursor,
  isCategoryId,
  parseCategoryInput,
  parseListQuery,
  parseStoredCategory,
} from '../../functions/categories/schema';

function validationDetails(run: () => unknown): Array<{ field: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...((error as ValidationError).details ?? [])];
  }
  throw new Error('expected a ValidationError');
}

describe('parseCategoryInput', () => {
  it('trims the name and keeps the description verbatim', () => {
    expect(parseCategoryInput({ name: '  Books\t', description: '  Line one\n\tLine two  ' })).toEqual({
      name: 'Books',
      description: '  Line one\n\tLine two  ',
    });
  });

  it('leaves description out when absent', () => {
    expect(parseCategoryInput({ name: 'Books' })).toEqual({ name: 'Books' });
    expect(Object.keys(parseCategoryInput({ name: 'Books' }))).toEqual(['name']);
  });

  it('measures after trimming and in code points', () => {
    expect(parseCategoryInput({ name: ` ${'a'.repeat(100)} ` }).name).toHaveLength(100);
    expect(validationDetails(() => parseCategoryInput({ name: 'a'.repeat(101) }))).toEqual([
      { field: 'name', message: 'must be at most 100 characters' },
    ]);
    expect(parseCategoryInput({ name: 'n', description: '👍'.repeat(1000) }).description).toHaveLength(2000);
    expect(validationDetails(() => parseCategoryInput({ name: 'n', description: '👍'.repeat(1001) }))).toEqual([
      { field: 'description', message: 'must be at most 1000 characters' },
    ]);
  });

  it('allows an empty description but not an empty name', () => {
    expect(parseCategoryInput({ name: 'n', description: '' })).toEqual({ name: 'n', description: '' });
    expect(validationDetails(() => parseCategoryInput({ name: '' }))).toEqual([
      { field: 'name', message: 'must not be empty or blank' },
    ]);
  });

  it('rejects control characters in names, and all but tab/CR/LF in descriptions', () => {
    expect(validationDetails(() => parseCategoryInput({ name: 'a\nb' }))).toEqual([
      { field: 'name', message: 'must not contain control characters' },
    ]);
    expect(validationDetails(() => parseCategoryInput({ name: 'a', description: 'x\u001by' }))[0]?.field).toBe(
      'description',
    );
    expect(parseCategoryInput({ name: 'a', description: 'x\r\ny\tz' }).description).toBe('x\r\ny\tz');
  });

  it('reports one message per field, sorted by field', () => {
    expect(validationDetails(() => parseCategoryInput({ version: 2, name: 3, zeta: 1, description: 4 }))).toEqual([
      { field: 'description', message: expect.stringContaining('must be a string') },
      { field: 'name', message: expect.stringContaining('must be a string') },
      { field: 'version', message: 'is read-only' },
      { field: 'zeta', message: 'is not a recognised field' },
    ]);
  });
});

describe('cursor', () => {
  const id = '3b241101-e2bb-4255-8caf-4136c566a962';

  it('round-trips and is URL-safe', () => {
    const token = encodeCursor({ id });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token)).toEqual({ id });
  });

  it('refuses anything that is not exactly a token this API issued', () => {
    const token = encodeCursor({ id });
    for (const bad of [`${token}=`, `${token}A`, token.slice(0, -1), token.toLowerCase(), ' ', '=', `${token} `]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });
});

describe('parseListQuery', () => {
  it('defaults to 20 and accepts 1..100', () => {
    expect(parseListQuery(null, null)).toEqual({ limit: 20 });
    expect(parseListQuery({ limit: '1' }, { limit: ['1'] })).toEqual({ limit: 1 });
    expect(parseListQuery({ limit: '100' }, { limit: ['100'] })).toEqual({ limit: 100 });
  });

  it('decodes the cursor', () => {
    const id = '3b241101-e2bb-4255-8caf-4136c566a962';
    const nextToken = encodeCursor({ id });
    expect(parseListQuery({ nextToken }, { nextToken: [nextToken] })).toEqual({ limit: 20, cursor: { id } });
  });

  it('treats a parameter named __proto__ as unknown', () => {
    const query = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    expect(validationDetails(() => parseListQuery(query, null))).toEqual([
      { field: '__proto__', message: 'is not a recognised query parameter' },
    ]);
  });
});

describe('isCategoryId', () => {
  it('accepts lower-case UUIDs only', () => {
    expect(isCategoryId('3b241101-e2bb-4255-8caf-4136c566a962')).toBe(true);
    expect(isCategoryId('3B241101-E2BB-4255-8CAF-4136C566A962')).toBe(false);
    expect(isCategoryId('3b241101e2bb42558caf4136c566a962')).toBe(false);
    expect(isCategoryId(undefined)).toBe(false);
  });
});

describe('parseStoredCategory', () => {
  it('keeps audit attributes and rejects malformed items', () => {
    const item = {
      id: 'i',
      name: 'n',
      createdAt: 'c',
      updatedAt: 'u',
      version: 3,
      createdBy: 'a',
      updatedBy: 'b',
      writeId: 'w',
    };
    expect(parseStoredCategory(item)).toEqual(item);
    expect(() => parseStoredCategory({ ...item, version: 0 })).toThrow(/version/);
    expect(() => parseStoredCategory({ ...item, name: undefined })).toThrow(/name/);
  });
});
