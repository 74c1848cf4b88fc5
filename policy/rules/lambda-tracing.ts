import type { Rule } from '../types';
import { expectValue, finding } from './helpers';

/** Mirrors checkov CKV_AWS_50. Active (not PassThrough): the function samples and traces requests itself. */
export const lambdaTracing: Rule = {
  id: 'CKV_AWS_50',
  title: 'Lambda functions have active X-Ray tracing',
  fix: 'Set tracing_config { mode = "Active" } on the aws_lambda_function (NodeFunction does), and allow xray:PutTraceSegments and xray:PutTelemetryRecords in its role.',
  resourceTypes: ['aws_lambda_function'],
  check(plan) {
    return plan.ofType('aws_lambda_function').flatMap((fn) => {
      const problem = expectValue(plan, fn, ['tracing_config', 0, 'mode'], 'Active');
      return problem ? [finding(fn, problem)] : [];
    });
  },
};
