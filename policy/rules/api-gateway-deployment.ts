import type { Finding, Rule } from '../types';
import { finding } from './helpers';

/**
 * Mirrors checkov CKV_AWS_217. `lifecycle` is a meta-argument: Terraform does not include it in the plan's JSON
 * (neither in values nor in `configuration`), so this rule reads the synthesized configuration (`cdk.tf.json`),
 * and fails when it was not supplied rather than guess.
 */
export const apiGatewayDeploymentCreateBeforeDestroy: Rule = {
  id: 'CKV_AWS_217',
  title: 'API Gateway deployments are created before the old one is destroyed',
  fix:
    'Set lifecycle { create_before_destroy = true } on the aws_api_gateway_deployment (cdktf: `lifecycle: { ' +
    'createBeforeDestroy: true }`), so a stage never points at a deleted deployment while it is replaced.',
  resourceTypes: ['aws_api_gateway_deployment'],
  check(plan) {
    const findings: Finding[] = [];
    for (const deployment of plan.ofType('aws_api_gateway_deployment')) {
      if (!plan.hasSynthesized) {
        findings.push(
          finding(
            deployment,
            'lifecycle settings are not in the plan JSON and no synthesized configuration was supplied to read them from',
            "Evaluate the plan together with the stack's synthesized cdk.tf.json (scripts/policy.ts does).",
          ),
        );
        continue;
      }
      const block = plan.synthesizedBlock(deployment);
      if (!block) {
        findings.push(
          finding(
            deployment,
            'the deployment is not in the synthesized configuration, so its lifecycle cannot be read',
          ),
        );
        continue;
      }
      const lifecycle = (block.lifecycle ?? {}) as Record<string, unknown>;
      if (lifecycle.create_before_destroy !== true) {
        findings.push(finding(deployment, 'lifecycle.create_before_destroy is not true'));
      }
    }
    return findings;
  },
};
