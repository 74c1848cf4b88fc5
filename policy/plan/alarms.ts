import type { Path, PlanResource, PlanView } from './plan-view';
import { parseReference } from '../../synth/references';

/**
 * CloudWatch metric alarms as the plan knows them: the metrics each alarm reads — its own metric, or the metrics
 * of its metric-math `metric_query` blocks — and its Metrics Insights queries.
 */

/** One metric an alarm reads. `dimensions` is where its dimension map is, for values and references. */
export interface AlarmMetric {
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions: Path;
}

export interface PlannedAlarm {
  readonly resource: PlanResource;
  readonly metrics: readonly AlarmMetric[];
  /** Expressions of its `metric_query` blocks (metric math or Metrics Insights queries), where known. */
  readonly expressions: readonly string[];
}

export const ALARM = 'aws_cloudwatch_metric_alarm';

export function plannedAlarms(plan: PlanView): PlannedAlarm[] {
  return plan.ofType(ALARM).map((resource) => {
    const metrics: AlarmMetric[] = [];
    const expressions: string[] = [];
    const metricName = plan.value<string>(resource, ['metric_name']);
    if (metricName) {
      metrics.push({ namespace: plan.value(resource, ['namespace']), metricName, dimensions: ['dimensions'] });
    }
    const queries = plan.value<unknown[]>(resource, ['metric_query']) ?? [];
    queries.forEach((_, i) => {
      const expression = plan.value<string>(resource, ['metric_query', i, 'expression']);
      if (expression) expressions.push(expression);
      const inner = plan.value<unknown[]>(resource, ['metric_query', i, 'metric']) ?? [];
      if (inner.length > 0) {
        metrics.push({
          namespace: plan.value(resource, ['metric_query', i, 'metric', 0, 'namespace']),
          metricName: plan.value(resource, ['metric_query', i, 'metric', 0, 'metric_name']),
          dimensions: ['metric_query', i, 'metric', 0, 'dimensions'],
        });
      }
    });
    return { resource, metrics, expressions };
  });
}

/**
 * Whether the alarm's dimension `name` identifies `target` by its `attribute`: the planned value equals the
 * target's (when both are known), or the configuration takes it from that very attribute.
 */
export function dimensionIs(
  plan: PlanView,
  alarm: PlannedAlarm,
  metric: AlarmMetric,
  name: string,
  target: PlanResource,
  attribute: string,
): boolean {
  const path = [...metric.dimensions, name];
  const value = plan.value(alarm.resource, path);
  const expected = plan.value(target, [attribute]);
  if (value !== undefined && expected !== undefined && value === expected) return true;
  return (plan.expression(alarm.resource, path)?.references ?? []).some((raw) => {
    const reference = parseReference(raw, alarm.resource.modulePrefix);
    return (
      reference?.attribute === attribute && plan.instancesOf(reference.address).some((instance) => instance === target)
    );
  });
}

/** Why the alarm would notify no one when it fires and when it recovers (empty when it notifies an SNS topic both times). */
export function notificationProblems(plan: PlanView, alarm: PlanResource): string[] {
  const problems: string[] = [];
  if (plan.value(alarm, ['actions_enabled']) === false) problems.push('actions_enabled is false');
  for (const attribute of ['alarm_actions', 'ok_actions']) {
    const known = (plan.value<unknown[]>(alarm, [attribute]) ?? []).filter(
      (action): action is string => typeof action === 'string' && /^arn:[^:]+:sns:/.test(action),
    );
    const topics = plan.referenced(alarm, [attribute], 'aws_sns_topic');
    if (known.length === 0 && topics.length === 0) problems.push(`${attribute} names no SNS topic`);
  }
  return problems;
}
