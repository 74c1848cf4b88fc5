/**
 * A consumer's credentials from the platform's Secrets Manager secret (AWS SDK v3): one `GetSecretValue` of the
 * secret, its `SecretString` parsed by the hand-off contract (`contracts/consumer-credentials.ts`). The SDK is
 * loaded on first use, so the file and environment sources do not pay for it.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ConsumerCredentials } from '../contracts/consumer-credentials';
import { credentialsFrom, type CredentialsSource } from './credentials-source';
import { CredentialsSourceError } from './errors';

export interface SecretsManagerCredentialsSourceOptions {
  /**
   * The secret's full ARN (the stack's `consumers` output lists them by generation). A name alone is looked up in
   * the caller's own account, so readers in other accounts need the ARN.
   */
  readonly secretId: string;
  /**
   * The client to call Secrets Manager with.
   * @default one for the ARN's region (else the SDK's default region), with the SDK's default credentials
   */
  readonly client?: SecretsManagerClient;
}

/** `arn:aws:secretsmanager:<region>:…` → the region; `undefined` for a name. */
function regionOf(secretId: string): string | undefined {
  return /^arn:aws[\w-]*:secretsmanager:([a-z0-9-]+):/.exec(secretId)?.[1];
}

export class SecretsManagerCredentialsSource implements CredentialsSource {
  readonly description: string;

  constructor(private readonly options: SecretsManagerCredentialsSourceOptions) {
    if (!options.secretId) throw new TypeError('secretId is required.');
    this.description = `secret ${options.secretId}`;
  }

  async load(): Promise<ConsumerCredentials> {
    const sdk = await import('@aws-sdk/client-secrets-manager');
    const region = regionOf(this.options.secretId);
    const client = this.options.client ?? new sdk.SecretsManagerClient(region === undefined ? {} : { region });
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await client.send(
        new sdk.GetSecretValueCommand({ SecretId: this.options.secretId }),
      ));
    } catch (cause) {
      const name = (cause as Error).name;
      const hint =
        name === 'AccessDeniedException'
          ? ' Your principal needs secretsmanager:GetSecretValue on the secret and kms:Decrypt on its key ' +
            "(the stack's consumer_secrets_key_arn), and must be among the consumer's readers when in another account."
          : name === 'ResourceNotFoundException'
            ? ' Check the ARN (the consumers output lists them) and the region.'
            : '';
      throw new CredentialsSourceError(
        this.description,
        `Cannot read ${this.description}: ${name}: ${(cause as Error).message.replace(/\.?$/, '.')}${hint}`,
        { cause },
      );
    } finally {
      if (this.options.client === undefined) client.destroy();
    }
    if (secretString === undefined) {
      throw new CredentialsSourceError(this.description, `${this.description} holds no SecretString.`);
    }
    return credentialsFrom(secretString, this.description);
  }
}
