/**
 * The consumers of a synthesized stack, as `.local/stack.json` lists them: read from the stack's `consumers`
 * output (consumer → `current_generation`, `client_ids` and, with usage plans, `api_key_ids` by generation) — the
 * same JSON a deployment reads, not the registry's code — with the local credentials of each generation's app client
 * and API key.
 */
import { resourceAttribute } from '../synth/references';
import type { SynthesizedStackConfig } from '../synth/stack-json';
import type { LocalApiKey } from './api-keys';
import type { LocalClient } from './cognito';
import { LocalStackError } from './errors';

/** One credential generation of a consumer. */
export interface ConsumerGeneration {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The full scopes its app client may request (a token request without `scope` gets all of them). */
  readonly scopes: readonly string[];
  /** The API key to send as `x-api-key`, where the stage has usage plans. */
  readonly apiKey?: string;
}

/** A consumer: its current generation's credentials, and every live generation (two while it rotates). */
export interface LocalConsumer extends ConsumerGeneration {
  /** The current (highest) generation, whose credentials are above. */
  readonly generation: number;
  /** Every live generation by number, the current one included. */
  readonly generations: Readonly<Record<string, ConsumerGeneration>>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every consumer of the stack's `consumers` output, by name; none when the stack has no such output. */
export function describeConsumers(
  stack: SynthesizedStackConfig,
  clients: readonly LocalClient[],
  apiKeys: readonly LocalApiKey[],
): Record<string, LocalConsumer> {
  const output = stack.json.output?.consumers?.value;
  if (output === undefined) return {};
  const wrong = (what: string): LocalStackError =>
    new LocalStackError(`${stack.name}: output "consumers" ${what}; the local stack reads it to list the consumers.`);
  if (!isObject(output)) throw wrong('is not an object of consumers');
  const consumers: Record<string, LocalConsumer> = {};
  for (const [name, entry] of Object.entries(output)) {
    if (!isObject(entry) || !isObject(entry.client_ids)) throw wrong(`has no client_ids for "${name}"`);
    const keyIds = isObject(entry.api_key_ids) ? entry.api_key_ids : {};
    const generations: Record<string, ConsumerGeneration> = {};
    for (const generation of Object.keys(entry.client_ids).sort((a, b) => Number(a) - Number(b))) {
      const clientRef = resourceAttribute(entry.client_ids[generation]);
      const client = clients.find((c) => c.address === `${clientRef?.type}.${clientRef?.name}`);
      if (!client || client.clientSecret === undefined) {
        throw wrong(`names no app client with a secret for "${name}" generation ${generation}`);
      }
      const keyRef = resourceAttribute(keyIds[generation]);
      const apiKey = keyRef && apiKeys.find((key) => key.address === `${keyRef.type}.${keyRef.name}`);
      if (keyRef && !apiKey) throw wrong(`names no API key for "${name}" generation ${generation}`);
      generations[generation] = {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        scopes: client.allowedScopes,
        ...(apiKey && { apiKey: apiKey.value }),
      };
    }
    const current = generations[String(entry.current_generation)];
    if (!current) throw wrong(`gives "${name}" a current_generation that is not among its client_ids`);
    consumers[name] = { ...current, generation: Number(entry.current_generation), generations };
  }
  return consumers;
}
