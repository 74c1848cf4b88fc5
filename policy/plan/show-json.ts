/**
 * The parts of Terraform's machine-readable plan (`terraform show -json <planfile>`, format 1.x) that the policy
 * gate reads.
 * See https://developer.hashicorp.com/terraform/internals/json-format.
 */
import type { TerraformJson } from '../../synth/terraform-json';

export interface ShowJsonResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly change: {
    readonly actions: readonly string[];
    readonly after: Record<string, unknown> | null;
    /** `true` where a value is known only after apply; mirrors `after`'s shape. */
    readonly after_unknown?: unknown;
    /** `true` where a value is sensitive; mirrors `after`'s shape. */
    readonly after_sensitive?: unknown;
  };
}

export interface ShowJsonStateResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values?: Record<string, unknown>;
  readonly sensitive_values?: unknown;
}

export interface ShowJsonStateModule {
  readonly address?: string;
  readonly resources?: readonly ShowJsonStateResource[];
  readonly child_modules?: readonly ShowJsonStateModule[];
}

export interface ShowJsonConfigResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** Attribute name → expression (`{constant_value?, references?}`), nested blocks → arrays of the same. */
  readonly expressions?: Record<string, unknown>;
}

export interface ShowJsonConfigModule {
  readonly resources?: readonly ShowJsonConfigResource[];
  readonly module_calls?: Record<string, { readonly module?: ShowJsonConfigModule }>;
}

/** A `terraform show -json` plan document. */
export interface ShowJsonPlan {
  readonly format_version?: string;
  readonly resource_changes?: readonly ShowJsonResourceChange[];
  readonly prior_state?: { readonly values?: { readonly root_module?: ShowJsonStateModule } };
  readonly configuration?: { readonly root_module?: ShowJsonConfigModule };
}

/** A synthesized Terraform JSON configuration (`cdk.tf.json`): the gate reads its resource and data blocks. */
export type SynthesizedJson = TerraformJson;
