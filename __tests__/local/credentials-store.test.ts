/**
 * The local stack's made-up secrets kept with the data: stable across restarts, new ones only for what is new,
 * removed resources dropped, Terraform's `moved` blocks followed, the file readable by its owner only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CredentialsStore, credentialsFileFor, randomString } from '../../local/credentials-store';
import { LocalStackError } from '../../local/errors';
import { SynthesizedStackConfig } from '../../synth/stack-json';
import type { TerraformJson } from '../../synth/terraform-json';
import { temporaryDirectory } from './support';

let dir: string;
let file: string;

beforeEach(() => {
  dir = temporaryDirectory('credentials-store-');
  file = credentialsFileFor(path.join(dir, 'data'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const stack = (name: string, json: TerraformJson = {}): SynthesizedStackConfig =>
  new SynthesizedStackConfig(name, json, dir);

describe('the credentials store', () => {
  it('lives beside the data folder', () => {
    expect(credentialsFileFor('/x/.local/data')).toBe('/x/.local/data-credentials.json');
    expect(credentialsFileFor('/x/.local/data/')).toBe('/x/.local/data-credentials.json');
  });

  it('gives every client, API key and pool the same credentials after a restart, in a file only its owner reads', () => {
    const first = CredentialsStore.open(file, stack('platform-dev'));
    const client = first.client('aws_cognito_user_pool_client.a', true);
    const publicClient = first.client('aws_cognito_user_pool_client.b', false);
    const key = first.apiKeyValue('aws_api_gateway_api_key.k');
    first.setSigningKey('aws_cognito_user_pool.p', { kid: 'kid1', privateJwk: { kty: 'RSA', n: 'n', e: 'AQAB' } });
    first.save();
    expect(client.clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.clientSecret).toMatch(/^[a-z0-9]{51}$/);
    expect(publicClient.clientSecret).toBeUndefined();
    expect(key).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const second = CredentialsStore.open(file, stack('platform-dev'));
    expect(second.client('aws_cognito_user_pool_client.a', true)).toEqual(client);
    expect(second.client('aws_cognito_user_pool_client.b', false)).toEqual(publicClient);
    expect(second.apiKeyValue('aws_api_gateway_api_key.k')).toBe(key);
    expect(second.signingKey('aws_cognito_user_pool.p')).toEqual({
      kid: 'kid1',
      privateJwk: { kty: 'RSA', n: 'n', e: 'AQAB' },
    });
  });

  it('generates only what is new, and drops what the stack no longer has (other stacks keep theirs)', () => {
    const first = CredentialsStore.open(file, stack('platform-dev'));
    const kept = first.client('aws_cognito_user_pool_client.kept', true);
    first.client('aws_cognito_user_pool_client.removed', true);
    first.save();
    const prod = CredentialsStore.open(file, stack('platform-prod'));
    const prodClient = prod.client('aws_cognito_user_pool_client.kept', true);
    prod.save();
    expect(prodClient.clientId).not.toBe(kept.clientId);

    const second = CredentialsStore.open(file, stack('platform-dev'));
    expect(second.client('aws_cognito_user_pool_client.kept', true)).toEqual(kept);
    const added = second.client('aws_cognito_user_pool_client.added', true);
    second.save();
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      stacks: Record<string, { clients: Record<string, unknown> }>;
    };
    expect(Object.keys(written.stacks['platform-dev'].clients).sort()).toEqual([
      'aws_cognito_user_pool_client.added',
      'aws_cognito_user_pool_client.kept',
    ]);
    expect(written.stacks['platform-dev'].clients['aws_cognito_user_pool_client.added']).toEqual(added);
    expect(written.stacks['platform-prod'].clients['aws_cognito_user_pool_client.kept']).toEqual(prodClient);
  });

  it("follows the stack's moved blocks, as Terraform keeps a moved resource's id", () => {
    const before = CredentialsStore.open(file, stack('platform-dev'));
    const old = before.client('aws_cognito_user_pool_client.old', true);
    before.save();
    const moved = stack('platform-dev', {
      moved: [{ from: 'aws_cognito_user_pool_client.old', to: 'aws_cognito_user_pool_client.new' }],
    });
    const after = CredentialsStore.open(file, moved);
    expect(after.client('aws_cognito_user_pool_client.new', true)).toEqual(old);
  });

  it('keeps everything in memory without a file', () => {
    const store = CredentialsStore.open(undefined, stack('platform-dev'));
    const client = store.client('aws_cognito_user_pool_client.a', true);
    store.save();
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(
      CredentialsStore.open(undefined, stack('platform-dev')).client('aws_cognito_user_pool_client.a', true),
    ).not.toEqual(client);
  });

  it('refuses a file it did not write, naming it and the way out, and leaves it alone', () => {
    for (const content of ['not json', JSON.stringify({ version: 2, stacks: {} }), '{"version":1,"stacks":{"x":1}}']) {
      fs.writeFileSync(file, content);
      expect(() => CredentialsStore.open(file, stack('platform-dev'))).toThrow(LocalStackError);
      expect(() => CredentialsStore.open(file, stack('platform-dev'))).toThrow(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a credentials file.*delete it`),
      );
      expect(fs.readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it('makes random strings of the length and alphabet given', () => {
    expect(randomString(300, 'xyz')).toMatch(/^[xyz]{300}$/);
    expect(new Set(randomString(300, 'xyz'))).toEqual(new Set('xyz'));
  });
});
