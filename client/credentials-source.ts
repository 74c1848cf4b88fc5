/**
 * Where a consumer's credentials come from: one small interface, {@link CredentialsSource}, and its sources — the
 * platform's Secrets Manager secret (`secrets-manager-credentials.ts`), a local file (the local stack's
 * `.local/stack.json`, or a JSON file in the secret's shape) and an environment variable holding the secret's JSON
 * (what ECS and other runtimes inject from a secret). Every source yields the hand-off document of
 * `contracts/consumer-credentials.ts`, checked by its schema.
 */
import * as fs from 'node:fs';
import { parseConsumerCredentials, type ConsumerCredentials } from '../contracts/consumer-credentials';
import { CredentialsSourceError } from './errors';

export type { ConsumerCredentials };

/** Loads a consumer's credentials. Each call reads the source again: load once and keep the result. */
export interface CredentialsSource {
  /** Where the credentials come from, for messages (never the credentials themselves). */
  readonly description: string;
  /** The credentials; a {@link CredentialsSourceError} naming the source when it has none, or none valid. */
  load(): Promise<ConsumerCredentials>;
}

/** Parses a secret-shaped JSON text, turning a refusal into a {@link CredentialsSourceError}. */
export function credentialsFrom(text: string, description: string): ConsumerCredentials {
  try {
    return parseConsumerCredentials(text, description);
  } catch (cause) {
    throw new CredentialsSourceError(description, (cause as Error).message, { cause });
  }
}

export interface EnvironmentCredentialsSourceOptions {
  /** The variable holding the secret's JSON. @default 'CONSUMER_CREDENTIALS' */
  readonly variable?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Credentials from an environment variable holding the secret's JSON, as ECS injects a Secrets Manager secret. */
export class EnvironmentCredentialsSource implements CredentialsSource {
  readonly description: string;
  private readonly variable: string;
  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(options: EnvironmentCredentialsSourceOptions = {}) {
    this.variable = options.variable ?? 'CONSUMER_CREDENTIALS';
    this.env = options.env ?? process.env;
    this.description = `environment variable ${this.variable}`;
  }

  load(): Promise<ConsumerCredentials> {
    return new Promise((resolve) => {
      const text = this.env[this.variable];
      if (text === undefined || text.trim() === '') {
        throw new CredentialsSourceError(
          this.description,
          `${this.description} is not set: set it to the JSON of the consumer's credentials secret.`,
        );
      }
      resolve(credentialsFrom(text, this.description));
    });
  }
}

export interface FileCredentialsSourceOptions {
  /** A JSON file: the local stack's `.local/stack.json`, or a file holding the secret's JSON. */
  readonly file: string;
  /** The consumer to take from `.local/stack.json` (required there); for a secret's file, checked against it. */
  readonly consumer?: string;
  /** The credential generation to take from `.local/stack.json`. @default its current one */
  readonly generation?: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Credentials from a local file: a consumer's entry in the local stack's `.local/stack.json` (with the stack's
 * token and API URLs), or a JSON file in the secret's shape.
 */
export class FileCredentialsSource implements CredentialsSource {
  readonly description: string;

  constructor(private readonly options: FileCredentialsSourceOptions) {
    this.description =
      options.consumer === undefined ? `file ${options.file}` : `${options.consumer} in ${options.file}`;
  }

  async load(): Promise<ConsumerCredentials> {
    const { file, consumer, generation } = this.options;
    const fail = (message: string): never => {
      throw new CredentialsSourceError(this.description, message);
    };
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
      throw new CredentialsSourceError(
        this.description,
        missing
          ? `${file} does not exist (for the local stack's, run \`npm start\` first).`
          : `${file} cannot be read: ${(cause as Error).message}`,
        { cause },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(`${file} is not JSON.`);
    }
    if (!isObject(json)) return fail(`${file} holds no credentials.`);
    if (!isObject(json.consumers)) {
      // A file in the secret's shape.
      const credentials = credentialsFrom(text, `file ${file}`);
      if (consumer !== undefined && credentials.consumer !== consumer) {
        fail(`${file} holds the credentials of ${credentials.consumer}, not ${consumer}.`);
      }
      return credentials;
    }
    // The local stack's stack.json: the consumer's entry, with the stack's URLs.
    const names = Object.keys(json.consumers);
    if (consumer === undefined || !isObject(json.consumers[consumer])) {
      return fail(
        `${consumer === undefined ? 'Name the consumer' : `${file} has no consumer "${consumer}"`}: ` +
          `its consumers are ${names.join(', ') || 'none'}.`,
      );
    }
    const entry = json.consumers[consumer];
    const wanted = generation ?? entry.generation;
    const generations = isObject(entry.generations) ? entry.generations : {};
    const chosen = generations[String(wanted)];
    if (!isObject(chosen)) {
      return fail(`${consumer} has no generation ${String(wanted)} (live: ${Object.keys(generations).join(', ')}).`);
    }
    const document = {
      version: 1,
      consumer,
      generation: wanted,
      clientId: chosen.clientId,
      clientSecret: chosen.clientSecret,
      tokenUrl: json.tokenUrl,
      apiUrl: json.apiUrl,
      scopes: chosen.scopes,
      ...(chosen.apiKey !== undefined && { apiKey: chosen.apiKey }),
    };
    return credentialsFrom(JSON.stringify(document), this.description);
  }
}
