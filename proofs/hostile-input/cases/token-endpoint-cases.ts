/** Token endpoint cases: malformed token requests, and requests to the JWKS and discovery documents. */
import { pick } from '../random';
import type { CaseKit } from './case-kit';

/** The token endpoint and the JWKS: malformed token requests. */
export function tokenEndpointCases(kit: CaseKit): void {
  const { context, random, add } = kit;
  const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const good = basic(context.clientId, context.clientSecret);
  const form: Array<[string, string]> = [['Content-Type', 'application/x-www-form-urlencoded']];
  const variants: Array<[string, string, Array<[string, string]>, string | Buffer | undefined]> = [
    ['garbage form', 'POST', form, '%%%&&&=='],
    ['1 MB form', 'POST', form, Buffer.alloc(1024 * 1024, 0x61)],
    [
      'JSON body',
      'POST',
      [
        ['Authorization', good],
        ['Content-Type', 'application/json'],
      ],
      '{"grant_type":"client_credentials"}',
    ],
    [
      'repeated grant_type',
      'POST',
      [['Authorization', good], ...form],
      'grant_type=client_credentials&grant_type=client_credentials',
    ],
    ['unknown scope', 'POST', [['Authorization', good], ...form], 'grant_type=client_credentials&scope=admin'],
    ['scope with NUL', 'POST', [['Authorization', good], ...form], 'grant_type=client_credentials&scope=%00'],
    ['password grant', 'POST', [['Authorization', good], ...form], 'grant_type=password&username=a&password=b'],
    [
      'wrong secret',
      'POST',
      [['Authorization', basic(context.clientId, 'wrong')], ...form],
      'grant_type=client_credentials',
    ],
    [
      '10 KB client id',
      'POST',
      [['Authorization', basic('c'.repeat(10_000), 'x')], ...form],
      'grant_type=client_credentials',
    ],
    ['unicode client id', 'POST', [['Authorization', basic('ćłïéñţ', 'x')], ...form], 'grant_type=client_credentials'],
    [
      'Basic without colon',
      'POST',
      [['Authorization', `Basic ${Buffer.from('nocolon').toString('base64')}`], ...form],
      'grant_type=client_credentials',
    ],
    ['Basic not base64', 'POST', [['Authorization', 'Basic %%%'], ...form], 'grant_type=client_credentials'],
    [
      'two Authorization headers',
      'POST',
      [['Authorization', good], ['Authorization', basic('x', 'y')], ...form],
      'grant_type=client_credentials',
    ],
    ['GET', 'GET', [['Authorization', good]], undefined],
    ['DELETE', 'DELETE', [['Authorization', good]], undefined],
    ['JWKS POST', 'POST', form, 'x=1'],
    ['JWKS of an unknown pool', 'GET', [], undefined],
    ['discovery', 'GET', [], undefined],
  ];
  const [label, method, headers, body] = pick(random, variants);
  const target = label.startsWith('JWKS of')
    ? '/us-east-1_Unknown12/.well-known/jwks.json'
    : label === 'discovery'
      ? `/${context.poolId}/.well-known/openid-configuration`
      : label.startsWith('JWKS')
        ? `/${context.poolId}/.well-known/jwks.json`
        : '/oauth2/token';
  add({
    family: 'token-endpoint',
    label: `token endpoint: ${label}`,
    method,
    target,
    headers,
    body: body === undefined ? undefined : Buffer.from(body),
    mayInvoke: false,
  });
}
