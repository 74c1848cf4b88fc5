import type { Rule } from '../types';
import { finding, unverifiable } from './helpers';

/**
 * Mirrors checkov CKV_AWS_115 and cdk-nag LambdaConcurrency: a reserved concurrency caps what one function can
 * consume (and cost) and guarantees it capacity. The provider plans `-1` for "not reserved".
 */
export const lambdaReservedConcurrency: Rule = {
  id: 'CKV_AWS_115',
  aliases: ['LambdaConcurrency'],
  title: 'Lambda functions have a reserved concurrency limit',
  fix: 'Set reserved_concurrent_executions on the aws_lambda_function (NodeFunction: `reservedConcurrency`, from the stage config).',
  resourceTypes: ['aws_lambda_function'],
  check(plan) {
    return plan.ofType('aws_lambda_function').flatMap((fn) => {
      const reserved = plan.attribute(fn, ['reserved_concurrent_executions']);
      if (reserved.kind === 'unknown') return [finding(fn, unverifiable('reserved_concurrent_executions'))];
      if (reserved.kind === 'absent' || typeof reserved.value !== 'number' || reserved.value < 0) {
        return [
          finding(fn, 'reserved_concurrent_executions is not set: the function can take the whole unreserved pool'),
        ];
      }
      return [];
    });
  },
};
