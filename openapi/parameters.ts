/** The parameters of an operation: its path's, its method's declared request parameters, and those its function reads. */
import type { OpenAPIV3_1 } from 'openapi-types';
import type { ParameterContract } from '../functions/shared/http-contract';
import type { MethodDefinition } from './rest-api';
import { zodSchema } from './schemas';

function parameterName(location: string, name: string): string {
  return location === 'header' ? name.toLowerCase() : name;
}

/** The parameters of a method: its path's, its declared request parameters, and those its function reads. */
export function parameters(
  method: MethodDefinition,
  contracted: readonly ParameterContract[],
): OpenAPIV3_1.ParameterObject[] {
  const found = new Map<string, OpenAPIV3_1.ParameterObject>();
  const add = (parameter: OpenAPIV3_1.ParameterObject): void => {
    const key = `${parameter.in} ${parameterName(parameter.in, parameter.name)}`;
    const known = found.get(key);
    found.set(key, known ? { ...known, ...parameter, required: known.required || parameter.required } : parameter);
  };
  for (const [, name] of method.path.matchAll(/\{([^}]+)\}/g)) {
    const greedy = name.endsWith('+');
    add({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(greedy && { description: 'One or more path segments (a greedy path variable)' }),
    });
  }
  for (const [key, required] of Object.entries(method.requestParameters)) {
    const match = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(key);
    if (!match || match[1] === 'path') continue;
    const location = match[1].endsWith('querystring') ? 'query' : 'header';
    add({ name: match[2], in: location, required, schema: { type: 'string' } });
  }
  for (const parameter of contracted) {
    add({
      name: parameter.name,
      in: parameter.in,
      description: parameter.description,
      required: parameter.in === 'path' || parameter.required === true,
      schema: zodSchema(parameter.schema) as OpenAPIV3_1.ParameterObject['schema'],
    });
  }
  return [...found.values()];
}
