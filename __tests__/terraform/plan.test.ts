import { evaluatePlans, formatReport, type GateReport } from '../../policy';
import { OfflinePlan, planEveryStack, planFromState, PlannedResource } from '../../synth/offline-plan';
import { STAGES, stageConfig, type Stage } from '../../stacks/config';
import { LEGACY_CLIENT_ADDRESS } from '../../stacks/constructs/consumer-access';
import { describeWithTerraform } from '../support/terraform-gate';
import { LEGACY_CLIENT_ID, POOL_ID, preConsumerState } from './pre-consumer-state';

jest.setTimeout(120_000);

/**
 * Planning takes most of this suite's time, so every stack is planned once, here, and both the plan assertions and
 * the policy gate (`npm run policy`) read the same plans. `terraform plan` validates each configuration first.
 * A stack planned before from exactly the same inputs is not planned again (`reuse`: the key in `planOffline` covers
 * the synthesized stack, Terraform, the provider, the environment and the commands).
 */
/**
 * The environment of synth and Terraform: the committed stage defaults (no stage setting from this shell), and only
 * what Terraform needs to run and to find the provider. Nothing a suite run earlier in the same worker left in
 * `process.env` reaches the plans, so the stored ones stay reusable.
 */
const PLAN_ENV = Object.fromEntries(
  ['PATH', 'HOME', 'XDG_DATA_HOME', 'TMPDIR', 'TF_PROVIDER_MIRROR']
    .map((name) => [name, process.env[name]])
    .filter(([, value]) => value !== undefined),
);

describeWithTerraform('terraform plan of every stack, offline', () => {
  const plans = new Map<string, OfflinePlan>();
  let gate: GateReport;

  beforeAll(async () => {
    const planned = await planEveryStack({ namespace: 'test', env: PLAN_ENV, reuse: true });
    for (const plan of planned.plans) plans.set(plan.stack, plan);
    gate = evaluatePlans(planned.plans);
  });

  function plan(stack: string): OfflinePlan {
    const found = plans.get(stack);
    if (!found) throw new Error(`no plan for ${stack}`);
    return found;
  }
  const ofType = (stack: string, type: string): PlannedResource[] =>
    plan(stack).resources.filter((r) => r.type === type);
  const countByType = (stack: string): Record<string, number> =>
    plan(stack).resources.reduce<Record<string, number>>(
      (counts, r) => ({ ...counts, [r.type]: (counts[r.type] ?? 0) + 1 }),
      {},
    );

  it('synthesizes, validates and plans the bootstrap stack and one stack per stage', () => {
    expect([...plans.keys()].sort()).toEqual(['bootstrap', 'platform-dev', 'platform-prod']);
    for (const p of plans.values()) {
      expect(p.resources.length).toBeGreaterThan(0);
      for (const r of p.resources) expect(r.actions).toEqual(['create']);
    }
  });

  /** What every stage plans besides its consumers. */
  const PLATFORM = {
    aws_api_gateway_authorizer: 1,
    aws_api_gateway_deployment: 1,
    aws_api_gateway_gateway_response: 7,
    aws_api_gateway_integration: 5,
    aws_api_gateway_method: 5,
    aws_api_gateway_method_settings: 1,
    aws_api_gateway_model: 1,
    aws_api_gateway_request_validator: 1,
    aws_api_gateway_resource: 2,
    aws_api_gateway_rest_api: 1,
    aws_api_gateway_stage: 1,
    aws_cloudwatch_dashboard: 1,
    aws_cloudwatch_log_group: 3,
    aws_cloudwatch_query_definition: 3,
    aws_cognito_resource_server: 1,
    aws_cognito_user_pool: 1,
    aws_cognito_user_pool_domain: 1,
    aws_dynamodb_table: 1,
    aws_iam_role: 1,
    aws_iam_role_policy: 1,
    aws_kms_alias: 1,
    // One for the consumer secrets, one for the alarm topic.
    aws_kms_key: 2,
    aws_kms_key_policy: 2,
    aws_lambda_function: 1,
    aws_lambda_permission: 5,
    aws_sns_topic: 1,
    aws_sns_topic_policy: 1,
  };

  /** What a stage's consumer registry adds: per credential generation a client and a secret (and a key, a plan key). */
  function consumerResources(stage: Stage): Record<string, number> {
    const config = stageConfig(stage, {});
    const consumers = Object.values(config.consumers);
    const generations = consumers.reduce((n, c) => n + c.credentials.generations.length, 0);
    const readable = consumers
      .filter((c) => (c.credentials.readers ?? []).length > 0)
      .reduce((n, c) => n + c.credentials.generations.length, 0);
    return {
      aws_cognito_user_pool_client: generations,
      aws_secretsmanager_secret: generations,
      aws_secretsmanager_secret_version: generations,
      ...(readable > 0 && { aws_secretsmanager_secret_policy: readable }),
      ...(config.usagePlans && {
        aws_api_gateway_api_key: generations,
        aws_api_gateway_usage_plan: consumers.length,
        aws_api_gateway_usage_plan_key: generations,
      }),
    };
  }

  it.each(STAGES)('platform-%s creates exactly the planned system', (stage) => {
    const expected = {
      ...PLATFORM,
      // One more in prod: concurrency near the reservation, which only prod sets.
      aws_cloudwatch_metric_alarm: stage === 'prod' ? 11 : 10,
      ...consumerResources(stage),
    };
    expect(countByType(`platform-${stage}`)).toEqual(
      Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))),
    );
  });

  it.each(STAGES)('platform-%s: a client per consumer generation with its scopes, and its secret', (stage) => {
    const config = stageConfig(stage, {});
    const expected = Object.entries(config.consumers).flatMap(([name, consumer]) =>
      consumer.credentials.generations.map((generation) => ({
        client: [
          `m2m-api-${stage}-${name}-${generation}`,
          consumer.scopes.map((s) => `access_points/${s}`).sort(),
          consumer.accessTokenValidityMinutes ?? config.accessTokenValidityMinutes,
        ],
        secret: [`m2m-api-${stage}/consumers/${name}/${generation}`, config.secretRecoveryDays],
      })),
    );
    const clients = ofType(`platform-${stage}`, 'aws_cognito_user_pool_client').map((c) => [
      c.after.name,
      [...(c.after.allowed_oauth_scopes as string[])].sort(),
      c.after.access_token_validity,
    ]);
    const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(clients.sort(byName)).toEqual(expected.map((e) => e.client).sort(byName));
    const secrets = ofType(`platform-${stage}`, 'aws_secretsmanager_secret').map((s) => [
      s.after.name,
      s.after.recovery_window_in_days,
    ]);
    expect(secrets.sort(byName)).toEqual(expected.map((e) => e.secret).sort(byName));
    const key = ofType(`platform-${stage}`, 'aws_kms_key').find((k) => String(k.after.description).includes('secret'));
    expect(key?.after).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  it('plans every alarm notifying the encrypted topic when it fires and recovers, and the dashboard', () => {
    const alarms = ofType('platform-prod', 'aws_cloudwatch_metric_alarm');
    const byName = new Map(alarms.map((a) => [a.after.alarm_name as string, a.after]));
    expect(byName.get('m2m-api-prod-api-latency-p99')).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: { ApiName: 'm2m-api-prod', Stage: 'prod' },
      extended_statistic: 'p99',
      threshold: 8000,
      treat_missing_data: 'notBreaching',
    });
    expect(byName.get('m2m-api-prod-categories-concurrency')).toMatchObject({
      dimensions: { FunctionName: 'm2m-api-prod-categories' },
      statistic: 'Maximum',
      threshold: 40,
    });
    expect(byName.get('m2m-api-prod-token-requests')).toMatchObject({ threshold: 80, actions_enabled: true });
    const [topic] = ofType('platform-prod', 'aws_sns_topic');
    expect(topic.after).toMatchObject({ name: 'm2m-api-prod-alarms' });
    const key = ofType('platform-prod', 'aws_kms_key').find((k) => String(k.after.description).includes('SNS topic'));
    expect(key?.after).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const [dashboard] = ofType('platform-prod', 'aws_cloudwatch_dashboard');
    expect(dashboard.after).toMatchObject({ dashboard_name: 'm2m-api-prod' });
    // The actions and the dashboard's alarm list are ARNs, known after apply; the gate reads them from the configuration.
    const prod = gate.stacks.find((s) => s.stack === 'platform-prod')!;
    for (const id of ['OPS_1', 'OPS_2', 'OPS_3', 'OPS_4', 'OPS_5', 'CKV_AWS_26']) {
      expect([id, prod.results.find((r) => r.rule.id === id)]).toEqual([
        id,
        expect.objectContaining({ status: 'passed', applicable: true }),
      ]);
    }
    const [pool] = ofType('platform-prod', 'aws_cognito_user_pool');
    expect(pool.after.user_pool_tier).toBe('LITE');
  });

  it('plans prod with every method behind an API key and each consumer in its own throttled usage plan', () => {
    for (const method of ofType('platform-prod', 'aws_api_gateway_method'))
      expect(method.after.api_key_required).toBe(true);
    for (const method of ofType('platform-dev', 'aws_api_gateway_method'))
      expect(method.after.api_key_required).toBe(false);
    const plans = ofType('platform-prod', 'aws_api_gateway_usage_plan').map((p) => [
      p.after.name,
      p.after.throttle_settings,
      p.after.quota_settings,
    ]);
    const expected = Object.entries(stageConfig('prod', {}).consumers).map(([name, { limits }]) => [
      `m2m-api-prod-${name}`,
      [{ burst_limit: limits?.burstLimit, rate_limit: limits?.rateLimit }],
      limits?.quota ? [{ limit: limits.quota.limit, offset: 0, period: limits.quota.period }] : [],
    ]);
    const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(plans.sort(byName)).toEqual(expected.sort(byName));
  });

  it('upgrades a stage deployed before consumers by moving its app client to operations/1, renamed in place', async () => {
    const dev = plan('platform-dev');
    const [move] = dev.synthesized.moved ?? [];
    expect(move.from).toBe(LEGACY_CLIENT_ADDRESS);
    const show = (await planFromState(dev, preConsumerState('dev', dev.synthesized))) as {
      resource_changes: {
        address: string;
        previous_address?: string;
        change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> };
      }[];
    };
    const moved = show.resource_changes.filter((r) => r.previous_address === LEGACY_CLIENT_ADDRESS);
    expect(moved).toHaveLength(1);
    const [client] = moved;
    expect(client.address).toBe(move.to);
    expect(client.address).toMatch(/^aws_cognito_user_pool_client\.consumer-access_consumer-operations_client-1_/);
    // Updated in place: same client id and secret, so its holders keep working.
    expect(client.change.actions).toEqual(['update']);
    expect(client.change.before).toMatchObject({ id: LEGACY_CLIENT_ID, name: 'm2m-api-dev-client' });
    expect(client.change.after).toMatchObject({
      id: LEGACY_CLIENT_ID,
      name: 'm2m-api-dev-operations-1',
      user_pool_id: POOL_ID,
    });
    // Nothing the old stage had is replaced or destroyed.
    const existing = show.resource_changes.filter((r) => r.change.before);
    expect(existing).toHaveLength(3);
    for (const change of existing) expect(change.change.actions).not.toContain('delete');
  });

  it('plans every Cognito client for client credentials only, next to the four access_points scopes', () => {
    for (const client of ofType('platform-dev', 'aws_cognito_user_pool_client')) {
      expect(client.after).toMatchObject({
        allowed_oauth_flows: ['client_credentials'],
        allowed_oauth_flows_user_pool_client: true,
        generate_secret: true,
        enable_token_revocation: true,
      });
    }
    const [server] = ofType('platform-dev', 'aws_cognito_resource_server');
    expect(server.after).toMatchObject({ identifier: 'access_points' });
    expect((server.after.scope as { scope_name: string }[]).map((s) => s.scope_name).sort()).toEqual([
      'delete',
      'read',
      'update',
      'write',
    ]);
  });

  it('plans every method behind the Cognito authorizer with exactly its scope', () => {
    const methods = ofType('platform-prod', 'aws_api_gateway_method');
    const scopes = methods.map(
      (m) => `${String(m.after.http_method)} ${(m.after.authorization_scopes as string[]).join(',')}`,
    );
    expect(scopes.sort()).toEqual([
      'DELETE access_points/delete',
      'GET access_points/read',
      'GET access_points/read',
      'POST access_points/write',
      'PUT access_points/update',
    ]);
    for (const m of methods) expect(m.after.authorization).toBe('COGNITO_USER_POOLS');
    const [authorizer] = ofType('platform-prod', 'aws_api_gateway_authorizer');
    expect(authorizer.after.type).toBe('COGNITO_USER_POOLS');
  });

  it('plans the function from the bundle, with the base64 SHA-256 of its zip', () => {
    const [fn] = ofType('platform-dev', 'aws_lambda_function');
    expect(fn.after).toMatchObject({
      function_name: 'm2m-api-dev-categories',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      tracing_config: [{ mode: 'Active' }],
    });
    expect(fn.after.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const [stage] = ofType('platform-dev', 'aws_api_gateway_stage');
    expect(stage.after).toMatchObject({ stage_name: 'dev', xray_tracing_enabled: true });
  });

  it('plans the state bucket versioned, encrypted, private and TLS-only, and the API Gateway logging role', () => {
    expect(countByType('bootstrap')).toEqual({
      aws_api_gateway_account: 1,
      aws_iam_role: 1,
      aws_iam_role_policy_attachment: 1,
      aws_s3_bucket: 1,
      aws_s3_bucket_lifecycle_configuration: 1,
      aws_s3_bucket_ownership_controls: 1,
      aws_s3_bucket_policy: 1,
      aws_s3_bucket_public_access_block: 1,
      aws_s3_bucket_server_side_encryption_configuration: 1,
      aws_s3_bucket_versioning: 1,
    });
    const [block] = ofType('bootstrap', 'aws_s3_bucket_public_access_block');
    expect(block.after).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const [versioning] = ofType('bootstrap', 'aws_s3_bucket_versioning');
    expect(versioning.after.versioning_configuration).toEqual([expect.objectContaining({ status: 'Enabled' })]);
  });

  describe('the policy gate', () => {
    it('passes every rule on every stack (suppressions aside)', () => {
      if (!gate.ok) throw new Error(`The policy gate fails:\n\n${formatReport(gate)}`);
      expect(gate.stacks.map((s) => [s.stack, s.failed])).toEqual([
        ['bootstrap', 0],
        ['platform-dev', 0],
        ['platform-prod', 0],
      ]);
    });

    it('uses every suppression: none is stale', () => {
      expect(gate.unusedSuppressions).toEqual([]);
    });
  });
});
