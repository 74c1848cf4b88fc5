/**
 * The API Gateway API keys of a synthesized stack (`aws_api_gateway_api_key`): their ids and values, as the local
 * stack gives them. A key without a `value` gets one generated, as API Gateway generates it, kept with the data
 * (`credentials-store.ts`) so it survives restarts.
 */
import type { SynthesizedStackConfig } from '../synth/stack-json';
import type { CredentialsStore } from './credentials-store';
import { LocalStackError } from './errors';
import { stableId, type ReferenceResolver } from './reference-resolver';

export interface LocalApiKey {
  readonly address: string;
  /** Stable for the stack and resource, like API Gateway's 10-character key ids. */
  readonly id: string;
  readonly name: string;
  /** What clients send as `x-api-key`. */
  readonly value: string;
  /** A disabled key is refused like an unknown one. @default true */
  readonly enabled: boolean;
}

/** API key values are 20 to 128 characters ("Usage plans and API keys for REST APIs" in the developer guide). */
const VALUE_LENGTH = { min: 20, max: 128 } as const;

/**
 * Reads every API key of the stack and registers how their computed attributes resolve locally (`id`, `value`,
 * `arn`). Refuses what API Gateway refuses at deployment: a value of the wrong length, two keys with one value.
 */
export function describeApiKeys(
  stack: SynthesizedStackConfig,
  resolver: ReferenceResolver,
  store: CredentialsStore,
): LocalApiKey[] {
  const keys = stack.resources('aws_api_gateway_api_key').map((key): LocalApiKey => {
    const where = key.address;
    const value =
      key.config.value === undefined ? store.apiKeyValue(where) : resolver.string(key.config.value, `${where}.value`);
    if (value.length < VALUE_LENGTH.min || value.length > VALUE_LENGTH.max) {
      throw new LocalStackError(
        `${where}: an API key value has ${VALUE_LENGTH.min} to ${VALUE_LENGTH.max} characters; this one has ` +
          `${value.length} (API Gateway refuses it). Set another value, or none to have one generated.`,
      );
    }
    return {
      address: where,
      id: stableId(`${stack.name}/${where}`, 10),
      name: key.config.name === undefined ? key.name : resolver.string(key.config.name, `${where}.name`),
      value,
      enabled: key.config.enabled !== false,
    };
  });
  const byValue = new Map<string, LocalApiKey>();
  for (const key of keys) {
    const other = byValue.get(key.value);
    if (other) {
      throw new LocalStackError(
        `${key.address} and ${other.address} have the same value; API Gateway keeps key values unique ` +
          '(ConflictException). Give one of them another value.',
      );
    }
    byValue.set(key.value, key);
  }
  const byAddress = new Map(keys.map((key) => [key.address, key]));
  resolver.register('aws_api_gateway_api_key', (resource, attribute) => {
    const key = byAddress.get(resource.address);
    if (attribute === 'id') return key?.id;
    if (attribute === 'value') return key?.value;
    if (attribute === 'arn') return key && `arn:aws:apigateway:${stack.region}::/apikeys/${key.id}`;
    return undefined;
  });
  return keys;
}
