/**
 * JSON Schema (draft-04, the dialect API Gateway models use) of the body of POST /categories and
 * PUT /categories/{id}. API Gateway checks it before the function runs; the function's zod schema
 * (`schema.ts`) checks the same body again, in detail, naming each bad field.
 *
 * The model is never stricter than the function: it refuses what the function refuses for certain
 * (not an object, `name` missing or not a string, a field other than `name` and `description`), and
 * leaves the finer rules (trimmed length, characters) to the function, so no valid body is ever refused.
 */
export const CATEGORY_INPUT_MODEL = {
  name: 'CategoryInput',
  schema: {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: 'CategoryInput',
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
    },
  },
} as const;
