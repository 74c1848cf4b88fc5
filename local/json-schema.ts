/**
 * JSON Schema (draft-04, the dialect of API Gateway models) validation of request bodies, by ajv.
 */
import Ajv from 'ajv-draft-04';
import { LocalStackError } from './errors';

/** Validates one parsed JSON value; returns the problems found (none when it is valid). */
export type ValidateFunction = (value: unknown) => string[];

export interface SchemaCompiler {
  compile(schema: unknown, where: string): ValidateFunction;
}

/** Compiles request-model schemas; a schema ajv cannot compile stops the start with the model's name. */
export function schemaCompiler(): SchemaCompiler {
  // Not strict: models may carry annotations (title, examples) that API Gateway ignores.
  const ajv = new Ajv({ allErrors: true, strict: false });
  return {
    compile(schema, where) {
      let validate: ReturnType<typeof ajv.compile>;
      try {
        validate = ajv.compile(schema as object);
      } catch (error) {
        throw new LocalStackError(`${where}: invalid JSON schema: ${(error as Error).message}`);
      }
      return (value) =>
        validate(value)
          ? []
          : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    },
  };
}
