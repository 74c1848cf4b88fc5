import { parseConsumerCredentials, type ConsumerCredentials } from '../../contracts/consumer-credentials';

const SECRET = 'super-secret-value-1234567890';
const VALID: ConsumerCredentials = {
  version: 1,
  consumer: 'catalog-reader',
  generation: 2,
  clientId: '4example0client0id0000000a',
  clientSecret: SECRET,
  tokenUrl: 'https://us-east-1-abc.auth.us-east-1.amazoncognito.com/oauth2/token',
  apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod',
  scopes: ['access_points/read'],
};

describe('parseConsumerCredentials', () => {
  it('reads what the stack writes, with or without an API key', () => {
    expect(parseConsumerCredentials(JSON.stringify(VALID), 'secret x')).toEqual(VALID);
    const withKey = { ...VALID, apiKey: 'key-value' };
    expect(parseConsumerCredentials(JSON.stringify(withKey), 'secret x')).toEqual(withKey);
  });

  it('ignores fields a later platform adds', () => {
    expect(parseConsumerCredentials(JSON.stringify({ ...VALID, region: 'us-east-1' }), 'secret x')).toEqual(VALID);
  });

  it.each([
    ['another version', { ...VALID, version: 2 }, /version/],
    ['no client secret', { ...VALID, clientSecret: undefined }, /clientSecret/],
    ['no scopes', { ...VALID, scopes: [] }, /scopes/],
    ['a token URL that is no URL', { ...VALID, tokenUrl: 'cognito' }, /tokenUrl/],
    ['a generation that is no whole number', { ...VALID, generation: '2' }, /generation/],
  ])('refuses %s, naming the source and the field', (_, value, field) => {
    expect(() => parseConsumerCredentials(JSON.stringify(value), 'secret arn:aws:secretsmanager:x')).toThrow(
      /^secret arn:aws:secretsmanager:x does not hold valid consumer credentials:/,
    );
    expect(() => parseConsumerCredentials(JSON.stringify(value), 'secret x')).toThrow(field);
  });

  it('never repeats the secret in its errors', () => {
    const messages: string[] = [];
    for (const text of [`{"clientSecret": "${SECRET}"`, JSON.stringify({ ...VALID, version: SECRET }), SECRET]) {
      try {
        parseConsumerCredentials(text, 'secret x');
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message).not.toContain(SECRET);
    expect(messages[0]).toBe('secret x does not hold consumer credentials: its value is not JSON.');
  });
});
