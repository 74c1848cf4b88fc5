import type { PlanResource, PlanView } from '../plan/plan-view';
import { isTemplate, parseReference } from '../../synth/references';
import type { Finding, Rule } from '../types';
import { finding } from './helpers';

/** Variable names that announce a secret: `DB_PASSWORD`, `API_KEY`, `CLIENT_SECRET`, `AUTH_TOKEN`, ... */
const SECRET_NAME =
  /(^|_)(SECRET|SECRETS|PASSWORD|PASSWD|PWD|PASS|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?KEY)(_|$)/i;
/** Names that point at a secret rather than hold one: `DB_SECRET_ARN`, `TOKEN_URL`, `API_KEY_PARAMETER`. */
const POINTER_NAME =
  /(_ARN|_NAME|_ID|_PATH|_PARAM|_PARAMETER|_URL|_URI|_ENDPOINT|_SSM|_REGION|_TABLE|_BUCKET|_TTL|_HEADER)$/i;
/** Values that point at a secret store rather than hold a secret. */
const POINTER_VALUE = /^(arn:|\/|resolve:|ssm:|secretsmanager:|https?:\/\/[^@/]*$)/i;

/** Values that are credentials whatever the variable is called. */
const SECRET_VALUES: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\b(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/, what: 'an AWS access key id' },
  { pattern: /-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/, what: 'a private key' },
  { pattern: /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/, what: 'a JSON web token' },
  { pattern: /\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}/, what: 'a GitHub token' },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, what: 'a Slack token' },
  { pattern: /\b(sk|rk)_live_[A-Za-z0-9]{16,}/, what: 'a payment provider secret key' },
  { pattern: /:\/\/[^/\s:@]+:[^/\s@]+@/, what: 'a URL with a password' },
];

/** Attributes of other resources that hold secrets: referencing one copies the secret into the environment. */
const SECRET_ATTRIBUTE =
  /^(client_secret|secret|secret_string|secret_binary|password|master_password|ses_smtp_password_v4|private_key|private_key_pem|private_key_openssh|auth_token|token|encrypted_secret|key_material|result)$/;
/** `result` holds a secret only on these types. */
const SECRET_RESULT_TYPES = ['random_password', 'random_string'];

/**
 * Mirrors checkov CKV_AWS_45: Lambda environment variables are visible to anyone who may read the function's
 * configuration and are stored with it; secrets belong in Secrets Manager or SSM Parameter Store (read at run time,
 * their ARN or name in the environment). Flags values that are credentials, secret-looking names with literal
 * values, values the plan marks sensitive, and references to other resources' secret attributes.
 */
export const lambdaEnvironmentSecrets: Rule = {
  id: 'CKV_AWS_45',
  title: 'Lambda environment variables hold no secrets',
  fix:
    'Keep the secret in Secrets Manager or SSM Parameter Store (SecureString), put its ARN or name in the ' +
    'environment, grant the function secretsmanager:GetSecretValue or ssm:GetParameter on it, and read it at run time.',
  resourceTypes: ['aws_lambda_function'],
  check(plan) {
    const findings: Finding[] = [];
    for (const fn of plan.ofType('aws_lambda_function')) {
      for (const name of variableNames(plan, fn)) {
        const problem = variableProblem(plan, fn, name);
        if (problem) findings.push(finding(fn, `environment variable ${name}: ${problem}`));
      }
    }
    return findings;
  },
};

const VARIABLES = ['environment', 0, 'variables'];

function variableNames(plan: PlanView, fn: PlanResource): string[] {
  const known = plan.value<Record<string, unknown>>(fn, VARIABLES) ?? {};
  const written = plan.expression(fn, VARIABLES)?.constant;
  const writtenNames =
    typeof written === 'object' && written !== null && !Array.isArray(written) ? Object.keys(written) : [];
  return [...new Set([...Object.keys(known), ...writtenNames])].sort();
}

function variableProblem(plan: PlanView, fn: PlanResource, name: string): string | undefined {
  const path = [...VARIABLES, name];
  if (plan.isSensitive(fn, path)) return 'its value is sensitive in the plan (derived from a secret)';
  const expression = plan.expression(fn, path);
  for (const raw of expression?.references ?? []) {
    const reference = parseReference(raw);
    if (!reference?.attribute || !SECRET_ATTRIBUTE.test(reference.attribute)) continue;
    if (reference.attribute === 'result' && !SECRET_RESULT_TYPES.includes(reference.type)) continue;
    return `its value is ${reference.address}.${reference.attribute}, a secret`;
  }
  const known = plan.value<unknown>(fn, path);
  const value =
    typeof known === 'string' ? known : typeof expression?.constant === 'string' ? expression.constant : undefined;
  if (value === undefined || value === '') return undefined;
  const credential = SECRET_VALUES.find((s) => s.pattern.test(value));
  if (credential) return `its value looks like ${credential.what}`;
  if (SECRET_NAME.test(name) && !POINTER_NAME.test(name) && !isTemplate(value) && !POINTER_VALUE.test(value)) {
    return 'the name says it is a secret and its value is written in the configuration';
  }
  return undefined;
}
