import {
  cognitoAccessTokenValidity,
  cognitoClientCredentialsOnly,
  cognitoClientSecret,
  cognitoTokenRevocation,
} from '../../policy/rules/cognito-m2m-client';
import { addresses, check } from './fixtures/check';
import { PlanBuilder, UNKNOWN } from './fixtures/plan-builder';
import { CLIENT, compliantPlatform } from './fixtures/platform';

const COGNITO_RULES = [
  cognitoClientCredentialsOnly,
  cognitoClientSecret,
  cognitoAccessTokenValidity,
  cognitoTokenRevocation,
];

describe.each(COGNITO_RULES.map((r) => [r.id, r] as const))('%s', (_, rule) => {
  it('passes on the compliant M2M client', () => {
    expect(check(rule, compliantPlatform())).toEqual([]);
  });

  it('passes when the plan has no app client', () => {
    expect(check(rule, new PlanBuilder().add('aws_sqs_queue.q', { name: 'queue' }))).toEqual([]);
  });
});

describe('COG_M2M_1 client_credentials only', () => {
  it.each([
    [
      'mixed with the code grant',
      { allowed_oauth_flows: ['client_credentials', 'code'] },
      /\["client_credentials","code"\]/,
    ],
    ['the implicit grant', { allowed_oauth_flows: ['implicit'] }, /\["implicit"\]/],
    [
      'OAuth flows not enabled on the client',
      { allowed_oauth_flows_user_pool_client: false },
      /allowed_oauth_flows_user_pool_client is false/,
    ],
  ])('fails %s', (_, patch, message) => {
    const findings = check(cognitoClientCredentialsOnly, compliantPlatform().with(CLIENT, patch));
    expect(addresses(findings)).toEqual([CLIENT]);
    expect(findings[0].message).toMatch(message);
  });
});

describe('COG_M2M_2 client secret', () => {
  it('fails a public client', () => {
    const findings = check(cognitoClientSecret, compliantPlatform().with(CLIENT, { generate_secret: false }));
    expect(findings).toEqual([{ address: CLIENT, message: 'generate_secret is false (needs true)' }]);
  });
});

describe('COG_M2M_3 access token validity', () => {
  it.each([
    [1440, 'minutes'],
    [24, 'hours'],
    [1, 'days'],
    [3600, 'seconds'],
  ])('accepts %s %s', (validity, unit) => {
    const fixture = compliantPlatform().with(CLIENT, {
      access_token_validity: validity,
      token_validity_units: [{ access_token: unit }],
    });
    expect(check(cognitoAccessTokenValidity, fixture)).toEqual([]);
  });

  it('honours the unit: 1440 hours is 60 days, not one', () => {
    const fixture = compliantPlatform().with(CLIENT, {
      access_token_validity: 1440,
      token_validity_units: [{ access_token: 'hours' }],
    });
    const findings = check(cognitoAccessTokenValidity, fixture);
    expect(findings).toEqual([
      { address: CLIENT, message: 'access tokens are valid for 86400 minutes (at most 1440)' },
    ]);
  });

  it('reads a validity without units as hours, as Cognito does', () => {
    const fixture = compliantPlatform().with(CLIENT, { access_token_validity: 60, token_validity_units: undefined });
    expect(addresses(check(cognitoAccessTokenValidity, fixture))).toEqual([CLIENT]);
  });

  it("accepts an unset validity (Cognito's default is one hour) but not one unknown before apply", () => {
    expect(
      check(cognitoAccessTokenValidity, compliantPlatform().with(CLIENT, { access_token_validity: undefined })),
    ).toEqual([]);
    const unknown = check(
      cognitoAccessTokenValidity,
      compliantPlatform().with(CLIENT, { access_token_validity: UNKNOWN }),
    );
    expect(unknown[0].message).toMatch(/known only after apply/);
  });
});

describe('COG_M2M_4 token revocation', () => {
  it('fails a client with token revocation off', () => {
    const findings = check(
      cognitoTokenRevocation,
      compliantPlatform().with(CLIENT, { enable_token_revocation: false }),
    );
    expect(addresses(findings)).toEqual([CLIENT]);
  });
});
