import { Construct } from 'constructs';
import { S3Backend, S3BackendConfig } from 'cdktf';

export interface LockingS3BackendConfig extends S3BackendConfig {
  /**
   * Lock the state with a lock file next to it in the bucket (native S3 locking, Terraform 1.11+),
   * instead of the deprecated DynamoDB lock table. cdktf 0.21's S3BackendConfig predates this option;
   * the backend writes its props through as snake_case, so it is emitted as `use_lockfile`.
   * @default true
   */
  readonly useLockfile?: boolean;
}

/** The S3 backend with native state locking on by default. */
export class LockingS3Backend extends S3Backend {
  constructor(scope: Construct, config: LockingS3BackendConfig) {
    const props: LockingS3BackendConfig = { ...config, useLockfile: config.useLockfile ?? true };
    super(scope, props);
  }
}
