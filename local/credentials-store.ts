/**
 * The secrets the local stack makes up — app client ids and secrets, API key values, the user pools' signing keys —
 * kept with the data, so a restart serves the same credentials and accepts the tokens it issued before, as a
 * deployed stack does. One JSON file next to the DynamoDB data folder (`.local/data-credentials.json`), readable
 * by its owner only; nothing is written with `--in-memory`.
 *
 * Entries are keyed by stack and Terraform resource address — the identity Terraform keeps a resource's id by — and
 * follow the stack's `moved` blocks. What a start does not ask for (a removed app client, API key or pool) is
 * dropped when the store is saved; what it asks for and the file lacks is generated.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import { writeAtomically } from '../common/write-atomically';
import type { SynthesizedStackConfig } from '../synth/stack-json';
import { LocalStackError } from './errors';

const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of `length` characters of `alphabet` (rejection sampling: every character equally likely). */
export function randomString(length: number, alphabet = LOWER_ALPHANUMERIC): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** What Cognito's look like: 26 lower-case letters and digits for an app client id, 51 for its secret. */
const newClientId = (): string => randomString(26);
const newClientSecret = (): string => randomString(51);
/** What API Gateway generates: 40 letters and digits. */
const newApiKeyValue = (): string => randomString(40, BASE62);

const clientSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1).optional() });
const signingKeySchema = z.object({ kid: z.string().min(1), privateJwk: z.record(z.string(), z.unknown()) });
const stackSchema = z.object({
  clients: z.record(z.string(), clientSchema).default({}),
  apiKeys: z.record(z.string(), z.object({ value: z.string().min(1) })).default({}),
  signingKeys: z.record(z.string(), signingKeySchema).default({}),
});
const fileSchema = z.object({ version: z.literal(1), stacks: z.record(z.string(), stackSchema) });

type StackEntries = z.infer<typeof stackSchema>;
type StoreFile = z.infer<typeof fileSchema>;

export interface StoredClient {
  readonly clientId: string;
  /** Only for clients that have one (`generate_secret`). */
  readonly clientSecret: string | undefined;
}

/** A user pool's RS256 signing key: its key id and the private key as a JWK (which holds the public part too). */
export interface StoredSigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
}

/** Where the signing keys of the local Cognito's user pools come from, and go to when new. */
export interface SigningKeyStore {
  signingKey(poolAddress: string): StoredSigningKey | undefined;
  setSigningKey(poolAddress: string, key: StoredSigningKey): void;
}

/** The credentials file that goes with a DynamoDB data folder: `<data folder>-credentials.json`, beside it. */
export function credentialsFileFor(dataDir: string): string {
  return `${path.resolve(dataDir)}-credentials.json`;
}

/** The made-up secrets of one stack, loaded from the credentials file (or none, in memory). */
export class CredentialsStore implements SigningKeyStore {
  private readonly used: Required<StackEntries> = { clients: {}, apiKeys: {}, signingKeys: {} };

  private constructor(
    private readonly file: string | undefined,
    private readonly stackName: string,
    private readonly content: StoreFile,
    private readonly known: StackEntries,
  ) {}

  /**
   * Opens the store of `stack` in `file` (created on {@link save} when missing); `undefined` keeps everything in
   * memory. A file the local stack did not write is refused, naming it, rather than overwritten.
   */
  static open(file: string | undefined, stack: SynthesizedStackConfig): CredentialsStore {
    const content = file === undefined ? { version: 1 as const, stacks: {} } : readStoreFile(file);
    return CredentialsStore.withEntries(file, stack, content, content.stacks[stack.name]);
  }

  private static withEntries(
    file: string | undefined,
    stack: SynthesizedStackConfig,
    content: StoreFile,
    entries: StackEntries | undefined,
  ): CredentialsStore {
    const known: StackEntries = {
      clients: { ...entries?.clients },
      apiKeys: { ...entries?.apiKeys },
      signingKeys: { ...entries?.signingKeys },
    };
    // A resource Terraform moves keeps its id and secret: so does its entry here.
    for (const { from, to } of stack.json.moved ?? []) {
      for (const entries of [known.clients, known.apiKeys, known.signingKeys] as Record<string, unknown>[]) {
        if (from in entries && !(to in entries)) {
          entries[to] = entries[from];
          delete entries[from];
        }
      }
    }
    return new CredentialsStore(file, stack.name, content, known);
  }

  /**
   * The store for a new synthesis of the same stack (a reload of the running stack): every entry this one knows or
   * handed out is known to it, so the same resources keep their client ids, secrets, API keys and signing keys,
   * in memory as on file. Entries of resources the new stack no longer has are dropped at its {@link save}.
   */
  successor(stack: SynthesizedStackConfig): CredentialsStore {
    const known: StackEntries = {
      clients: { ...this.known.clients, ...this.used.clients },
      apiKeys: { ...this.known.apiKeys, ...this.used.apiKeys },
      signingKeys: { ...this.known.signingKeys, ...this.used.signingKeys },
    };
    return CredentialsStore.withEntries(this.file, stack, this.content, known);
  }

  /** Where the store is kept; `undefined` in memory. */
  get location(): string | undefined {
    return this.file;
  }

  /** The app client's id (and secret, when `withSecret`): the stored ones, else new ones. */
  client(address: string, withSecret: boolean): StoredClient {
    const stored = this.known.clients[address];
    const clientId = stored?.clientId ?? newClientId();
    const clientSecret = withSecret ? (stored?.clientSecret ?? newClientSecret()) : undefined;
    this.used.clients[address] = clientSecret === undefined ? { clientId } : { clientId, clientSecret };
    return { clientId, clientSecret };
  }

  /** The value of an API key the stack does not set (API Gateway generates those): the stored one, else a new one. */
  apiKeyValue(address: string): string {
    const value = this.known.apiKeys[address]?.value ?? newApiKeyValue();
    this.used.apiKeys[address] = { value };
    return value;
  }

  signingKey(poolAddress: string): StoredSigningKey | undefined {
    const stored = this.known.signingKeys[poolAddress];
    if (stored) this.used.signingKeys[poolAddress] = stored;
    return stored ? { kid: stored.kid, privateJwk: stored.privateJwk } : undefined;
  }

  setSigningKey(poolAddress: string, key: StoredSigningKey): void {
    this.used.signingKeys[poolAddress] = { kid: key.kid, privateJwk: { ...key.privateJwk } };
  }

  /**
   * Writes what this start used — and only that, for this stack: entries of resources no longer in it are dropped;
   * other stacks' entries stay. Nothing is written in memory, or when nothing changed.
   */
  save(): void {
    if (this.file === undefined) return;
    const next: StoreFile = { version: 1, stacks: { ...this.content.stacks, [this.stackName]: this.used } };
    const text = `${JSON.stringify(next, null, 2)}\n`;
    const current = fs.existsSync(this.file) ? fs.readFileSync(this.file, 'utf8') : undefined;
    if (text !== current) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      // Client secrets and private keys: readable by the owner only.
      writeAtomically(this.file, text, { mode: 0o600 });
    } else {
      fs.chmodSync(this.file, 0o600);
    }
  }
}

function readStoreFile(file: string): StoreFile {
  if (!fs.existsSync(file)) return { version: 1, stacks: {} };
  const broken = (why: string): LocalStackError =>
    new LocalStackError(
      `${file} is not a credentials file of the local stack (${why}). Restore it, or delete it to have new client ` +
        'credentials, API keys and signing keys generated (tokens and credentials handed out before stop working).',
    );
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw broken('not JSON');
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw broken(z.prettifyError(parsed.error).replace(/\n/g, ' '));
  return parsed.data;
}
