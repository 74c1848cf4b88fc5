import type { Rule } from '../types';
import { finding } from './helpers';

/** Mirrors checkov CKV2_AWS_29 and cdk-nag AwsSolutions-APIG3. */
export const apiGatewayWaf: Rule = {
  id: 'CKV2_AWS_29',
  aliases: ['APIG3'],
  title: 'API Gateway stages are protected by an AWS WAF web ACL',
  fix: 'Associate a web ACL with the stage: aws_wafv2_web_acl_association { resource_arn = <stage>.arn, web_acl_arn = ... }.',
  resourceTypes: ['aws_api_gateway_stage'],
  check(plan) {
    const associations = plan.ofType('aws_wafv2_web_acl_association', 'aws_wafregional_web_acl_association');
    return plan
      .ofType('aws_api_gateway_stage')
      .filter((stage) => !associations.some((a) => plan.references(a, ['resource_arn'], stage)))
      .map((stage) => finding(stage, 'no WAF web ACL is associated with the stage'));
  },
};
