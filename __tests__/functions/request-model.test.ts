import Ajv from 'ajv-draft-04';
import { CATEGORY_INPUT_MODEL } from '../../functions/categories/request-model';
import { parseCategoryInput } from '../../functions/categories/schema';
import { prng } from '../../common/prng';

/**
 * API Gateway validates POST/PUT bodies against CATEGORY_INPUT_MODEL before the function runs, and the function
 * validates them again with its zod schema. The model must never refuse a body the function accepts, and must
 * refuse the structurally wrong ones before they cost an invocation.
 */
const validateModel = new Ajv({ allErrors: true }).compile(CATEGORY_INPUT_MODEL.schema);

function functionAccepts(body: unknown): boolean {
  try {
    parseCategoryInput(body);
    return true;
  } catch {
    return false;
  }
}

const random = prng(Number(process.env.FUZZ_SEED ?? 20261126));
const int = (max: number): number => Math.floor(random() * max);
const pick = <T>(values: readonly T[]): T => values[int(values.length)];

const STRINGS = [
  '',
  ' ',
  'a',
  '  padded  ',
  'ünïcødé',
  '😀'.repeat(100),
  'x'.repeat(100),
  'x'.repeat(101),
  'tab\there',
  'line\nbreak',
  '\u0000',
  '\ud800',
  'y'.repeat(1000),
  'y'.repeat(1001),
];
const VALUES: readonly unknown[] = [...STRINGS, 0, 1.5, -1, true, false, null, [], ['a'], {}, { name: 'x' }];
const FIELDS = ['name', 'description', 'id', 'version', 'createdAt', 'updatedAt', 'extra', 'Name', '__proto__'];

function randomBody(): unknown {
  if (random() < 0.1) return pick(VALUES);
  const body: Record<string, unknown> = {};
  if (random() < 0.85) body.name = random() < 0.8 ? pick(STRINGS) : pick(VALUES);
  if (random() < 0.5) body.description = random() < 0.8 ? pick(STRINGS) : pick(VALUES);
  if (random() < 0.15) Object.defineProperty(body, pick(FIELDS), { value: pick(VALUES), enumerable: true });
  return body;
}

describe('the API Gateway request model of category bodies', () => {
  it('is a draft-04 schema API Gateway accepts', () => {
    expect(CATEGORY_INPUT_MODEL.schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(CATEGORY_INPUT_MODEL.name).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('never refuses a body the function accepts, over 5000 generated bodies', () => {
    let accepted = 0;
    let refusedByModel = 0;
    for (let i = 0; i < 5000; i++) {
      const body = JSON.parse(JSON.stringify(randomBody() ?? null)) as unknown;
      const modelAccepts = validateModel(body);
      if (functionAccepts(body)) {
        accepted++;
        expect({ body, modelAccepts }).toEqual({ body, modelAccepts: true });
      }
      if (!modelAccepts) refusedByModel++;
    }
    // The generator reaches both sides.
    expect(accepted).toBeGreaterThan(500);
    expect(refusedByModel).toBeGreaterThan(500);
  });

  it.each([
    ['a missing name', { description: 'd' }],
    ['a name that is not a string', { name: 42 }],
    ['an empty name', { name: '' }],
    ['a read-only field', { name: 'n', id: 'x' }],
    ['an unknown field', { name: 'n', colour: 'red' }],
    ['a description that is not a string', { name: 'n', description: ['d'] }],
    ['an array', [{ name: 'n' }]],
    ['a string', 'name'],
  ])('refuses %s before the function runs, as the function would', (_, body) => {
    expect(validateModel(body)).toBe(false);
    expect(functionAccepts(body)).toBe(false);
  });
});
