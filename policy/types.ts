import type { PlanView } from './plan/plan-view';

/** One violation of a rule by one resource. */
export interface Finding {
  /** Terraform address of the offending resource, exactly as in the plan (e.g. `aws_lambda_function.fn`). */
  readonly address: string;
  /** What is wrong with this resource, specifically. */
  readonly message: string;
  /** A fix for this case, when it is more specific than the rule's general fix. */
  readonly fix?: string;
  /** Warnings are reported but never fail the gate. @default 'error' */
  readonly severity?: 'error' | 'warning';
}

/**
 * A named check over the plan of one stack. Ids are those of the checkov rule it mirrors (`CKV_AWS_59`), or of
 * the cdk-nag rule when checkov has none; `aliases` lists the other tools' ids for the same concern, so that a
 * reviewer who knows either tool recognises it. Project-specific rules use a project prefix (`COG_M2M_1`).
 */
export interface Rule {
  readonly id: string;
  readonly aliases?: readonly string[];
  readonly title: string;
  /** How to fix a failure, in terms of the Terraform resource (and, where useful, this project's constructs). */
  readonly fix: string;
  /**
   * The resource types the rule looks at. With none of them in a plan the rule passes and is reported as having
   * no matching resources.
   */
  readonly resourceTypes: readonly string[];
  check(plan: PlanView): Finding[];
}

/**
 * An accepted deviation from a rule, kept in code with its reason. A suppression applies to a finding when the
 * rule (by id or alias), the stack and the resource address all match. Patterns use `*` as "any characters".
 */
export interface Suppression {
  /** Rule id or one of its aliases. */
  readonly rule: string;
  /** Stack name pattern(s). @default every stack */
  readonly stacks?: string | readonly string[];
  /** Resource address pattern(s), e.g. `aws_api_gateway_stage.*`. @default every resource */
  readonly addresses?: string | readonly string[];
  /** Why the deviation is acceptable: printed in every report that applies it. */
  readonly justification: string;
}
