import { PlanView } from './plan/plan-view';
import type { ShowJsonPlan, SynthesizedJson } from './plan/show-json';
import { RULES } from './rules';
import { SUPPRESSIONS } from './suppressions';
import type { Finding, Rule, Suppression } from './types';

/** One stack to evaluate: its `terraform show -json` plan and, for lifecycle rules, its synthesized configuration. */
export interface PlanInput {
  readonly stack: string;
  /** The complete `terraform show -json` document (`OfflinePlan.json`). */
  readonly json: ShowJsonPlan | Record<string, unknown>;
  /** The stack's `cdk.tf.json`. Without it, rules that read `lifecycle` (CKV_AWS_217) fail on their resources. */
  readonly synthesized?: SynthesizedJson | Record<string, unknown>;
}

export interface EvaluateOptions {
  /** @default RULES */
  readonly rules?: readonly Rule[];
  /** @default SUPPRESSIONS */
  readonly suppressions?: readonly Suppression[];
  /** @default now */
  readonly now?: Date;
}

export interface SuppressedFinding extends Finding {
  readonly suppression: Suppression;
}

export interface RuleResult {
  readonly rule: Rule;
  /** `suppressed`: every finding it had is suppressed. */
  readonly status: 'passed' | 'failed' | 'suppressed';
  /** Whether the plan holds any resource of the rule's types. */
  readonly applicable: boolean;
  readonly failures: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}

export interface StackReport {
  readonly stack: string;
  readonly results: readonly RuleResult[];
  readonly passed: number;
  readonly failed: number;
  readonly suppressed: number;
  /** Passed rules that had no resource to look at. */
  readonly notApplicable: number;
  readonly ok: boolean;
}

export interface GateReport {
  readonly stacks: readonly StackReport[];
  /** Suppressions that matched no finding in any stack. */
  readonly unusedSuppressions: readonly Suppression[];
  readonly ok: boolean;
}

function patternMatches(patterns: string | readonly string[] | undefined, value: string): boolean {
  if (patterns === undefined) return true;
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  return list.some((pattern) => {
    const regex = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${regex}$`).test(value);
  });
}

/** Whether `suppression` covers a finding of `rule` on `address` in `stack`. */
export function suppresses(suppression: Suppression, rule: Rule, stack: string, address: string): boolean {
  const names = [rule.id, ...(rule.aliases ?? [])];
  return (
    names.includes(suppression.rule) &&
    patternMatches(suppression.stacks, stack) &&
    patternMatches(suppression.addresses, address)
  );
}

/** Refuses suppressions without a justification or for rules that do not exist. */
export function validateSuppressions(suppressions: readonly Suppression[], rules: readonly Rule[]): void {
  const names = new Set(rules.flatMap((r) => [r.id, ...(r.aliases ?? [])]));
  for (const suppression of suppressions) {
    if (!names.has(suppression.rule)) {
      throw new Error(`Suppression for unknown rule "${suppression.rule}": use a rule id or alias of the gate.`);
    }
    if (suppression.justification.trim().length < 20) {
      throw new Error(`Suppression of ${suppression.rule} needs a written justification (a sentence or more).`);
    }
  }
}

function runRule(rule: Rule, view: PlanView): Finding[] {
  try {
    return rule.check(view);
  } catch (error) {
    return [{ address: '(rule error)', message: `the rule could not evaluate the plan: ${(error as Error).message}` }];
  }
}

/** Runs every rule on one stack's plan and applies the suppressions. */
export function evaluateStack(
  input: PlanInput,
  options: EvaluateOptions = {},
  used = new Set<Suppression>(),
): StackReport {
  const rules = options.rules ?? RULES;
  const suppressions = options.suppressions ?? SUPPRESSIONS;
  const view = new PlanView(input.stack, input.json, input.synthesized, options.now);
  const types = new Set(view.resources.filter((r) => r.mode === 'managed').map((r) => r.type));

  const results = rules.map((rule): RuleResult => {
    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    for (const found of runRule(rule, view)) {
      const suppression = suppressions.find((s) => suppresses(s, rule, input.stack, found.address));
      if (suppression) {
        used.add(suppression);
        suppressed.push({ ...found, suppression });
      } else if (found.severity === 'warning') {
        warnings.push(found);
      } else {
        failures.push(found);
      }
    }
    const status = failures.length > 0 ? 'failed' : suppressed.length > 0 ? 'suppressed' : 'passed';
    return { rule, status, applicable: rule.resourceTypes.some((t) => types.has(t)), failures, warnings, suppressed };
  });

  const count = (status: RuleResult['status']) => results.filter((r) => r.status === status).length;
  return {
    stack: input.stack,
    results,
    passed: count('passed'),
    failed: count('failed'),
    suppressed: count('suppressed'),
    notApplicable: results.filter((r) => r.status === 'passed' && !r.applicable).length,
    ok: count('failed') === 0,
  };
}

/** Evaluates every stack's plan: the gate passes when no stack has an unsuppressed failure. */
export function evaluatePlans(plans: readonly PlanInput[], options: EvaluateOptions = {}): GateReport {
  const rules = options.rules ?? RULES;
  const suppressions = options.suppressions ?? SUPPRESSIONS;
  validateSuppressions(suppressions, rules);
  const used = new Set<Suppression>();
  const stacks = plans.map((plan) => evaluateStack(plan, { ...options, rules, suppressions }, used));
  return {
    stacks,
    unusedSuppressions: suppressions.filter((s) => !used.has(s)),
    ok: stacks.every((s) => s.ok),
  };
}
