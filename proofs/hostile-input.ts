/**
 * Proof under hostile input: thousands of generated malicious or malformed requests against the local stack.
 *
 *   npm run proof:hostile -- [--count 3000] [--seed 1]
 *
 * Starts its own local stack (DynamoDB in memory, free port on 127.0.0.1), creates a few categories, snapshots
 * the tables, then sends `count` requests (at least 3000, at most 20 000; 90 s at most) generated from a seeded
 * PRNG, one at a time over raw sockets so that every byte is the generator's (duplicate headers, raw paths,
 * broken framing):
 *
 * - tokens: alg none, a foreign RSA key under the pool's kid, expired, not yet valid, wrong issuer, ID tokens,
 *   missing, empty or foreign scopes, a valid token lacking the method's scope, no client_id or exp, tampered
 *   payload or header, truncated or foreign signatures, HS256 signed with the public key, other algorithms under
 *   the pool's kid, unknown kids, oversize tokens, malformed JWTs, wrong schemes, several Authorization headers
 *   (refused, fail closed), tokens in the query string or a cookie — sent with writes that would succeed if the
 *   token were accepted;
 * - bodies (with a valid token): invalid JSON, wrong types, unknown and read-only fields, empty, blank, too long,
 *   control characters, lone surrogates, duplicate keys, deep nesting, 70 KB, 1 MB and 10 MB bodies, binary,
 *   base64, UTF-16, and valid JSON under non-JSON content types;
 * - headers: unmatchable If-Match values, duplicated headers, method-override headers, huge and many headers,
 *   odd Accept, Host and Content-Type values, chunked and broken framing, a client that hangs up mid-body;
 * - paths and queries: traversal (`..`, encoded and double-encoded), encoded slashes, unicode and overlong UTF-8,
 *   NUL and CRLF, very long and deep paths, unknown routes and stages, trailing and double slashes, repeated
 *   and odd query parameters;
 * - cursors: garbage and tampered nextToken values;
 * - the token endpoint and the JWKS: malformed token requests.
 *
 * Violations (any one fails the proof; the CLI exits 1): a 5xx, a timeout or a connection closed without an
 * answer; a 5xx in the gateway's own log; a function invocation caused by a request that did not carry a valid
 * token with the scope of its method (each request's invocations are counted on their own); a 2xx from the API
 * stage to such a request; any change to the tables. Requests that carry a valid token are all harmless by
 * construction (invalid bodies, unknown ids, If-Match values that cannot match, reads), so any change to the
 * data is a defect.
 *
 * The parts live in `hostile-input/`: the forged tokens, the generator and its families of cases (`cases/`), the
 * raw-socket client, the per-request accounting, the table snapshots, and the run itself.
 */
import { MAX_COUNT, MIN_COUNT, formatHostileInput } from './hostile-input/result';
import { hostileInputLocalStack } from './hostile-input/run';
import { defineProof } from './proof';

export { generateHostileRequests } from './hostile-input/generate';
export type { HostileContext } from './hostile-input/hostile-request';
export { formatHostileInput, type HostileInputResult } from './hostile-input/result';
export { hostileInputLocalStack } from './hostile-input/run';

export const hostileInputProof = defineProof({
  name: 'hostile-input',
  label: 'HOSTILE INPUT',
  flags: {
    count: { fallback: MIN_COUNT, min: MIN_COUNT, max: MAX_COUNT },
    seed: { fallback: 1, min: 0, max: 2 ** 32 - 1 },
  },
  run: (flags) => hostileInputLocalStack({ count: flags.count, seed: flags.seed }),
  format: formatHostileInput,
  verdict: (result) => result,
});
