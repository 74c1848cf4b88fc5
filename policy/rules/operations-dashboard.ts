import { ALARM } from '../plan/alarms';
import type { PlanResource, PlanView } from '../plan/plan-view';
import type { Finding, Rule } from '../types';
import { finding } from './helpers';

const DASHBOARD = 'aws_cloudwatch_dashboard';

/**
 * Whether the dashboard's body names `target`: by a reference in its configuration, or by its known name in the body
 * (the planned body, or the configuration's template when the body is known only after apply).
 */
function bodyNames(plan: PlanView, dashboard: PlanResource, target: PlanResource, knownName?: string): boolean {
  if (plan.referencesAt(dashboard, ['dashboard_body']).some((r) => r.resource === target)) return true;
  const template = plan.expression(dashboard, ['dashboard_body'])?.constant;
  const body =
    plan.value<string>(dashboard, ['dashboard_body']) ?? (typeof template === 'string' ? template : undefined);
  return body !== undefined && knownName !== undefined && body.includes(JSON.stringify(knownName));
}

/**
 * OPS_5 (project rule): each API stage has a CloudWatch dashboard, and every alarm of the stack is on a dashboard's
 * alarm widget, so the on-call engineer sees what fired next to the graphs that explain it.
 */
export const stageDashboard: Rule = {
  id: 'OPS_5',
  title: 'API Gateway stages have a CloudWatch dashboard that shows every alarm',
  fix:
    "Add an aws_cloudwatch_dashboard whose body graphs the stage's API metrics (ApiName and Stage) and lists every " +
    "aws_cloudwatch_metric_alarm's arn in an alarm widget (StageOperations builds it: stacks/operations/dashboard.ts).",
  resourceTypes: ['aws_api_gateway_stage', ALARM],
  check(plan) {
    const dashboards = plan.ofType(DASHBOARD);
    const findings: Finding[] = [];
    for (const stage of plan.ofType('aws_api_gateway_stage')) {
      const apis = plan.referenced(stage, ['rest_api_id'], 'aws_api_gateway_rest_api');
      const shown = dashboards.some((dashboard) =>
        apis.some((api) => bodyNames(plan, dashboard, api, plan.value<string>(api, ['name']))),
      );
      if (!shown) findings.push(finding(stage, 'no CloudWatch dashboard graphs this stage'));
    }
    for (const alarm of plan.ofType(ALARM)) {
      const shown = dashboards.some((dashboard) =>
        plan.referencesAt(dashboard, ['dashboard_body']).some((r) => r.resource === alarm && r.attribute === 'arn'),
      );
      if (!shown) findings.push(finding(alarm, "the alarm is on no dashboard's alarm widget"));
    }
    return findings;
  },
};
