import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Bundle, bundleNodeFunction } from '../bundling';

/** One statement of the function's inline policy. */
export interface PolicyStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

export interface NodeFunctionProps {
  /** Name of the Lambda function (and of its role and log group). */
  readonly functionName: string;
  /** Absolute path of the TypeScript entry point exporting `handler`. */
  readonly entry: string;
  /** Folder name of the bundle; functions sharing an entry may share it. @default functionName */
  readonly bundleName?: string;
  readonly description?: string;
  /** Environment variables of the function. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** @default 256 */
  readonly memorySize?: number;
  /** Seconds. @default 10 */
  readonly timeout?: number;
  /** Reserved concurrency; `undefined` leaves the function on the account's unreserved pool. @default undefined */
  readonly reservedConcurrency?: number;
  /** Permissions beyond logging to its own log group and X-Ray writes. @default none */
  readonly statements?: readonly PolicyStatement[];
}

/** The Lambda runtime, architecture and handler every function of this project uses. */
export const NODE_RUNTIME = 'nodejs22.x';
export const ARCHITECTURE = 'arm64';

/**
 * A TypeScript Lambda function: bundled by esbuild and zipped reproducibly at synth time, traced by X-Ray,
 * logging JSON to a log group of its own with retention, under a role that may do nothing else than what
 * `statements` grant.
 */
export class NodeFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: IamRole;
  /** The role's only policy: logging, tracing and `statements`. */
  public readonly policy: DataAwsIamPolicyDocument;
  public readonly rolePolicy: IamRolePolicy;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly asset: TerraformAsset;
  /** The bundled code and its deployment package. */
  public readonly bundle: Bundle;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);

    this.bundle = bundleNodeFunction({ entry: props.entry, name: props.bundleName ?? props.functionName });
    this.asset = new TerraformAsset(this, 'code', { path: this.bundle.zipFile, type: AssetType.FILE });

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });

    const assumeRole = new DataAwsIamPolicyDocument(this, 'assume-role', {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      name: `${props.functionName}-role`,
      assumeRolePolicy: assumeRole.json,
    });

    const statements: PolicyStatement[] = [
      // The log group exists already: no logs:CreateLogGroup, unlike the AWSLambdaBasicExecutionRole managed policy.
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] },
      // X-Ray supports no resource-level permissions for these actions.
      { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
      ...(props.statements ?? []),
    ];
    this.policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: statements.map((s) => ({ actions: [...s.actions], resources: [...s.resources] })),
    });
    this.rolePolicy = new IamRolePolicy(this, 'role-policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: this.policy.json,
    });

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: NODE_RUNTIME,
      architectures: [ARCHITECTURE],
      handler: 'index.handler',
      filename: this.asset.path,
      // The zip is reproducible, so its hash changes only with the code, and equals Lambda's CodeSha256.
      sourceCodeHash: this.bundle.sha256,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? 10,
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      environment: props.environment ? { variables: { ...props.environment } } : undefined,
      // The log group exists before the function can log, and the policy before it runs.
      dependsOn: [this.logGroup, this.rolePolicy],
    });
  }
}
