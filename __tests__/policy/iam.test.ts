import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlanView, type Rule, type ShowJsonPlan } from '../../policy';
import { iamPrivilegedManagedPolicies } from '../../policy/rules/iam-admin-policies';
import { iamWildcardActions } from '../../policy/rules/iam-wildcard-actions';
import { iamWildcardResources } from '../../policy/rules/iam-wildcard-resources';
import { addresses, check, NOW } from './fixtures/check';
import { PlanBuilder, ref } from './fixtures/plan-builder';
import { compliantPlatform, POLICY_DOCUMENT, ROLE, ROLE_POLICY } from './fixtures/platform';

/**
 * A fragment of a real plan: the Lambda role's inline policy is the json of an aws_iam_policy_document whose
 * resources are ARNs of resources not created yet, so the json is unknown and the data source is read at apply.
 */
const ROLE_POLICY_PLAN = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'lambda-role-policy.plan.json'), 'utf8'),
) as ShowJsonPlan;
const DOCUMENT = 'data.aws_iam_policy_document.policy';
const INLINE_POLICY = 'aws_iam_role_policy.policy';

/** The parts of the fragment that the variants below change. */
type Statements = { statement: Record<string, unknown>[] };
type Fragment = {
  resource_changes: { address: string; change: { after: Statements; after_unknown: Statements } }[];
  configuration: { root_module: { resources: { address: string; expressions: Statements }[] } };
};

/** A copy of the fragment with statement `index` (0-based) of the policy document changed, in values and configuration. */
function rolePolicyPlan(index: number, field: 'actions' | 'resources', values: string[]): ShowJsonPlan {
  const plan = structuredClone(ROLE_POLICY_PLAN) as unknown as Fragment;
  const change = plan.resource_changes.find((r) => r.address === DOCUMENT)!.change;
  change.after.statement[index][field] = values;
  change.after_unknown.statement[index][field] = values.map(() => false);
  const config = plan.configuration.root_module.resources.find((r) => r.address === DOCUMENT)!;
  config.expressions.statement[index][field] = { constant_value: values };
  return plan as unknown as ShowJsonPlan;
}

const run = (rule: Rule, plan: ShowJsonPlan) => rule.check(new PlanView('platform-test', plan, undefined, NOW));

/** A plan with one inline role policy given as a JSON document. */
const inlinePolicy = (...statements: object[]) =>
  compliantPlatform().with(ROLE_POLICY, { policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });

describe.each([iamWildcardActions, iamWildcardResources, iamPrivilegedManagedPolicies].map((r) => [r.id, r] as const))(
  '%s',
  (_, rule) => {
    it('passes on the compliant fixture and on the real plan fragment', () => {
      expect(check(rule, compliantPlatform())).toEqual([]);
      expect(run(rule, ROLE_POLICY_PLAN)).toEqual([]);
    });

    it('passes when the plan has no IAM resources', () => {
      expect(check(rule, new PlanBuilder().add('aws_dynamodb_table.t', { name: 'table' }))).toEqual([]);
    });
  },
);

describe('CKV_AWS_63 wildcard actions', () => {
  it('fails "service:*" in a policy document whose json is known only after apply', () => {
    const findings = run(iamWildcardActions, rolePolicyPlan(2, 'actions', ['dynamodb:*']));
    expect(addresses(findings)).toEqual([INLINE_POLICY]);
    expect(findings[0].message).toBe(`${DOCUMENT} statement 3 allows dynamodb:*`);
  });

  it('fails "*" in a JSON policy, and NotAction in an Allow statement', () => {
    const star = check(iamWildcardActions, inlinePolicy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    expect(addresses(star)).toEqual([ROLE_POLICY]);
    expect(star[0].message).toMatch(/allows \*$/);
    const notAction = check(iamWildcardActions, inlinePolicy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }));
    expect(notAction[0].message).toMatch(/every action except iam:\* \(NotAction\)/);
  });

  it('accepts partial wildcards and wildcards in Deny statements', () => {
    const fixture = inlinePolicy(
      { Effect: 'Allow', Action: ['s3:Get*'], Resource: 'arn:aws:s3:::bucket/*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    );
    expect(check(iamWildcardActions, fixture)).toEqual([]);
  });

  it('checks the statements a policy document merges from another', () => {
    const fixture = compliantPlatform()
      .add('data.aws_iam_policy_document.base', {
        statement: [{ actions: ['sqs:*'], resources: [ref('aws_sqs_queue.q', 'arn')] }],
      })
      .with(POLICY_DOCUMENT, { source_policy_documents: [ref('data.aws_iam_policy_document.base', 'json')] });
    const findings = check(iamWildcardActions, fixture);
    expect(addresses(findings)).toEqual([ROLE_POLICY]);
    expect(findings[0].message).toMatch(/data.aws_iam_policy_document.base statement 1 allows sqs:\*/);
  });

  it('checks inline policies of roles', () => {
    const fixture = compliantPlatform().with(ROLE, {
      inline_policy: [
        {
          name: 'inline',
          policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }] }),
        },
      ],
    });
    expect(addresses(check(iamWildcardActions, fixture))).toEqual([ROLE]);
  });

  it('fails a policy it cannot read before apply instead of passing it', () => {
    const fixture = compliantPlatform().with(ROLE_POLICY, {
      policy: `\${jsonencode({Statement = [{Effect = "Allow", Action = "*", Resource = aws_dynamodb_table.categories.arn}]})}`,
    });
    const findings = check(iamWildcardActions, fixture);
    expect(addresses(findings)).toEqual([ROLE_POLICY]);
    expect(findings[0].message).toMatch(/not the json of an aws_iam_policy_document/);
  });
});

describe('CKV_AWS_355 wildcard resources', () => {
  it('fails restrictable actions on "*" in a policy document whose json is known only after apply', () => {
    const findings = run(iamWildcardResources, rolePolicyPlan(2, 'resources', ['*']));
    expect(addresses(findings)).toEqual([INLINE_POLICY]);
    expect(findings[0].message).toMatch(
      /^data.aws_iam_policy_document.policy statement 3 allows dynamodb:DeleteItem, .* on "\*"$/,
    );
  });

  it('allows "*" for actions without resource-level permissions only', () => {
    const fixture = inlinePolicy({
      Effect: 'Allow',
      Action: ['xray:PutTraceSegments', 'cloudwatch:PutMetricData', 'logs:PutLogEvents'],
      Resource: '*',
    });
    const findings = check(iamWildcardResources, fixture);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(/allows logs:PutLogEvents on "\*"$/);
  });

  it('fails NotResource in an Allow statement', () => {
    const fixture = inlinePolicy({
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      NotResource: 'arn:aws:dynamodb:*:*:table/secret',
    });
    expect(check(iamWildcardResources, fixture)[0].message).toMatch(/every resource but a few \(NotResource\)/);
  });

  it('fails resources computed from variables, which could be anything', () => {
    const fixture = compliantPlatform().with(POLICY_DOCUMENT, {
      statement: [{ actions: ['dynamodb:GetItem'], resources: ['${var.table_arn}'] }],
    });
    expect(check(iamWildcardResources, fixture)[0].message).toMatch(/not ARNs of this stack's resources/);
  });
});

describe('CKV_AWS_274 privileged managed policies', () => {
  it.each([
    ['AdministratorAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'],
    ['AmazonCognitoPowerUser (what the original tutorial attached)', 'arn:aws:iam::aws:policy/AmazonCognitoPowerUser'],
    ['PowerUserAccess in another partition', 'arn:aws-us-gov:iam::aws:policy/PowerUserAccess'],
  ])('fails %s', (_, arn) => {
    const fixture = compliantPlatform().add('aws_iam_role_policy_attachment.extra', {
      role: ref(ROLE, 'name'),
      policy_arn: arn,
    });
    const findings = check(iamPrivilegedManagedPolicies, fixture);
    expect(addresses(findings)).toEqual(['aws_iam_role_policy_attachment.extra']);
  });

  it('fails privileged policies in managed_policy_arns and looked up by name', () => {
    const managed = compliantPlatform().with(ROLE, { managed_policy_arns: ['arn:aws:iam::aws:policy/IAMFullAccess'] });
    expect(check(iamPrivilegedManagedPolicies, managed)[0].message).toBe(
      'attaches the AWS managed policy IAMFullAccess',
    );
    const lookedUp = compliantPlatform()
      .add('data.aws_iam_policy.admin', {
        name: 'AdministratorAccess',
        arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      })
      .add('aws_iam_role_policy_attachment.admin', {
        role: ref(ROLE, 'name'),
        policy_arn: ref('data.aws_iam_policy.admin', 'arn'),
      });
    expect(addresses(check(iamPrivilegedManagedPolicies, lookedUp))).toEqual(['aws_iam_role_policy_attachment.admin']);
  });

  it('accepts narrow service-role policies such as the API Gateway logging policy', () => {
    const fixture = compliantPlatform().add('aws_iam_role_policy_attachment.logs', {
      role: ref(ROLE, 'name'),
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    });
    expect(check(iamPrivilegedManagedPolicies, fixture)).toEqual([]);
  });
});
