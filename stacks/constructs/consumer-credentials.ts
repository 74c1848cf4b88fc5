import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { ConsumerCredentials as SecretDocument } from '../../contracts/consumer-credentials';
import {
  consumerResourceName,
  consumerSecretName,
  currentGeneration,
  type ConsumerConfig,
  type ConsumerLimits,
  type CredentialGeneration,
} from '../consumers';
import type { Scope } from '../scopes';
import type { M2mAuth } from './m2m-auth';

/** The API stage whose usage plan enforces a consumer's limits. */
export interface UsagePlanTarget {
  readonly restApiId: string;
  readonly stageName: string;
}

export interface ConsumerCredentialsProps {
  /** The consumer's name in the registry. */
  readonly name: string;
  readonly consumer: ConsumerConfig;
  /** Prefix of every name, e.g. `m2m-api-dev`. */
  readonly namePrefix: string;
  readonly auth: M2mAuth<Scope>;
  /** The lifetime of the consumer's access tokens, in minutes (its own, or the stage's). */
  readonly accessTokenValidityMinutes: number;
  /** What the secret tells the consumer: the token endpoint and the API's base URL. */
  readonly tokenUrl: string;
  readonly apiUrl: string;
  /** The customer managed KMS key that encrypts the secrets. */
  readonly encryptionKeyArn: string;
  /** Days a removed secret stays recoverable. */
  readonly recoveryWindowDays: number;
  /**
   * With usage plans on: the stage the consumer's usage plan covers; each generation then gets an API key.
   * @default no API keys, no usage plan
   */
  readonly usagePlan?: UsagePlanTarget;
}

/** One credential generation: its app client, its API key (with usage plans) and the secret handing them over. */
export interface CredentialGenerationResources {
  readonly generation: CredentialGeneration;
  readonly client: CognitoUserPoolClient;
  readonly apiKey?: ApiGatewayApiKey;
  readonly secret: SecretsmanagerSecret;
  readonly secretVersion: SecretsmanagerSecretVersion;
  /** What the secret holds, with Terraform references for the values known after apply. */
  readonly document: SecretDocument;
}

/**
 * Everything one consumer holds: per credential generation an app client limited to the consumer's scopes, an API
 * key (with usage plans) and a Secrets Manager secret with the credentials (`contracts/consumer-credentials.ts`),
 * readable by the consumer's listed readers; and, with usage plans, the consumer's usage plan.
 *
 * Generations overlap for rotation without downtime: Cognito's second client secret (AddUserPoolClientSecret) is not
 * in the hashicorp/aws provider this project plans with, so a new generation is a new app client with the same scopes.
 */
export class ConsumerCredentials extends Construct {
  public readonly generations: readonly CredentialGenerationResources[];
  /** The current (highest) generation. */
  public readonly current: CredentialGenerationResources;
  /** The full scope strings the consumer's clients may request. */
  public readonly scopes: readonly string[];
  public readonly usagePlan?: ApiGatewayUsagePlan;

  constructor(scope: Construct, id: string, props: ConsumerCredentialsProps) {
    super(scope, id);
    const { name, consumer, namePrefix } = props;
    this.scopes = consumer.scopes.map((s) => props.auth.scope(s));
    this.usagePlan = props.usagePlan && this.addUsagePlan(props.usagePlan, props, requireLimits(props));
    const readers = consumer.credentials.readers ?? [];
    const readPolicy =
      readers.length === 0
        ? undefined
        : new DataAwsIamPolicyDocument(this, 'read-policy', {
            statement: [
              {
                sid: 'ConsumerReadsItsCredentials',
                effect: 'Allow',
                principals: [{ type: 'AWS', identifiers: [...readers] }],
                actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
                resources: ['*'],
              },
            ],
          });

    this.generations = consumer.credentials.generations.map((generation) => {
      const resourceName = consumerResourceName(namePrefix, name, generation);
      const client = props.auth.addClient(this, `client-${generation}`, {
        name: resourceName,
        scopes: consumer.scopes,
        accessTokenValidityMinutes: props.accessTokenValidityMinutes,
      });
      const apiKey =
        this.usagePlan &&
        new ApiGatewayApiKey(this, `api-key-${generation}`, {
          name: resourceName,
          description: `${consumer.description} (credential generation ${generation})`,
          enabled: true,
          // No value: API Gateway generates it, and it reaches the consumer only through the secret.
        });
      if (apiKey && this.usagePlan) {
        new ApiGatewayUsagePlanKey(this, `usage-plan-key-${generation}`, {
          keyId: apiKey.id,
          keyType: 'API_KEY',
          usagePlanId: this.usagePlan.id,
        });
      }
      const secret = new SecretsmanagerSecret(this, `secret-${generation}`, {
        name: consumerSecretName(namePrefix, name, generation),
        description: `Credentials of ${name}, generation ${generation}: ${consumer.description}`,
        kmsKeyId: props.encryptionKeyArn,
        recoveryWindowInDays: props.recoveryWindowDays,
      });
      const document: SecretDocument = {
        version: 1,
        consumer: name,
        generation,
        clientId: client.id,
        clientSecret: client.clientSecret,
        tokenUrl: props.tokenUrl,
        apiUrl: props.apiUrl,
        scopes: [...this.scopes],
        ...(apiKey && { apiKey: apiKey.value }),
      };
      const secretVersion = new SecretsmanagerSecretVersion(this, `secret-version-${generation}`, {
        secretId: secret.id,
        secretString: Fn.jsonencode(document),
      });
      if (readPolicy) {
        new SecretsmanagerSecretPolicy(this, `secret-policy-${generation}`, {
          secretArn: secret.arn,
          policy: readPolicy.json,
          // Secrets Manager refuses a policy that would grant broad access (public, or to any account).
          blockPublicPolicy: true,
        });
      }
      return { generation, client, apiKey, secret, secretVersion, document };
    });
    const newest = currentGeneration(consumer.credentials);
    this.current = this.generations.find((g) => g.generation === newest) as CredentialGenerationResources;
  }

  private addUsagePlan(target: UsagePlanTarget, props: ConsumerCredentialsProps, limits: ConsumerLimits) {
    return new ApiGatewayUsagePlan(this, 'usage-plan', {
      name: consumerResourceName(props.namePrefix, props.name),
      description: props.consumer.description,
      apiStages: [{ apiId: target.restApiId, stage: target.stageName }],
      throttleSettings: { rateLimit: limits.rateLimit, burstLimit: limits.burstLimit },
      quotaSettings: limits.quota && { limit: limits.quota.limit, period: limits.quota.period },
    });
  }
}

function requireLimits(props: ConsumerCredentialsProps): ConsumerLimits {
  if (!props.consumer.limits) {
    throw new Error(`Consumer "${props.name}": a usage plan needs limits ({ rateLimit, burstLimit, quota? }).`);
  }
  return props.consumer.limits;
}
