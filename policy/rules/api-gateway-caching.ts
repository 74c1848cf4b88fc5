import type { Rule } from '../types';
import { expectValue, finding } from './helpers';

/** Mirrors checkov CKV_AWS_120 and (in part) cdk-nag APIGWCacheEnabledAndEncrypted. */
export const apiGatewayCaching: Rule = {
  id: 'CKV_AWS_120',
  aliases: ['APIGWCacheEnabledAndEncrypted'],
  title: 'API Gateway stages have caching enabled',
  fix: 'Set cache_cluster_enabled = true (and cache_cluster_size) on the aws_api_gateway_stage, with encrypted cache data in the method settings.',
  resourceTypes: ['aws_api_gateway_stage'],
  check(plan) {
    return plan.ofType('aws_api_gateway_stage').flatMap((stage) => {
      const problem = expectValue(plan, stage, ['cache_cluster_enabled'], true);
      return problem ? [finding(stage, problem)] : [];
    });
  },
};
