/**
 * Where the smoke test finds its target (`.local/stack.json` or the `--state-file` given, or a deployed stack's
 * Terraform outputs), and how long it waits for a deployed stack's token endpoint to become reachable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TokenEndpointError, TokenEndpointUnreachableError } from '../../client';
import { parseArguments } from '../../smoke/arguments';
import { DEPLOYED_TOKEN_WAIT_MS, firstToken, tokenRetryDelay } from '../../smoke/first-token';
import { runSmoke } from '../../smoke/run-smoke';
import { deployedTarget, localTarget } from '../../smoke/target';
import { throttledFetch } from '../../smoke/throttled-fetch';
import { startLoopbackServer } from '../client/loopback-server';
import { temporaryDirectory } from './support';

let dir: string;
let terraform: string;

beforeEach(() => {
  dir = temporaryDirectory('smoke-target-');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake `terraform` that prints `stdout` for `output -json` (and fails otherwise). */
function fakeTerraform(stdout: string): void {
  terraform = path.join(dir, 'terraform');
  const script = `#!/bin/sh\nif [ "$1 $2" = "output -json" ]; then cat <<'JSON'\n${stdout}\nJSON\nexit 0; fi\nexit 3\n`;
  fs.writeFileSync(terraform, script, { mode: 0o755 });
}

describe('smoke targets', () => {
  it("reads a deployed stack's outputs, the sensitive client secret included", async () => {
    fs.mkdirSync(path.join(dir, 'stacks', 'platform-dev'), { recursive: true });
    fakeTerraform(
      JSON.stringify({
        api_url: { value: 'https://abc.execute-api.us-east-1.amazonaws.com/dev/', sensitive: false },
        token_endpoint: { value: 'https://x.auth.us-east-1.amazoncognito.com/oauth2/token' },
        client_id: { value: 'id123' },
        client_secret: { value: 'secret456', sensitive: true },
        scopes: { value: ['access_points/read'] },
      }),
    );
    await expect(deployedTarget('platform-dev', dir, terraform)).resolves.toEqual({
      apiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/dev',
      tokenUrl: 'https://x.auth.us-east-1.amazoncognito.com/oauth2/token',
      clientId: 'id123',
      clientSecret: 'secret456',
      source: 'terraform outputs of platform-dev',
      consumers: [],
      allScopes: ['access_points/read'],
    });
  });

  it("takes the operations consumer's API key too, where the stage has usage plans", async () => {
    fs.mkdirSync(path.join(dir, 'stacks', 'platform-prod'), { recursive: true });
    fakeTerraform(
      JSON.stringify({
        api_url: { value: 'https://abc.execute-api.us-east-1.amazonaws.com/prod' },
        token_endpoint: { value: 'https://x.auth.us-east-1.amazoncognito.com/oauth2/token' },
        client_id: { value: 'id123' },
        client_secret: { value: 'secret456', sensitive: true },
        api_key: { value: 'key789', sensitive: true },
      }),
    );
    await expect(deployedTarget('platform-prod', dir, terraform)).resolves.toMatchObject({ apiKey: 'key789' });
  });

  it("lists every live generation of every consumer, each read from its secret, and the resource server's scopes", async () => {
    fs.mkdirSync(path.join(dir, 'stacks', 'platform-prod'), { recursive: true });
    const arn = (name: string, generation: number) =>
      `arn:aws:secretsmanager:eu-west-1:111122223333:secret:m2m-api-prod/consumers/${name}/${generation}-AbCdEf`;
    fakeTerraform(
      JSON.stringify({
        api_url: { value: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod' },
        token_endpoint: { value: 'https://x.auth.eu-west-1.amazoncognito.com/oauth2/token' },
        client_id: { value: 'id123' },
        client_secret: { value: 'secret456', sensitive: true },
        scopes: { value: ['access_points/read', 'access_points/write'] },
        consumers: {
          value: {
            'catalog-reader': {
              scopes: ['access_points/read'],
              current_generation: 3,
              client_ids: { 2: 'c2', 3: 'c3' },
              secret_arns: { 2: arn('catalog-reader', 2), 3: arn('catalog-reader', 3) },
            },
          },
        },
      }),
    );
    const target = await deployedTarget('platform-prod', dir, terraform);
    expect(target.allScopes).toEqual(['access_points/read', 'access_points/write']);
    expect(target.consumers?.map((c) => [c.name, c.generation, c.scopes, c.credentials.description])).toEqual([
      ['catalog-reader', 2, ['access_points/read'], `secret ${arn('catalog-reader', 2)}`],
      ['catalog-reader', 3, ['access_points/read'], `secret ${arn('catalog-reader', 3)}`],
    ]);
  });

  it('explains a stack that is not deployed', async () => {
    fs.mkdirSync(path.join(dir, 'stacks', 'platform-dev'), { recursive: true });
    fakeTerraform('{}');
    await expect(deployedTarget('platform-dev', dir, terraform)).rejects.toThrow(/no output "api_url": is it deployed/);
    await expect(deployedTarget('platform-qa', dir, terraform)).rejects.toThrow(/platform-qa does not exist/);
  });

  it('reads .local/stack.json, and says how to create it when missing', () => {
    const file = path.join(dir, 'stack.json');
    expect(() => localTarget(file)).toThrow(/npm start/);
    fs.writeFileSync(
      file,
      JSON.stringify({
        stage: 'dev',
        apiUrl: 'http://127.0.0.1:1/dev',
        tokenUrl: 't',
        clientId: 'c',
        clientSecret: 's',
      }),
    );
    expect(localTarget(file)).toMatchObject({
      apiUrl: 'http://127.0.0.1:1/dev',
      tokenUrl: 't',
      clientId: 'c',
      clientSecret: 's',
      consumers: [],
    });
  });

  it("lists every live generation of every consumer of stack.json, and the operations consumer's API key", async () => {
    const file = path.join(dir, 'stack.json');
    const generation = (clientId: string, scopes: string[]) => ({
      clientId,
      clientSecret: 's',
      scopes,
      apiKey: 'k'.repeat(20),
    });
    fs.writeFileSync(
      file,
      JSON.stringify({
        stage: 'prod',
        apiUrl: 'http://127.0.0.1:1/prod',
        tokenUrl: 'http://127.0.0.1:1/oauth2/token',
        clientId: 'o1',
        clientSecret: 's',
        apiKey: 'o'.repeat(20),
        consumers: {
          operations: {
            ...generation('o1', ['a/read', 'a/write']),
            generation: 1,
            generations: { 1: generation('o1', ['a/read', 'a/write']) },
          },
          reader: {
            ...generation('r2', ['a/read']),
            generation: 2,
            generations: { 1: generation('r1', ['a/read']), 2: generation('r2', ['a/read']) },
          },
        },
      }),
    );
    const target = localTarget(file);
    expect(target.apiKey).toBe('o'.repeat(20));
    expect(target.allScopes).toEqual(['a/read', 'a/write']);
    expect(target.consumers?.map((c) => [c.name, c.generation, c.scopes])).toEqual([
      ['operations', 1, ['a/read', 'a/write']],
      ['reader', 1, ['a/read']],
      ['reader', 2, ['a/read']],
    ]);
    await expect(target.consumers?.[1].credentials.load()).resolves.toMatchObject({
      consumer: 'reader',
      generation: 1,
      clientId: 'r1',
    });
  });
});

describe('the smoke check under usage-plan throttling', () => {
  const answer = (status: number, message: string): Response =>
    new Response(JSON.stringify({ message }), { status, headers: { 'Content-Type': 'application/json' } });

  it('retries 429 Too Many Requests after growing pauses, and gives up after six', async () => {
    const slept: number[] = [];
    const answers = [answer(429, 'Too Many Requests'), answer(429, 'Too Many Requests'), answer(200, 'ok')];
    const sleep = (ms: number): Promise<void> => {
      slept.push(ms);
      return Promise.resolve();
    };
    const fetchFn = throttledFetch(() => Promise.resolve(answers.shift() as Response), sleep);
    expect((await fetchFn('http://x/')).status).toBe(200);
    expect(slept).toEqual([100, 200]);
    const always = throttledFetch(() => Promise.resolve(answer(429, 'Too Many Requests')), sleep);
    expect((await always('http://x/')).status).toBe(429);
    expect(slept).toEqual([100, 200, 100, 200, 400, 800, 1_600, 3_200]);
  });

  it('answers a spent quota and everything else as it came', async () => {
    let calls = 0;
    const fetchFn = throttledFetch(
      () => {
        calls++;
        return Promise.resolve(answer(429, 'Limit Exceeded'));
      },
      () => Promise.resolve(),
    );
    const response = await fetchFn('http://x/');
    expect([response.status, calls, await response.json()]).toEqual([429, 1, { message: 'Limit Exceeded' }]);
  });
});

describe('smoke arguments', () => {
  it('takes a deployed stack or a local state file, in both spellings', () => {
    expect(parseArguments([])).toEqual({ stack: undefined, stateFile: undefined });
    expect(parseArguments(['--stack', 'platform-dev'])).toEqual({ stack: 'platform-dev', stateFile: undefined });
    expect(parseArguments(['--stack=platform-prod'])).toEqual({ stack: 'platform-prod', stateFile: undefined });
    expect(parseArguments(['--state-file', '.local/qa.json'])).toEqual({
      stack: undefined,
      stateFile: '.local/qa.json',
    });
    expect(parseArguments(['--state-file=/tmp/a=b.json'])).toEqual({ stack: undefined, stateFile: '/tmp/a=b.json' });
  });

  it('refuses both targets at once, missing values and unknown options', () => {
    expect(() => parseArguments(['--stack', 'platform-dev', '--state-file', 'x.json'])).toThrow(/give one of them/);
    expect(() => parseArguments(['--state-file'])).toThrow(/--state-file needs a path/);
    expect(() => parseArguments(['--state-file', '--stack', 'platform-dev'])).toThrow(/--state-file needs a path/);
    expect(() => parseArguments(['--stack'])).toThrow(/--stack needs a stack name/);
    expect(() => parseArguments(['--stack', '../x'])).toThrow(/--stack needs a stack name/);
    expect(() => parseArguments(['--stage', 'dev'])).toThrow(/Unknown option --stage/);
  });

  it('reads the local target from the state file given', () => {
    const file = path.join(dir, 'qa.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ stage: 'qa', apiUrl: 'http://127.0.0.1:2/qa', tokenUrl: 't', clientId: 'c', clientSecret: 's' }),
    );
    expect(localTarget(path.resolve(parseArguments(['--state-file', file]).stateFile ?? ''))).toMatchObject({
      apiUrl: 'http://127.0.0.1:2/qa',
    });
  });
});

describe('waiting for a new token endpoint', () => {
  const unreachable = (): TokenEndpointUnreachableError =>
    new TokenEndpointUnreachableError('https://x.auth.us-east-1.amazoncognito.com/oauth2/token', {
      cause: new Error('fetch failed', {
        cause: new Error('getaddrinfo ENOTFOUND x.auth.us-east-1.amazoncognito.com'),
      }),
    });

  /** A clock that only the fake sleep moves. */
  function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
    let clock = 0;
    const slept: number[] = [];
    return {
      now: () => clock,
      sleep: (ms) => {
        slept.push(ms);
        clock += ms;
        return Promise.resolve();
      },
      slept,
    };
  }

  it('retries only an unreachable endpoint, with growing pauses, within the budget', () => {
    expect(tokenRetryDelay(unreachable(), 1, 0, 180_000)).toBe(2_000);
    expect(tokenRetryDelay(unreachable(), 2, 2_000, 180_000)).toBe(4_000);
    expect(tokenRetryDelay(unreachable(), 4, 30_000, 180_000)).toBe(16_000);
    expect(tokenRetryDelay(unreachable(), 9, 60_000, 180_000)).toBe(20_000);
    expect(tokenRetryDelay(unreachable(), 9, 175_000, 180_000)).toBe(5_000);
    expect(tokenRetryDelay(unreachable(), 9, 180_000, 180_000)).toBeUndefined();
    expect(tokenRetryDelay(unreachable(), 1, 0, 0)).toBeUndefined();
    expect(tokenRetryDelay(new TokenEndpointError(400, 'invalid_client'), 1, 0, 180_000)).toBeUndefined();
    expect(tokenRetryDelay(new Error('other'), 1, 0, 180_000)).toBeUndefined();
  });

  it('gets the token once the endpoint resolves, printing a line before each pause', async () => {
    const time = fakeTime();
    const lines: string[] = [];
    let calls = 0;
    const token = await firstToken(
      () => (++calls <= 2 ? Promise.reject(unreachable()) : Promise.resolve('token')),
      (line) => lines.push(line),
      { tokenEndpointWaitMs: DEPLOYED_TOKEN_WAIT_MS, ...time },
    );
    expect(token).toBe('token');
    expect(time.slept).toEqual([2_000, 4_000]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ENOTFOUND.*retrying in 2 s \(0 s of 180 s\)/);
  });

  it('gives up after the budget with the last error', async () => {
    const time = fakeTime();
    let calls = 0;
    const failing = firstToken(
      () => {
        calls++;
        return Promise.reject(unreachable());
      },
      () => undefined,
      { tokenEndpointWaitMs: DEPLOYED_TOKEN_WAIT_MS, ...time },
    );
    await expect(failing).rejects.toBeInstanceOf(TokenEndpointUnreachableError);
    expect(time.slept.reduce((a, b) => a + b, 0)).toBe(DEPLOYED_TOKEN_WAIT_MS);
    expect(calls).toBe(time.slept.length + 1);
  });

  it('fails at once without a budget, or when the endpoint refuses', async () => {
    const time = fakeTime();
    await expect(
      firstToken(
        () => Promise.reject(unreachable()),
        () => undefined,
        time,
      ),
    ).rejects.toBeInstanceOf(TokenEndpointUnreachableError);
    const refused = firstToken(
      () => Promise.reject(new TokenEndpointError(400, 'invalid_client')),
      () => undefined,
      {
        tokenEndpointWaitMs: DEPLOYED_TOKEN_WAIT_MS,
        ...time,
      },
    );
    await expect(refused).rejects.toBeInstanceOf(TokenEndpointError);
    expect(time.slept).toEqual([]);
  });

  it('runSmoke fails fast on an unreachable local target, and waits for a deployed one when told to', async () => {
    const closed = await startLoopbackServer(() => ({ status: 200 }));
    await closed.close();
    const target = {
      apiUrl: `${closed.url}/dev`,
      tokenUrl: `${closed.url}/oauth2/token`,
      clientId: 'c',
      clientSecret: 's',
      source: 'test',
    };
    const local: string[] = [];
    expect((await runSmoke(target, (line) => local.push(line))).ok).toBe(false);
    expect(local.filter((line) => line.includes('retrying'))).toEqual([]);

    const time = fakeTime();
    const deployed: string[] = [];
    const result = await runSmoke(target, (line) => deployed.push(line), { tokenEndpointWaitMs: 10_000, ...time });
    expect(result.ok).toBe(false);
    expect(time.slept).toEqual([2_000, 4_000, 4_000]);
    expect(deployed.filter((line) => line.includes('retrying'))).toHaveLength(3);
  });

  it('sends the API key with every API request but the one checking a keyless request is refused, and never to the token endpoint', async () => {
    const claims = Buffer.from(JSON.stringify({ scope: 'access_points/read access_points/write' })).toString(
      'base64url',
    );
    const token = `h.${claims}.s`;
    const server = await startLoopbackServer((request) =>
      request.url === '/oauth2/token'
        ? { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 3600 } }
        : { status: 403, body: { message: 'Forbidden' } },
    );
    try {
      const target = {
        apiUrl: `${server.url}/prod`,
        tokenUrl: `${server.url}/oauth2/token`,
        clientId: 'c',
        clientSecret: 's',
        apiKey: 'key789',
        source: 'test',
      };
      expect((await runSmoke(target, () => undefined)).ok).toBe(false);
      const api = server.requests.filter((r) => r.url.startsWith('/prod/'));
      expect(api.length).toBeGreaterThan(0);
      const keyless = api.filter((request) => request.headers['x-api-key'] === undefined);
      expect(keyless).toHaveLength(1);
      expect(keyless[0].headers.authorization).toBe(`Bearer ${token}`);
      for (const request of api.filter((r) => r !== keyless[0])) expect(request.headers['x-api-key']).toBe('key789');
      for (const request of server.requests.filter((r) => r.url === '/oauth2/token')) {
        expect(request.headers).not.toHaveProperty('x-api-key');
      }
    } finally {
      await server.close();
    }
  });
});
