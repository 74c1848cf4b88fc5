/**
 * The Terraform JSON configuration that cdktf synthesizes (`cdk.tf.json`), as far as this project reads it.
 * See https://developer.hashicorp.com/terraform/language/syntax/json.
 */

/** The arguments and nested blocks of one resource, data source or provider configuration. */
export type Config = Record<string, unknown>;

export interface TerraformJson {
  readonly terraform?: Config;
  /** Provider name → its configurations (several with aliases). */
  readonly provider?: Record<string, Config[]>;
  /** Resource type → name → configuration. */
  readonly resource?: Record<string, Record<string, Config>>;
  /** Data source type → name → configuration. */
  readonly data?: Record<string, Record<string, Config>>;
  /** Local values (`locals { ... }`) by name. */
  readonly locals?: Record<string, unknown>;
  /** Resources whose address changed (`moved { from, to }` blocks), so Terraform moves them instead of replacing. */
  readonly moved?: readonly { readonly from: string; readonly to: string }[];
  readonly output?: Record<
    string,
    { readonly value: unknown; readonly sensitive?: boolean; readonly description?: string }
  >;
}
