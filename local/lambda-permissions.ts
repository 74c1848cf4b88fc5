/**
 * The Lambda permissions of a synthesized stack (`aws_lambda_permission`) and whether they let API Gateway invoke a
 * function for a request: the principal `apigateway.amazonaws.com`, the action, and the `source_arn` glob over the
 * method's execute-api ARN. Without one, API Gateway answers "Invalid permissions on Lambda function" (500).
 */
import type { SynthesizedStackConfig } from '../synth/stack-json';
import type { ReferenceResolver } from './reference-resolver';

export interface LambdaPermission {
  readonly address: string;
  /** The function it grants, by name. */
  readonly functionName: string;
  readonly principal: string;
  readonly action: string;
  /** Glob over the execute-api ARN of the call (`*` matches anything); `undefined` allows any source. */
  readonly sourceArn: string | undefined;
}

/** Every Lambda permission of the stack, with function names and source ARNs resolved. */
export function describeLambdaPermissions(
  stack: SynthesizedStackConfig,
  resolver: ReferenceResolver,
): LambdaPermission[] {
  return stack.resources('aws_lambda_permission').map((permission) => {
    const where = permission.address;
    const target = resolver.string(permission.config.function_name, `${where}.function_name`);
    const functionName = target.startsWith('arn:') ? (target.split(':')[6] ?? target) : target;
    return {
      address: where,
      functionName,
      principal: resolver.string(permission.config.principal, `${where}.principal`),
      action: resolver.string(permission.config.action, `${where}.action`),
      sourceArn:
        permission.config.source_arn === undefined
          ? undefined
          : resolver.string(permission.config.source_arn, `${where}.source_arn`),
    };
  });
}

/** Whether `arn` matches an IAM-style glob (`*` any characters, `?` one). */
export function arnMatches(pattern: string, arn: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split(/([*?])/)
      .map((part) => (part === '*' ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    's',
  );
  return regex.test(arn);
}

/** Whether one of `permissions` lets API Gateway invoke `functionName` for the call with execute-api ARN `methodArn`. */
export function permits(permissions: readonly LambdaPermission[], functionName: string, methodArn: string): boolean {
  return permissions.some(
    (permission) =>
      permission.functionName === functionName &&
      permission.principal === 'apigateway.amazonaws.com' &&
      (permission.action === 'lambda:InvokeFunction' || permission.action === 'lambda:*') &&
      (permission.sourceArn === undefined || arnMatches(permission.sourceArn, methodArn)),
  );
}
