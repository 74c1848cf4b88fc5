import {
  ClientCredentialsTokenProvider,
  TokenEndpointError,
  TokenEndpointUnreachableError,
  type ClientCredentialsTokenProviderOptions,
} from '../../client';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

let server: LoopbackServer;
let issued = 0;
let clock = 1_000_000;

beforeAll(async () => {
  server = await startLoopbackServer(() => ({ status: 500 }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  issued = 0;
  clock = 1_000_000;
  server.handler = () => ({
    status: 200,
    body: { access_token: `token-${++issued}`, expires_in: 3600, token_type: 'Bearer' },
    delayMs: 20,
  });
});

function provider(options: Partial<ClientCredentialsTokenProviderOptions> = {}): ClientCredentialsTokenProvider {
  return new ClientCredentialsTokenProvider({
    tokenUrl: `${server.url}/oauth2/token`,
    clientId: 'client123',
    clientSecret: 'secret456',
    now: () => clock,
    ...options,
  });
}

describe('ClientCredentialsTokenProvider', () => {
  it('keeps handing out a still-valid token while an early refresh cannot reach the endpoint', async () => {
    const tokens = provider();
    expect(await tokens.getToken()).toBe('token-1');
    server.handler = () => ({ status: 200, destroy: true });
    clock += (3600 - 30) * 1000; // past the refresh point, 30 s before expiry
    expect(await tokens.getToken()).toBe('token-1');
    clock += 26_000; // 4 s before expiry: too close to hand out
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointUnreachableError);
  });

  it('puts off further refreshes after an unreachable one, handing out the cached token at once', async () => {
    const tokens = provider({ timeoutMs: 100 });
    expect(await tokens.getToken()).toBe('token-1');
    server.handler = () => ({
      status: 200,
      body: { access_token: 'late', expires_in: 3600, token_type: 'Bearer' },
      delayMs: 500,
    });
    clock += (3600 - 60) * 1000; // at the refresh point, 60 s before expiry
    expect(await tokens.getToken()).toBe('token-1'); // waited for the timeout once
    expect(server.requests).toHaveLength(2);
    // Backoff: min(30 s, half the 60 s left) = 30 s without a new attempt.
    for (let i = 0; i < 5; i++) {
      clock += 5_000;
      expect(await tokens.getToken()).toBe('token-1');
    }
    expect(server.requests).toHaveLength(2);
    clock += 6_000; // 31 s after the failure: another attempt, then a backoff of half the 29 s left
    expect(await tokens.getToken()).toBe('token-1');
    expect(server.requests).toHaveLength(3);
    clock += 14_000;
    expect(await tokens.getToken()).toBe('token-1');
    expect(server.requests).toHaveLength(3);
    // Once the endpoint answers again, the next attempt refreshes.
    server.handler = () => ({
      status: 200,
      body: { access_token: `token-${++issued}`, expires_in: 3600, token_type: 'Bearer' },
    });
    clock += 1_000;
    expect(await tokens.getToken()).toBe('token-2');
    expect(server.requests).toHaveLength(4);
  });

  it('does not put off a refresh once the cached token is too close to expiry', async () => {
    const tokens = provider({ timeoutMs: 100 });
    await tokens.getToken();
    server.handler = () => ({ status: 200, destroy: true });
    clock += (3600 - 12) * 1000; // 12 s before expiry: backoff of 6 s
    expect(await tokens.getToken()).toBe('token-1');
    clock += 3_000; // 9 s before expiry: within the backoff, still valid
    expect(await tokens.getToken()).toBe('token-1');
    expect(server.requests).toHaveLength(2);
    clock += 5_000; // 4 s before expiry: too close to hand out
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointUnreachableError);
    expect(server.requests).toHaveLength(3);
  });

  it('does not hide a refusal by the endpoint behind the cached token', async () => {
    const tokens = provider();
    await tokens.getToken();
    server.handler = () => ({ status: 400, body: { error: 'invalid_client' } });
    clock += (3600 - 30) * 1000;
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
  });

  it('sends one client-credentials request (HTTP Basic, form body, scopes) for 50 concurrent callers', async () => {
    const tokens = provider({ scopes: ['access_points/read', 'access_points/write'] });
    const results = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    expect(new Set(results)).toEqual(new Set(['token-1']));
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/oauth2/token');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('client123:secret456').toString('base64')}`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'access_points/read access_points/write',
    });
  });

  it('reuses the token for its lifetime less the skew, then fetches one new token for all callers', async () => {
    const tokens = provider();
    expect(await tokens.getToken()).toBe('token-1');
    clock += (3600 - 60) * 1000 - 1;
    expect(await tokens.getToken()).toBe('token-1');
    expect(server.requests).toHaveLength(1);
    clock += 2;
    const refreshed = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    expect(new Set(refreshed)).toEqual(new Set(['token-2']));
    expect(server.requests).toHaveLength(2);
  });

  it('asks for no scope when none is configured', async () => {
    await provider().getToken();
    expect(new URLSearchParams(server.requests[0].body).has('scope')).toBe(false);
  });

  it('reuses a token for at least half its lifetime when the skew exceeds it', async () => {
    server.handler = () => ({
      status: 200,
      body: { access_token: `token-${++issued}`, expires_in: 30, token_type: 'Bearer' },
    });
    const tokens = provider({ refreshSkewSeconds: 60 });
    await tokens.getToken();
    clock += 14_999;
    await tokens.getToken();
    expect(server.requests).toHaveLength(1);
    clock += 2;
    expect(await tokens.getToken()).toBe('token-2');
  });

  it('refreshes after expiry on the real clock', async () => {
    server.handler = () => ({
      status: 200,
      body: { access_token: `token-${++issued}`, expires_in: 1, token_type: 'Bearer' },
    });
    const tokens = provider({ now: undefined, refreshSkewSeconds: 0 });
    expect(await tokens.getToken()).toBe('token-1');
    expect(await tokens.getToken()).toBe('token-1');
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect(await tokens.getToken()).toBe('token-2');
  });

  it('fetches a new token after invalidate(), and never caches one requested before it', async () => {
    const tokens = provider();
    const first = tokens.getToken();
    tokens.invalidate();
    expect(await first).toBe('token-1');
    expect(await tokens.getToken()).toBe('token-2');
    expect(await tokens.getToken()).toBe('token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('invalidate(token) drops the cache only while that token is cached, so concurrent refusals cost one request', async () => {
    const tokens = provider();
    expect(await tokens.getToken()).toBe('token-1');
    tokens.invalidate('token-1');
    const refreshing = tokens.getToken();
    tokens.invalidate('token-1'); // another caller refused with the same token: the request under way stays shared
    const joined = tokens.getToken();
    expect(await Promise.all([refreshing, joined])).toEqual(['token-2', 'token-2']);
    tokens.invalidate('token-1'); // a late report about the old token leaves the new one cached
    expect(await tokens.getToken()).toBe('token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('invalidate() does not cancel a token request under way', async () => {
    const tokens = provider();
    const first = tokens.getToken();
    tokens.invalidate();
    const second = tokens.getToken();
    expect(await Promise.all([first, second])).toEqual(['token-1', 'token-1']);
    expect(server.requests).toHaveLength(1);
  });

  it('reports the OAuth error as a TokenEndpointError, to every waiting caller, without caching it', async () => {
    server.handler = () => ({ status: 400, body: { error: 'invalid_client' }, delayMs: 20 });
    const tokens = provider();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(server.requests).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error: unknown = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(error).toMatchObject({ status: 400, error: 'invalid_client' });
    }
    server.handler = () => ({
      status: 200,
      body: { access_token: 'recovered', expires_in: 3600, token_type: 'Bearer' },
    });
    expect(await tokens.getToken()).toBe('recovered');
  });

  it.each([
    [
      'an HTML error page',
      { status: 502, body: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' } },
      502,
    ],
    ['a success without a token', { status: 200, body: { token_type: 'Bearer', expires_in: 3600 } }, 200],
    ['a success without a lifetime', { status: 200, body: { access_token: 'x', token_type: 'Bearer' } }, 200],
    ['a token of another type', { status: 200, body: { access_token: 'x', token_type: 'mac', expires_in: 3600 } }, 200],
  ])('reports %s as invalid_response', async (_name, reply, status) => {
    server.handler = () => reply;
    await expect(provider().getToken()).rejects.toMatchObject({
      name: 'TokenEndpointError',
      status,
      error: 'invalid_response',
    });
  });

  it('reports a network failure as TokenEndpointUnreachableError', async () => {
    const closed = await startLoopbackServer(() => ({ status: 200 }));
    await closed.close();
    const tokens = provider({ tokenUrl: `${closed.url}/oauth2/token` });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointUnreachableError);
    expect((error as TokenEndpointUnreachableError).url).toBe(`${closed.url}/oauth2/token`);
  });

  it('reports a token endpoint that does not answer in time as unreachable', async () => {
    server.handler = () => ({
      status: 200,
      body: { access_token: 'late', expires_in: 3600, token_type: 'Bearer' },
      delayMs: 500,
    });
    await expect(provider({ timeoutMs: 100 }).getToken()).rejects.toBeInstanceOf(TokenEndpointUnreachableError);
  });

  it('refuses incomplete configuration', () => {
    expect(() => provider({ clientSecret: '' })).toThrow(TypeError);
    expect(() => provider({ refreshSkewSeconds: -1 })).toThrow(RangeError);
  });
});
