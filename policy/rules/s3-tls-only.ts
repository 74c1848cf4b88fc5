import {
  isOpaque,
  isPublicPrincipal,
  literal,
  policyAt,
  PolicyDocument,
  PolicyStatement,
  PolicyValue,
} from '../plan/iam-policy';
import type { PlanResource, PlanView } from '../plan/plan-view';
import { parseReference, templateReferences } from '../../synth/references';
import type { Finding, Rule } from '../types';
import { bucketCompanions, finding } from './helpers';

/**
 * Mirrors checkov CKV_AWS_379 and cdk-nag AwsSolutions-S10: the bucket policy denies every request that does not
 * use TLS — a Deny statement for principal `*`, all S3 actions, the bucket and its objects, under the condition
 * `Bool aws:SecureTransport = false`.
 */
export const s3TlsOnly: Rule = {
  id: 'CKV_AWS_379',
  aliases: ['S10'],
  title: 'S3 bucket policies deny requests that do not use TLS',
  fix:
    'Attach an aws_s3_bucket_policy with a statement { effect = "Deny", principals = "*", actions = ["s3:*"], ' +
    'resources = [bucket arn, "${bucket arn}/*"], condition { test = "Bool", variable = "aws:SecureTransport", ' +
    'values = ["false"] } }.',
  resourceTypes: ['aws_s3_bucket'],
  check(plan) {
    const findings: Finding[] = [];
    for (const bucket of plan.ofType('aws_s3_bucket')) {
      const documents: PolicyDocument[] = bucketCompanions(plan, bucket, 'aws_s3_bucket_policy')
        .map((policy) => policyAt(plan, policy, ['policy']))
        .filter((d): d is PolicyDocument => d !== undefined);
      const inline = policyAt(plan, bucket, ['policy']);
      if (inline) documents.push(inline);
      if (documents.length === 0) {
        findings.push(finding(bucket, 'no bucket policy: requests over plain HTTP are not denied'));
        continue;
      }
      const opaque = documents.find(isOpaque);
      const statements = documents.flatMap((d) => (isOpaque(d) ? [] : d.statements));
      if (statements.some((s) => deniesInsecureTransport(plan, bucket, s))) continue;
      findings.push(
        finding(
          bucket,
          opaque?.opaque ??
            'the bucket policy has no statement denying all S3 actions on the bucket and its objects when aws:SecureTransport is false',
        ),
      );
    }
    return findings;
  },
};

function deniesInsecureTransport(plan: PlanView, bucket: PlanResource, statement: PolicyStatement): boolean {
  if (statement.effect !== 'Deny' || !isPublicPrincipal(statement)) return false;
  const actions = statement.actions.map(literal);
  if (!actions.some((a) => a === '*' || a === 's3:*')) return false;
  const insecure = statement.conditions.some(
    (c) =>
      c.test === 'Bool' &&
      c.variable.toLowerCase() === 'aws:securetransport' &&
      c.values.some((v) => literal(v) === 'false'),
  );
  if (!insecure) return false;
  const covers = (suffix: string) => statement.resources.some((r) => isBucketArn(plan, bucket, r, suffix));
  return covers('') && covers('/*');
}

/** Whether a policy resource is `*`, or the bucket's ARN followed by `suffix` (literal, or `${<bucket>.arn}`). */
function isBucketArn(plan: PlanView, bucket: PlanResource, value: PolicyValue, suffix: string): boolean {
  const text = literal(value);
  if (text === '*') return true;
  const name = plan.value<string>(bucket, ['bucket']);
  if (text !== undefined)
    return name !== undefined && new RegExp(`^arn:[\\w-]+:s3:::${escape(name)}${escape(suffix)}$`).test(text);
  if (!('expression' in value)) return false;
  const [reference, ...others] = templateReferences(value.expression);
  if (!reference || others.length > 0) return false;
  const parsed = parseReference(reference, bucket.modulePrefix);
  return (
    parsed?.address === bucket.configAddress &&
    parsed.attribute === 'arn' &&
    value.expression.replace(/\$\{[^}]*\}/, '') === suffix
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
