import { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { PROJECT } from './config';

export interface BootstrapStackProps {
  /** Region of the state bucket. */
  readonly region: string;
  /**
   * Regions whose API Gateway account settings get the CloudWatch role: every region a stage deploys to.
   * @default [region]
   */
  readonly apiRegions?: readonly string[];
  /** Name of the state bucket: globally unique across AWS. */
  readonly stateBucket: string;
  /** Days to keep superseded state versions. @default 90 */
  readonly noncurrentStateRetentionDays?: number;
}

/**
 * What every stage of an account needs once, before any stage deploys: the S3 bucket that holds the stages'
 * Terraform state, and the API Gateway CloudWatch role, set in the API Gateway account settings of every region a
 * stage deploys to (a per-region setting), without which stages cannot write access or execution logs. Its own state stays local, in `terraform.bootstrap.tfstate` at the project root.
 */
export class BootstrapStack extends TerraformStack {
  public readonly stateBucket: S3Bucket;
  public readonly apiGatewayCloudwatchRole: IamRole;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    // Relative to the stack's working directory (cdktf.out/stacks/<id>): the state lives at the project root,
    // where deleting cdktf.out cannot lose it and moving the project does not break the path.
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    const tags = [{ tags: { Project: PROJECT, ManagedBy: 'cdktf' } }];
    new AwsProvider(this, 'aws', { region: props.region, defaultTags: tags });

    this.stateBucket = new S3Bucket(this, 'state-bucket', { bucket: props.stateBucket });
    const bucket = this.stateBucket.id;
    new S3BucketVersioningA(this, 'state-versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'state-encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, 'state-public-access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'state-ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketLifecycleConfiguration(this, 'state-lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-superseded-state',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentStateRetentionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'state-tls-only', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.stateBucket.arn, `${this.stateBucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new S3BucketPolicy(this, 'state-policy', { bucket, policy: tlsOnly.json });

    const assumeByApiGateway = new DataAwsIamPolicyDocument(this, 'apigateway-assume-role', {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }],
        },
      ],
    });
    this.apiGatewayCloudwatchRole = new IamRole(this, 'apigateway-cloudwatch-role', {
      name: `${PROJECT}-apigateway-cloudwatch`,
      assumeRolePolicy: assumeByApiGateway.json,
    });
    const attachment = new IamRolePolicyAttachment(this, 'apigateway-cloudwatch-logs', {
      role: this.apiGatewayCloudwatchRole.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    });
    // IAM is global, the API Gateway account setting is per region: one role, one setting per stage region.
    for (const region of new Set(props.apiRegions ?? [props.region])) {
      const provider =
        region === props.region
          ? undefined
          : new AwsProvider(this, `aws-${region}`, { region, alias: region, defaultTags: tags });
      new ApiGatewayAccount(this, `apigateway-account-${region}`, {
        provider,
        cloudwatchRoleArn: this.apiGatewayCloudwatchRole.arn,
        dependsOn: [attachment],
      });
    }

    new TerraformOutput(this, 'state_bucket', {
      value: this.stateBucket.bucket,
      description: 'Terraform state bucket',
    });
  }
}
