import { accessTokenMinutes, MAX_ACCESS_TOKEN_MINUTES } from '../../common/cognito-token-validity';
import type { PlanResource, PlanView } from '../plan/plan-view';
import type { Rule } from '../types';
import { expectValue, finding, unverifiable } from './helpers';

/*
 * cdk-nag's Cognito rules (COG1-3: password policy, MFA, threat protection) concern users; this platform has none.
 * These rules cover its app clients instead, after AWS's guidance for machine-to-machine authorization with
 * Cognito (Developer Guide: "Scopes, M2M, and APIs with resource servers", "App clients", "Revoking tokens",
 * "Security best practices for Amazon Cognito user pools") and the OAuth 2.0 Security Best Current Practice
 * (RFC 9700): a confidential client, the client-credentials grant alone, short-lived access tokens.
 */

const CLIENT = 'aws_cognito_user_pool_client';

/** COG_M2M_1: the client-credentials grant only — no code or implicit grant that could issue user tokens. */
export const cognitoClientCredentialsOnly: Rule = {
  id: 'COG_M2M_1',
  title: 'Cognito app clients allow only the client_credentials OAuth flow',
  fix:
    'Set allowed_oauth_flows = ["client_credentials"] and allowed_oauth_flows_user_pool_client = true on the ' +
    'aws_cognito_user_pool_client (M2mAuth does); give people, if ever needed, a separate client.',
  resourceTypes: [CLIENT],
  check(plan) {
    return plan.ofType(CLIENT).flatMap((client) => {
      const problems: string[] = [];
      const flows = plan.attribute(client, ['allowed_oauth_flows']);
      if (flows.kind === 'unknown') problems.push(unverifiable('allowed_oauth_flows'));
      else {
        const list = flows.kind === 'known' && Array.isArray(flows.value) ? (flows.value as string[]) : [];
        if (list.length !== 1 || list[0] !== 'client_credentials') {
          problems.push(`allowed_oauth_flows is ${JSON.stringify(list)} (needs exactly ["client_credentials"])`);
        }
      }
      const enabled = expectValue(plan, client, ['allowed_oauth_flows_user_pool_client'], true);
      if (enabled) problems.push(enabled);
      return problems.length > 0 ? [finding(client, problems.join('; '))] : [];
    });
  },
};

/** COG_M2M_2: a confidential client, authenticated by its secret at the token endpoint. */
export const cognitoClientSecret: Rule = {
  id: 'COG_M2M_2',
  title: 'Cognito app clients are confidential (have a client secret)',
  fix: 'Set generate_secret = true on the aws_cognito_user_pool_client (a replacement: distribute the new id and secret).',
  resourceTypes: [CLIENT],
  check(plan) {
    return plan.ofType(CLIENT).flatMap((client) => {
      const problem = expectValue(plan, client, ['generate_secret'], true);
      return problem ? [finding(client, problem)] : [];
    });
  },
};

/** The client's access-token lifetime in minutes, or why it cannot be told from the plan. */
function clientAccessTokenMinutes(plan: PlanView, client: PlanResource): number | string {
  const validity = plan.attribute(client, ['access_token_validity']);
  if (validity.kind === 'unknown') return unverifiable('access_token_validity');
  const units = plan.attribute(client, ['token_validity_units', 0, 'access_token']);
  if (validity.kind === 'known' && units.kind === 'unknown') return unverifiable('token_validity_units.access_token');
  const unit = units.kind === 'known' ? String(units.value) : undefined;
  const minutes = accessTokenMinutes(validity.kind === 'known' ? Number(validity.value) : undefined, unit);
  return minutes ?? `token_validity_units.access_token is "${unit}", not a known unit`;
}

/** COG_M2M_3: short-lived access tokens (they cannot be revoked one by one: expiry is what ends them). */
export const cognitoAccessTokenValidity: Rule = {
  id: 'COG_M2M_3',
  title: `Cognito app clients issue access tokens valid for at most ${MAX_ACCESS_TOKEN_MINUTES / 60} hours`,
  fix:
    'Set access_token_validity with token_validity_units { access_token = "minutes" } on the ' +
    "aws_cognito_user_pool_client (the stage config's accessTokenValidityMinutes); clients cache tokens until shortly before expiry.",
  resourceTypes: [CLIENT],
  check(plan) {
    return plan.ofType(CLIENT).flatMap((client) => {
      const minutes = clientAccessTokenMinutes(plan, client);
      if (typeof minutes === 'string') return [finding(client, minutes)];
      if (minutes > MAX_ACCESS_TOKEN_MINUTES) {
        return [
          finding(client, `access tokens are valid for ${minutes} minutes (at most ${MAX_ACCESS_TOKEN_MINUTES})`),
        ];
      }
      return [];
    });
  },
};

/**
 * COG_M2M_4: token revocation on (Cognito's default for new clients, stated so a change is visible). RevokeToken
 * revokes refresh tokens and the access tokens issued from them; client-credentials tokens have no refresh token,
 * so for this platform it is defence in depth, should a client ever get another flow.
 */
export const cognitoTokenRevocation: Rule = {
  id: 'COG_M2M_4',
  title: 'Cognito app clients have token revocation enabled',
  fix: 'Set enable_token_revocation = true on the aws_cognito_user_pool_client.',
  resourceTypes: [CLIENT],
  check(plan) {
    return plan.ofType(CLIENT).flatMap((client) => {
      const problem = expectValue(plan, client, ['enable_token_revocation'], true);
      return problem ? [finding(client, problem)] : [];
    });
  },
};
