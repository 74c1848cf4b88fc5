import { identityPolicies, isOpaque, type PolicyStatement } from '../plan/iam-policy';
import type { Path, PlanResource, PlanView } from '../plan/plan-view';
import type { Finding } from '../types';

/** A finding on `resource`. */
export function finding(resource: PlanResource, message: string, fix?: string): Finding {
  return fix ? { address: resource.address, message, fix } : { address: resource.address, message };
}

/** The message for a value the gate cannot check because Terraform knows it only after apply. */
export function unverifiable(attribute: string): string {
  return `${attribute} is known only after apply, so it cannot be verified before deployment`;
}

/**
 * Checks that the value at `path` is `expected`. Returns a message when it is not (unknown values fail: a gate
 * must not pass what it cannot see).
 */
export function expectValue(plan: PlanView, resource: PlanResource, path: Path, expected: unknown): string | undefined {
  const name = pathName(path);
  const attribute = plan.attribute(resource, path);
  if (attribute.kind === 'unknown') return unverifiable(name);
  if (attribute.kind === 'absent') return `${name} is not set (needs ${JSON.stringify(expected)})`;
  if (attribute.value !== expected) {
    return `${name} is ${JSON.stringify(attribute.value)} (needs ${JSON.stringify(expected)})`;
  }
  return undefined;
}

/** `settings[0].metrics_enabled` */
export function pathName(path: Path): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

/** The API Gateway method settings that apply to a stage: referencing it, or naming it on the same REST API. */
export function methodSettingsOf(plan: PlanView, stage: PlanResource): PlanResource[] {
  const apis = plan.referenced(stage, ['rest_api_id'], 'aws_api_gateway_rest_api');
  const stageName = plan.value<string>(stage, ['stage_name']);
  return plan
    .ofType('aws_api_gateway_method_settings')
    .filter(
      (settings) =>
        plan.references(settings, ['stage_name'], stage) ||
        (stageName !== undefined &&
          plan.value(settings, ['stage_name']) === stageName &&
          plan.referenced(settings, ['rest_api_id'], 'aws_api_gateway_rest_api').some((api) => apis.includes(api))),
    );
}

/** The S3 bucket a bucket-level resource (versioning, encryption, policy, ...) configures. */
export function configuresBucket(plan: PlanView, companion: PlanResource, bucket: PlanResource): boolean {
  if (plan.references(companion, ['bucket'], bucket)) return true;
  const name = plan.value<string>(bucket, ['bucket']);
  return name !== undefined && plan.value(companion, ['bucket']) === name;
}

/** The companions of `type` (e.g. `aws_s3_bucket_versioning`) that configure `bucket`. */
export function bucketCompanions(plan: PlanView, bucket: PlanResource, type: string): PlanResource[] {
  return plan.ofType(type).filter((companion) => configuresBucket(plan, companion, bucket));
}

/**
 * Runs `inspect` on every Allow statement of every identity policy in the plan and turns its messages into
 * findings on the policy's resource. A policy whose statements cannot be read is a finding of its own.
 */
export function checkAllowStatements(plan: PlanView, inspect: (statement: PolicyStatement) => string[]): Finding[] {
  const findings: Finding[] = [];
  for (const { resource, document } of identityPolicies(plan)) {
    if (isOpaque(document)) {
      findings.push(
        finding(
          resource,
          document.opaque,
          'Build the policy with an aws_iam_policy_document data source, so its statements are visible in the plan.',
        ),
      );
      continue;
    }
    for (const statement of document.statements) {
      if (statement.effect !== 'Allow') continue;
      for (const message of inspect(statement)) findings.push(finding(resource, message));
    }
  }
  return findings;
}
