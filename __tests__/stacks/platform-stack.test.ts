import 'cdktf/lib/testing/adapters/jest';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { CATEGORY_STORE_ACTIONS } from '../../functions/categories/store-permissions';
import { stageConfig } from '../../stacks/config';
import { dataSources, of, only, resources, triggerInput } from '../support/terraform-json';
import { synthPlatform } from '../support/synth';

Testing.setupJest();

const dev = synthPlatform('dev');
const prod = synthPlatform('prod');

const EXPECTED_ROUTES = [
  ['GET', '/categories', 'access_points/read'],
  ['POST', '/categories', 'access_points/write'],
  ['GET', '/categories/{id}', 'access_points/read'],
  ['PUT', '/categories/{id}', 'access_points/update'],
  ['DELETE', '/categories/{id}', 'access_points/delete'],
] as const;

/** Rebuilds each method's full path from the resource tree, the way API Gateway does. */
function methodsByRoute(json = dev.json): Map<string, Record<string, unknown>> {
  const api = only(json, 'aws_api_gateway_rest_api');
  const pathOf = new Map<string, string>([[api.ref('root_resource_id'), '']]);
  const pending = resources(json, 'aws_api_gateway_resource');
  while (pending.length > 0) {
    const index = pending.findIndex((r) => pathOf.has(r.config.parent_id as string));
    if (index < 0) throw new Error('a resource has no parent in the tree');
    const [resource] = pending.splice(index, 1);
    pathOf.set(
      resource.ref('id'),
      `${pathOf.get(resource.config.parent_id as string)}/${String(resource.config.path_part)}`,
    );
  }
  return new Map(
    resources(json, 'aws_api_gateway_method').map((m) => [
      `${String(m.config.http_method)} ${pathOf.get(m.config.resource_id as string)}`,
      m.config,
    ]),
  );
}

describe('Cognito', () => {
  it('defines the access_points resource server with the four scopes, each described', () => {
    expect(dev.synthesized).toHaveResourceWithProperties(CognitoResourceServer, {
      identifier: 'access_points',
      scope: ['read', 'write', 'update', 'delete'].map((name) => ({
        scope_name: name,
        scope_description: expect.stringMatching(/\w+/),
      })),
    });
  });

  it('gives every app client client credentials only, a secret, bounded tokens and revocation, after the scopes exist', () => {
    const server = only(dev.json, 'aws_cognito_resource_server');
    const clients = resources(dev.json, 'aws_cognito_user_pool_client');
    // One per consumer credential generation (stacks/consumers.test.ts checks each against its registry entry).
    const generations = Object.values(stageConfig('dev').consumers).flatMap((c) => c.credentials.generations);
    expect(clients).toHaveLength(generations.length);
    for (const client of clients) {
      expect(client.config).toMatchObject({
        allowed_oauth_flows: ['client_credentials'],
        allowed_oauth_flows_user_pool_client: true,
        generate_secret: true,
        supported_identity_providers: ['COGNITO'],
        access_token_validity: expect.any(Number),
        token_validity_units: [{ access_token: 'minutes' }],
        enable_token_revocation: true,
        // Terraform creates (and changes) the resource server's scopes before the clients that use them.
        depends_on: [`${server.type}.${server.name}`],
      });
    }
  });

  it('derives the hosted-domain prefix from the globally unique user pool id by default', () => {
    const pool = only(dev.json, 'aws_cognito_user_pool');
    const domain = only(dev.json, 'aws_cognito_user_pool_domain');
    expect(domain.config.domain).toBe(
      `\${replace(lower(replace(${pool.ref('id').slice(2, -1)}, "_", "-")), "/aws|amazon|cognito/", "0")}`,
    );
  });

  it('uses a configured domain prefix as given', () => {
    const { json } = synthPlatform('dev', { DOMAIN_PREFIX_DEV: 'acme-categories-dev' });
    expect(only(json, 'aws_cognito_user_pool_domain').config.domain).toBe('acme-categories-dev');
  });

  it('protects the prod user pool from deletion, not dev', () => {
    expect(only(prod.json, 'aws_cognito_user_pool').config.deletion_protection).toBe('ACTIVE');
    expect(only(dev.json, 'aws_cognito_user_pool').config.deletion_protection).toBe('INACTIVE');
  });
});

describe('REST API', () => {
  it('serves exactly the five category routes, each demanding exactly its own scope', () => {
    const methods = methodsByRoute();
    expect([...methods.keys()].sort()).toEqual(EXPECTED_ROUTES.map(([m, p]) => `${m} ${p}`).sort());
    for (const [method, path, scope] of EXPECTED_ROUTES) {
      expect(methods.get(`${method} ${path}`)?.authorization_scopes).toEqual([scope]);
    }
  });

  it('authorizes every method with the Cognito authorizer, using only scopes the resource server defines', () => {
    const authorizer = only(dev.json, 'aws_api_gateway_authorizer');
    const server = only(dev.json, 'aws_cognito_resource_server');
    const defined = (server.config.scope as { scope_name: string }[]).map(
      (s) => `${String(server.config.identifier)}/${s.scope_name}`,
    );
    for (const method of resources(dev.json, 'aws_api_gateway_method')) {
      expect(method.config).toMatchObject({ authorization: 'COGNITO_USER_POOLS', authorizer_id: authorizer.ref('id') });
      const scopes = method.config.authorization_scopes as string[];
      expect(scopes.length).toBeGreaterThan(0);
      for (const scope of scopes) expect(defined).toContain(scope);
    }
  });

  it('checks tokens against the stage user pool, from the Authorization header', () => {
    const pool = only(dev.json, 'aws_cognito_user_pool');
    expect(dev.synthesized).toHaveResourceWithProperties(ApiGatewayAuthorizer, {
      type: 'COGNITO_USER_POOLS',
      provider_arns: [pool.ref('arn')],
      identity_source: 'method.request.header.Authorization',
    });
  });

  it('proxies every method to the categories function', () => {
    const fn = only(dev.json, 'aws_lambda_function');
    const integrations = resources(dev.json, 'aws_api_gateway_integration');
    expect(integrations).toHaveLength(EXPECTED_ROUTES.length);
    for (const integration of integrations) {
      expect(integration.config).toMatchObject({
        type: 'AWS_PROXY',
        integration_http_method: 'POST',
        uri: fn.ref('invoke_arn'),
      });
    }
  });

  it('lets API Gateway invoke the function only from this API, per method and path', () => {
    const api = only(dev.json, 'aws_api_gateway_rest_api');
    const arns = resources(dev.json, 'aws_lambda_permission').map((p) => {
      expect(p.config.principal).toBe('apigateway.amazonaws.com');
      return p.config.source_arn;
    });
    expect(arns.sort()).toEqual(
      EXPECTED_ROUTES.map(
        ([method, path]) => `${api.ref('execution_arn')}/*/${method}${path.replace('{id}', '*')}`,
      ).sort(),
    );
  });

  it('redeploys whenever a method or integration changes, creating the new deployment first', () => {
    const deployment = only(dev.json, 'aws_api_gateway_deployment');
    expect(deployment.config.lifecycle).toEqual({ create_before_destroy: true });
    const trigger = (deployment.config.triggers as Record<string, string>).redeployment;
    expect(trigger).toMatch(/^\$\{sha1\(jsonencode\(/);
    // The trigger hashes the API definition, kept as a local: what follows reads what it hashes.
    const hashed = JSON.stringify(triggerInput(dev.json, deployment));
    for (const type of ['aws_api_gateway_method', 'aws_api_gateway_integration']) {
      for (const r of resources(dev.json, type)) expect(hashed).toContain(`${type}.${r.name}.id`);
    }
    for (const method of resources(dev.json, 'aws_api_gateway_method')) {
      expect(hashed).toContain(`aws_api_gateway_method.${method.name}.authorization_scopes`);
      expect(hashed).toContain(`aws_api_gateway_method.${method.name}.request_parameters`);
    }
    // A replaced user pool behind the authorizer reaches the stage only through a new deployment.
    const authorizer = only(dev.json, 'aws_api_gateway_authorizer');
    expect(hashed).toContain(`aws_api_gateway_authorizer.${authorizer.name}.provider_arns`);
    expect(hashed).toContain(`aws_api_gateway_authorizer.${authorizer.name}.identity_source`);
    // As a reference, which Terraform resolves at plan time: a new pool's ARN changes the hash.
    expect(triggerInput(dev.json, deployment)[`aws_api_gateway_authorizer.${authorizer.name}.provider_arns`]).toEqual([
      only(dev.json, 'aws_cognito_user_pool').ref('arn'),
    ]);
    expect(deployment.config).not.toHaveProperty('stage_name');
  });

  it('publishes the deployment as a separate stage named after the stage, traced by X-Ray', () => {
    const deployment = only(dev.json, 'aws_api_gateway_deployment');
    expect(dev.synthesized).toHaveResourceWithProperties(ApiGatewayStage, {
      stage_name: 'dev',
      deployment_id: deployment.ref('id'),
      xray_tracing_enabled: true,
    });
    expect(prod.synthesized).toHaveResourceWithProperties(ApiGatewayStage, { stage_name: 'prod' });
  });
});

describe('categories function', () => {
  it('runs the esbuild bundle on Node.js 22, arm64, traced by X-Ray, logging JSON to its own log group', () => {
    const fn = only(dev.json, 'aws_lambda_function');
    const logGroup = of(dev.json, dev.stack.categories.logGroup);
    expect(dev.synthesized).toHaveResourceWithProperties(LambdaFunction, {
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      tracing_config: { mode: 'Active' },
      logging_config: { log_format: 'JSON', log_group: logGroup.ref('name') },
    });
    expect(logGroup.config).toMatchObject({ name: '/aws/lambda/m2m-api-dev-categories', retention_in_days: 14 });
    expect(fn.config.filename).toMatch(/^assets\/.+\.zip$/);
    expect(fn.config.depends_on).toEqual([
      `aws_cloudwatch_log_group.${logGroup.name}`,
      `aws_iam_role_policy.${of(dev.json, dev.stack.categories.rolePolicy).name}`,
    ]);
  });

  it('ships a reproducible zip whose SHA-256 is the source_code_hash, so an unchanged bundle never redeploys', () => {
    const fn = only(dev.json, 'aws_lambda_function');
    const { bundle } = dev.stack.categories;
    const zip = fs.readFileSync(bundle.zipFile);
    expect(fn.config.source_code_hash).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(path.basename(fn.config.filename as string)).toBe(path.basename(bundle.zipFile));
    // Same code, same zip, byte for byte: the file times inside are fixed.
    expect(synthPlatform('prod').stack.categories.bundle.sha256).toBe(fn.config.source_code_hash);
    expect(zip.length).toBeLessThan(150 * 1024);
  });

  it('gets the table name through its environment', () => {
    const table = only(dev.json, 'aws_dynamodb_table');
    const fn = only(dev.json, 'aws_lambda_function');
    expect((fn.config.environment as { variables: Record<string, string> }).variables.TABLE_NAME).toBe(
      table.ref('name'),
    );
  });

  it('may only log to its log group, write traces and call the store actions on its own table', () => {
    const policy = of(dev.json, dev.stack.categories.policy);
    const table = only(dev.json, 'aws_dynamodb_table');
    const logGroup = of(dev.json, dev.stack.categories.logGroup);
    expect(policy.config.statement).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.ref('arn')}:*`] },
      { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
      { actions: [...CATEGORY_STORE_ACTIONS], resources: [table.ref('arn')] },
    ]);
  });

  it('grants no wildcard action and attaches no managed policy anywhere', () => {
    // The one exception: the consumer secrets key's policy gives the key to the account (AWS's default key policy
    // statement, "kms:*" for the account root), which delegates to the account's IAM policies and grants nobody else.
    const keyPolicy = of(dev.json, dev.stack.consumers.key.policy).config.policy;
    for (const doc of dataSources(dev.json, 'aws_iam_policy_document')) {
      for (const statement of doc.config.statement as { sid?: string; actions: string[] }[]) {
        for (const action of statement.actions) {
          if (keyPolicy === doc.ref('json') && statement.sid === 'EnableIamPolicies') continue;
          expect(action).not.toMatch(/\*/);
        }
      }
    }
    expect(resources(dev.json, 'aws_iam_role_policy_attachment')).toHaveLength(0);
  });
});

describe('categories table', () => {
  it('is on-demand, encrypted, recoverable to a point in time, and keyed by id', () => {
    expect(dev.synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: 'm2m-api-dev-categories',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'id',
      attribute: [{ name: 'id', type: 'S' }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: false,
    });
  });

  it('is protected from deletion in prod', () => {
    expect(prod.synthesized).toHaveResourceWithProperties(DynamodbTable, { deletion_protection_enabled: true });
  });
});

describe('state and outputs', () => {
  it('keeps each stage state in the S3 bucket, encrypted, with a native lock file; without STATE_BUCKET, in no bucket anyone can own', () => {
    expect(dev.json.terraform.backend).toEqual({
      s3: {
        bucket: 'STATE_BUCKET-is-not-set',
        key: 'cognito-serverless-platform/dev/terraform.tfstate',
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(JSON.stringify(dev.json.terraform)).not.toContain('dynamodb_table');
  });

  it('takes the state bucket and regions from the environment', () => {
    const { json } = synthPlatform('prod', {
      STATE_BUCKET: 'acme-tf',
      STATE_REGION: 'eu-central-1',
      AWS_REGION: 'eu-west-1',
    });
    expect(json.terraform.backend).toMatchObject({
      s3: { bucket: 'acme-tf', region: 'eu-central-1', key: 'cognito-serverless-platform/prod/terraform.tfstate' },
    });
    expect(json.provider?.aws[0]).toMatchObject({ region: 'eu-west-1' });
  });

  it('outputs what a client needs, with the secret marked sensitive', () => {
    const { output } = dev.json;
    for (const name of ['api_url', 'token_endpoint', 'client_id', 'client_secret', 'rest_api_id', 'root_resource_id']) {
      expect(output[name]).toBeDefined();
    }
    expect(output.client_secret.sensitive).toBe(true);
    expect(
      Object.entries(output)
        .filter(([, o]) => o.sensitive)
        .map(([name]) => name),
    ).toEqual(['client_secret']);
    const domain = only(dev.json, 'aws_cognito_user_pool_domain');
    expect(output.token_endpoint.value).toBe(
      `https://${domain.ref('domain')}.auth.us-east-1.amazoncognito.com/oauth2/token`,
    );
    expect(output.api_url.value).toBe(only(dev.json, 'aws_api_gateway_stage').ref('invoke_url'));
  });
});

describe('API protections', () => {
  it('answers its own errors with JSON bodies carrying the request id', () => {
    const responses = resources(dev.json, 'aws_api_gateway_gateway_response');
    const byType = new Map(responses.map((r) => [r.config.response_type, r.config]));
    expect([...byType.keys()].sort()).toEqual([
      'ACCESS_DENIED',
      'BAD_REQUEST_BODY',
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'MISSING_AUTHENTICATION_TOKEN',
      'THROTTLED',
      'UNAUTHORIZED',
    ]);
    const render = (type: string, message: string) =>
      JSON.parse(
        (byType.get(type)?.response_templates as Record<string, string>)['application/json']
          .replace('$context.error.messageString', JSON.stringify(message))
          .replace('$context.requestId', 'r-1'),
      ) as unknown;
    for (const type of byType.keys()) {
      if (type === 'BAD_REQUEST_BODY') continue;
      // API Gateway's familiar shape, plus the request id.
      expect(render(type as string, 'Unauthorized')).toEqual({ message: 'Unauthorized', requestId: 'r-1' });
    }
    // Refused bodies look like the function's own validation errors.
    expect(render('BAD_REQUEST_BODY', 'Invalid request body')).toEqual({
      error: { code: 'ValidationFailed', message: 'Invalid request body', requestId: 'r-1' },
    });
  });

  it('validates POST and PUT bodies against the category model before the function runs', () => {
    const model = only(dev.json, 'aws_api_gateway_model');
    const validator = only(dev.json, 'aws_api_gateway_request_validator');
    expect(validator.config).toMatchObject({ validate_request_body: true, validate_request_parameters: true });
    expect(JSON.parse(model.config.schema as string)).toMatchObject({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['name'],
      additionalProperties: false,
    });
    const methods = methodsByRoute();
    for (const route of ['POST /categories', 'PUT /categories/{id}']) {
      expect(methods.get(route)).toMatchObject({
        request_validator_id: validator.ref('id'),
        request_models: { 'application/json': model.ref('name') },
      });
    }
    for (const route of ['GET /categories', 'GET /categories/{id}', 'DELETE /categories/{id}']) {
      expect(methods.get(route)).not.toHaveProperty('request_models');
    }
  });

  it('throttles the stage, records metrics and logs errors without request data', () => {
    const settings = only(prod.json, 'aws_api_gateway_method_settings');
    expect(settings.config).toMatchObject({
      method_path: '*/*',
      settings: {
        metrics_enabled: true,
        logging_level: 'ERROR',
        data_trace_enabled: false,
        throttling_rate_limit: 200,
        throttling_burst_limit: 400,
      },
    });
  });

  it('writes JSON access logs with request id, client id, status and latency to a log group with retention', () => {
    const stage = only(prod.json, 'aws_api_gateway_stage');
    const logGroup = of(prod.json, prod.stack.api.accessLogGroup);
    const settings = stage.config.access_log_settings as { destination_arn: string; format: string };
    expect(settings.destination_arn).toBe(logGroup.ref('arn'));
    expect(JSON.parse(settings.format)).toMatchObject({
      requestId: '$context.requestId',
      clientId: '$context.authorizer.claims.client_id',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
    });
    expect(logGroup.config.retention_in_days).toBe(365);
  });

  it('keeps execution logs in a log group with retention, made before the stage', () => {
    const api = only(prod.json, 'aws_api_gateway_rest_api');
    const logGroup = of(prod.json, prod.stack.api.executionLogGroup);
    expect(logGroup.config).toMatchObject({
      name: `API-Gateway-Execution-Logs_${api.ref('id')}/prod`,
      retention_in_days: 365,
    });
    expect(only(prod.json, 'aws_api_gateway_stage').config.depends_on).toEqual([
      `aws_cloudwatch_log_group.${logGroup.name}`,
    ]);
  });

  it('redeploys when a model or a gateway response changes', () => {
    const hashed = JSON.stringify(triggerInput(dev.json, only(dev.json, 'aws_api_gateway_deployment')));
    expect(hashed).toContain(`aws_api_gateway_model.${only(dev.json, 'aws_api_gateway_model').name}.schema`);
    for (const r of resources(dev.json, 'aws_api_gateway_gateway_response')) {
      expect(hashed).toContain(`aws_api_gateway_gateway_response.${r.name}.response_templates`);
    }
  });

  it('reserves concurrency for the function in prod only', () => {
    expect(only(prod.json, 'aws_lambda_function').config.reserved_concurrent_executions).toBe(50);
    expect(only(dev.json, 'aws_lambda_function').config).not.toHaveProperty('reserved_concurrent_executions');
  });
});

describe('CORS', () => {
  it('is off by default: no OPTIONS method and no CORS header anywhere', () => {
    expect(resources(dev.json, 'aws_api_gateway_method').map((m) => m.config.http_method)).not.toContain('OPTIONS');
    expect(dev.synthesized).not.toContain('Access-Control-Allow-Origin');
  });

  describe('with an allowed origin', () => {
    const { json } = synthPlatform('dev', { CORS_ALLOW_ORIGIN_DEV: 'https://console.example.com' });

    it('answers preflights on each path without a token, listing the methods of that path', () => {
      const options = resources(json, 'aws_api_gateway_method').filter((m) => m.config.http_method === 'OPTIONS');
      expect(options).toHaveLength(2);
      for (const method of options) expect(method.config.authorization).toBe('NONE');
      const allowMethods = resources(json, 'aws_api_gateway_integration_response')
        .map(
          (r) =>
            (r.config.response_parameters as Record<string, string>)[
              'method.response.header.Access-Control-Allow-Methods'
            ],
        )
        .sort();
      expect(allowMethods).toEqual(["'OPTIONS,GET,POST'", "'OPTIONS,GET,PUT,DELETE'"]);
      for (const integration of resources(json, 'aws_api_gateway_integration').filter(
        (i) => i.config.type === 'MOCK',
      )) {
        expect(integration.config.request_templates).toEqual({ 'application/json': '{"statusCode": 204}' });
      }
    });

    it('keeps every other method behind the authorizer', () => {
      for (const method of resources(json, 'aws_api_gateway_method').filter(
        (m) => m.config.http_method !== 'OPTIONS',
      )) {
        expect(method.config.authorization).toBe('COGNITO_USER_POOLS');
      }
    });

    it('adds the origin to gateway responses and tells the function', () => {
      for (const response of resources(json, 'aws_api_gateway_gateway_response')) {
        expect(response.config.response_parameters).toEqual({
          'gatewayresponse.header.Access-Control-Allow-Origin': "'https://console.example.com'",
        });
      }
      const fn = only(json, 'aws_lambda_function');
      expect((fn.config.environment as { variables: Record<string, string> }).variables.CORS_ALLOW_ORIGIN).toBe(
        'https://console.example.com',
      );
    });

    it('refuses an origin that is not one origin or *', () => {
      for (const origin of [
        'console.example.com',
        'https://a.com,https://b.com',
        "https://x.com'",
        'https://x.com/',
        'https://x.com/app',
      ]) {
        expect(() => synthPlatform('dev', { CORS_ALLOW_ORIGIN_DEV: origin })).toThrow(
          /cors.allowOrigin .* must be "\*" or one origin/,
        );
      }
    });
  });
});
