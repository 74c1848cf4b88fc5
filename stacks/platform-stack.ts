import * as path from 'node:path';
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { CATEGORY_INPUT_MODEL } from '../functions/categories/request-model';
import { CATEGORY_STORE_ACTIONS } from '../functions/categories/store-permissions';
import { CATEGORY_TABLE_KEY } from '../functions/categories/table-key';
import { ConsumerAccess } from './constructs/consumer-access';
import { domainPrefixProblem, M2mAuth } from './constructs/m2m-auth';
import { NodeFunction } from './constructs/node-function';
import { StageOperations } from './constructs/operations';
import { SecureRestApi } from './constructs/secure-rest-api';
import { LockingS3Backend } from './locking-s3-backend';
import { PROJECT, StageConfig, stateKey } from './config';
import { validateConsumers } from './consumers';
import { RESOURCE_SERVER, SCOPES, type Scope } from './scopes';

/** The categories function's entry point. */
export const CATEGORIES_ENTRY = path.resolve(__dirname, '..', 'functions', 'categories', 'handler.ts');

/** The whole system of one stage: Cognito, the REST API, the categories function and its table. */
export class PlatformStack extends TerraformStack {
  public readonly auth: M2mAuth<Scope>;
  public readonly api: SecureRestApi;
  public readonly categories: NodeFunction;
  public readonly table: DynamodbTable;
  public readonly consumers: ConsumerAccess;
  public readonly operations: StageOperations;

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    validateStageConfig(config);
    const { stage, namePrefix } = config;

    new LockingS3Backend(this, {
      bucket: config.state.bucket,
      key: stateKey(stage),
      region: config.state.region,
      encrypt: true,
    });
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { Project: PROJECT, Stage: stage, ManagedBy: 'cdktf' } }],
    });

    this.auth = new M2mAuth<Scope>(this, 'auth', {
      name: namePrefix,
      region: config.region,
      resourceServerIdentifier: RESOURCE_SERVER,
      scopes: SCOPES,
      domainPrefix: config.domainPrefix,
      deletionProtection: config.deletionProtection,
    });

    this.table = new DynamodbTable(this, 'categories-table', {
      name: `${namePrefix}-categories`,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: CATEGORY_TABLE_KEY.partitionKey,
      attribute: [{ name: CATEGORY_TABLE_KEY.partitionKey, type: CATEGORY_TABLE_KEY.type }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: config.deletionProtection,
    });

    this.categories = new NodeFunction(this, 'categories', {
      functionName: `${namePrefix}-categories`,
      bundleName: 'categories',
      entry: CATEGORIES_ENTRY,
      description: 'Categories service behind the REST API',
      logRetentionDays: config.logRetentionDays,
      reservedConcurrency: config.reservedConcurrency,
      environment: {
        TABLE_NAME: this.table.name,
        POWERTOOLS_SERVICE_NAME: 'categories',
        ...(config.corsAllowOrigin && { CORS_ALLOW_ORIGIN: config.corsAllowOrigin }),
      },
      statements: [{ actions: CATEGORY_STORE_ACTIONS, resources: [this.table.arn] }],
    });

    this.api = new SecureRestApi(this, 'api', {
      name: namePrefix,
      description: `Categories API (${stage}), secured by Cognito client-credentials access tokens`,
      userPoolArn: this.auth.userPool.arn,
      stageName: stage,
      throttling: config.throttling,
      logRetentionDays: config.logRetentionDays,
      cors: config.corsAllowOrigin === undefined ? undefined : { allowOrigin: config.corsAllowOrigin },
      apiKeyRequired: config.usagePlans,
    });
    const handler = this.categories.function;
    const scopes = (name: Scope) => [this.auth.scope(name)] as const;
    const requestModel = CATEGORY_INPUT_MODEL;
    this.api.addRoute({ method: 'GET', path: '/categories', scopes: scopes('read'), handler });
    this.api.addRoute({ method: 'POST', path: '/categories', scopes: scopes('write'), handler, requestModel });
    this.api.addRoute({ method: 'GET', path: '/categories/{id}', scopes: scopes('read'), handler });
    this.api.addRoute({ method: 'PUT', path: '/categories/{id}', scopes: scopes('update'), handler, requestModel });
    this.api.addRoute({ method: 'DELETE', path: '/categories/{id}', scopes: scopes('delete'), handler });

    this.consumers = new ConsumerAccess(this, 'consumer-access', {
      namePrefix,
      region: config.region,
      consumers: config.consumers,
      operationsConsumer: config.operationsConsumer,
      auth: this.auth,
      api: this.api,
      defaultAccessTokenValidityMinutes: config.accessTokenValidityMinutes,
      secretRecoveryDays: config.secretRecoveryDays,
      usagePlans: config.usagePlans,
    });
    const operations = this.consumers.operations.current;

    this.operations = new StageOperations(this, 'operations', {
      name: namePrefix,
      stage,
      region: config.region,
      config: config.operations,
      api: this.api,
      functions: [{ label: 'categories', fn: this.categories }],
      tables: [
        {
          label: 'categories',
          table: this.table,
          operations: CATEGORY_STORE_ACTIONS.map((action) => action.replace(/^dynamodb:/, '')),
        },
      ],
      // The shortest lifetime any consumer's tokens have: the most token requests a caching consumer needs.
      accessTokenValidityMinutes: Math.min(
        ...Object.values(config.consumers).map(
          (consumer) => consumer.accessTokenValidityMinutes ?? config.accessTokenValidityMinutes,
        ),
      ),
    });

    new TerraformOutput(this, 'api_url', { value: this.api.invokeUrl, description: 'Base URL of the API stage' });
    new TerraformOutput(this, 'token_endpoint', {
      value: this.auth.tokenEndpoint,
      description: 'OAuth2 token endpoint (client credentials)',
    });
    new TerraformOutput(this, 'client_id', {
      value: operations.client.id,
      description: `App client id of the ${config.operationsConsumer} consumer's current credentials`,
    });
    new TerraformOutput(this, 'client_secret', {
      value: operations.client.clientSecret,
      description: `App client secret of the ${config.operationsConsumer} consumer's current credentials`,
      sensitive: true,
    });
    if (operations.apiKey) {
      new TerraformOutput(this, 'api_key', {
        value: operations.apiKey.value,
        description: `API key (x-api-key) of the ${config.operationsConsumer} consumer's current credentials`,
        sensitive: true,
      });
    }
    new TerraformOutput(this, 'consumers', {
      value: this.consumers.summary(),
      description: 'Per consumer: scopes, current generation, client ids, secret ARNs (and usage plan, API key ids)',
    });
    new TerraformOutput(this, 'consumer_secrets_key_arn', {
      value: this.consumers.key.key.arn,
      description: "KMS key of the consumers' secrets (readers in other accounts need kms:Decrypt on it)",
    });
    new TerraformOutput(this, 'rest_api_id', { value: this.api.api.id, description: 'REST API id' });
    new TerraformOutput(this, 'root_resource_id', {
      value: this.api.api.rootResourceId,
      description: 'Root resource id of the REST API',
    });
    new TerraformOutput(this, 'user_pool_id', { value: this.auth.userPool.id, description: 'Cognito user pool id' });
    new TerraformOutput(this, 'issuer', { value: this.auth.issuer, description: 'The iss claim of access tokens' });
    new TerraformOutput(this, 'jwks_url', { value: this.auth.jwksUri, description: 'Signing keys of access tokens' });
    new TerraformOutput(this, 'scopes', {
      value: this.auth.allScopes,
      description: 'Every scope the resource server defines',
    });
    new TerraformOutput(this, 'alarm_topic_arn', {
      value: this.operations.alarmTopic.topic.arn,
      description: 'SNS topic the alarms notify: subscribe chat or pager targets here',
    });
    new TerraformOutput(this, 'dashboard_url', {
      value: this.operations.dashboardUrl,
      description: "The stage's CloudWatch dashboard",
    });
  }
}

/** Refuses a stage configuration that AWS would refuse at apply time, naming the stage and the bad value. */
export function validateStageConfig(config: StageConfig): void {
  validateConsumers({ ...config, definedScopes: SCOPES.map((s) => s.name) });
  if (config.domainPrefix !== undefined) {
    const problem = domainPrefixProblem(config.domainPrefix);
    if (problem) {
      throw new Error(
        `Stage "${config.stage}": Cognito domain prefix "${config.domainPrefix}" is invalid: ${problem}. ` +
          `Set DOMAIN_PREFIX_${config.stage.toUpperCase()} to another prefix, or unset it to derive one ` +
          'from the user pool id.',
      );
    }
  }
}
