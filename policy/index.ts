/**
 * The policy gate: named security rules (after checkov and cdk-nag) evaluated on the Terraform plans of the
 * stacks, with suppressions kept in code with their justification.
 */
export { evaluatePlans, evaluateStack, suppresses, validateSuppressions } from './evaluate';
export type { EvaluateOptions, GateReport, PlanInput, RuleResult, StackReport, SuppressedFinding } from './evaluate';
export { formatReport, stackSummary } from './report';
export { PlanView } from './plan/plan-view';
export type { Attribute, Expression, Path, PlanResource } from './plan/plan-view';
export type { ShowJsonPlan, SynthesizedJson } from './plan/show-json';
export { RULES } from './rules';
export { SUPPRESSIONS } from './suppressions';
export type { Finding, Rule, Suppression } from './types';
