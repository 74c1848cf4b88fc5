/**
 * The JSON Schemas of the document, all in OpenAPI 3.1's dialect (JSON Schema 2020-12): API Gateway models (written
 * in draft-04) converted, the functions' zod schemas rendered, and gateway-response templates read for the shape
 * of the body they render.
 */
import { draft2020 } from 'json-schema-migrate';
import * as z from 'zod/mini';
import { renderTemplate } from '../common/api-gateway-responses';

export type JsonSchema = { readonly [keyword: string]: unknown } | boolean;

/** How API Gateway addresses a model from another: `https://apigateway.amazonaws.com/restapis/<api>/models/<name>`. */
const MODEL_REFERENCE = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;

/** Replaces `$ref`s to other models of the API with references to their component schemas. */
function referencingComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(referencingComponents);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const model = key === '$ref' && typeof item === 'string' ? MODEL_REFERENCE.exec(item) : null;
      return [key, model ? `#/components/schemas/${model[1]}${model[2] ?? ''}` : referencingComponents(item)];
    }),
  );
}

/**
 * An API Gateway model's schema (JSON Schema draft-04, "Data models for REST APIs") in the 2020-12 dialect, by
 * json-schema-migrate: `id` → `$id`, boolean `exclusiveMinimum`/`exclusiveMaximum` → numbers, `dependencies` →
 * `dependentRequired`/`dependentSchemas`, array `items` → `prefixItems`, one-value `enum` → `const`. Its `$schema`
 * goes: the migration would name draft 2019-09 (json-schema-migrate 2.0.0 writes that for draft2020), and without
 * one a schema in the document is read in the document's dialect, 2020-12 (OpenAPI 3.1, "Specifying Schema
 * Dialects").
 */
export function modelSchema(draft04: unknown): JsonSchema {
  const schema = referencingComponents(structuredClone(draft04));
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return true;
  draft2020(schema);
  const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
  return rest;
}

/** A zod schema as JSON Schema 2020-12 (what the value is on the wire: zod's output). */
export function zodSchema(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' });
  return rest;
}

/**
 * Named zod schemas as JSON Schemas 2020-12, one naming another by `reference(name)` where it nests it. Their
 * `$id`s go: zod sets each to its reference, a fragment, which 2020-12 does not allow in `$id`.
 */
export function zodSchemas(
  named: ReadonlyMap<string, z.ZodMiniType>,
  reference: (name: string) => string,
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of named) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'output', uri: reference });
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _dialect, $id: _id, ...rest }]) => [name, rest]),
  );
}

/** Stands for a substitution while a template is read: a private-use character, which no template writes. */
const SUBSTITUTED = '\uE000';

/** The shape of a rendered value: literals stay literal (`const`), substituted strings are strings. */
function shapeOf(value: unknown): JsonSchema {
  if (typeof value === 'string') return value.includes(SUBSTITUTED) ? { type: 'string' } : { const: value };
  if (Array.isArray(value)) return { type: 'array', prefixItems: value.map(shapeOf), items: false };
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return {
      type: 'object',
      properties: Object.fromEntries(entries.map(([key, item]) => [key, shapeOf(item)])),
      required: entries.map(([key]) => key),
      additionalProperties: false,
    };
  }
  return { const: value };
}

/**
 * The schema of the JSON body a gateway-response template renders, or `undefined` when the template does not
 * render JSON whatever its substitutions hold. `$context.error.messageString` renders a quoted JSON string; every
 * other substitution renders inside the string that holds it ("Gateway responses for REST APIs in API Gateway").
 */
export function templateBodySchema(template: string): JsonSchema | undefined {
  const substitutions = new Proxy<Record<string, string>>(
    {},
    { get: (_target, name) => (name === 'error.messageString' ? `"${SUBSTITUTED}"` : SUBSTITUTED) },
  );
  try {
    return shapeOf(JSON.parse(renderTemplate(template, substitutions)));
  } catch {
    return undefined;
  }
}
