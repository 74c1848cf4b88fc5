import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';

/** Principals allowed to decrypt the secrets whose names start with `secretNamePrefix`. */
export interface SecretReaders {
  /** Policy statement id: letters and digits. */
  readonly sid: string;
  readonly principals: readonly string[];
  /** e.g. `m2m-api-dev/consumers/catalog-reader/` */
  readonly secretNamePrefix: string;
}

export interface ConsumerSecretsKeyProps {
  /** Alias name, without `alias/`. */
  readonly alias: string;
  readonly description: string;
  /** Region of the secrets (Secrets Manager's endpoint in `kms:ViaService`). */
  readonly region: string;
  /** Who may decrypt which secrets, besides the account's own IAM principals. @default none */
  readonly readers?: readonly SecretReaders[];
  /**
   * Days between scheduling the key's deletion and its deletion (7–30). Keep it at least the secrets' recovery
   * window: a secret whose key is gone cannot be recovered. @default 30
   */
  readonly deletionWindowDays?: number;
}

/**
 * A customer managed KMS key for the consumers' secrets. The AWS managed key (`aws/secretsmanager`) cannot be used
 * across accounts ("Access AWS Secrets Manager secrets from a different account", Secrets Manager user guide), so
 * consumers in other accounts need a key whose policy names them.
 *
 * The key policy gives the account the key (the default policy's "Enable IAM policies" statement: principals of
 * the account use it as far as their IAM policies allow), and each listed reader `kms:Decrypt` only through Secrets
 * Manager in this region (`kms:ViaService`) and only for its own consumer's secrets (`kms:EncryptionContext:SecretARN`,
 * the context Secrets Manager encrypts every secret version under: "Secret encryption and decryption in AWS
 * Secrets Manager"). The account id and partition come from the key's own ARN, so no data source has to ask AWS.
 */
export class ConsumerSecretsKey extends Construct {
  public readonly key: KmsKey;
  public readonly alias: KmsAlias;
  public readonly policy: KmsKeyPolicy;

  constructor(scope: Construct, id: string, props: ConsumerSecretsKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
    });
    this.alias = new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });

    const arnPart = (index: number): string => Token.asString(Fn.element(Fn.split(':', this.key.arn), index));
    const partition = arnPart(1);
    const account = arnPart(4);
    const document = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'EnableIamPolicies',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [`arn:${partition}:iam::${account}:root`] }],
          actions: ['kms:*'],
          resources: ['*'],
        },
        ...(props.readers ?? []).map((readers) => ({
          sid: readers.sid,
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [...readers.principals] }],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          condition: [
            {
              test: 'StringEquals',
              variable: 'kms:ViaService',
              values: [`secretsmanager.${props.region}.amazonaws.com`],
            },
            {
              test: 'StringLike',
              variable: 'kms:EncryptionContext:SecretARN',
              values: [
                `arn:${partition}:secretsmanager:${props.region}:${account}:secret:${readers.secretNamePrefix}*`,
              ],
            },
          ],
        })),
      ],
    });
    this.policy = new KmsKeyPolicy(this, 'policy', { keyId: this.key.keyId, policy: document.json });
  }
}
