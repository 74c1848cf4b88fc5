/** Reading synthesized Terraform JSON in tests by type or construct, never by generated logical ids. */
import { TerraformDataSource, TerraformResource } from 'cdktf';
import type { Config, TerraformJson as SynthesizedJson } from '../../synth/terraform-json';

export type { Config };

/** A synthesized stack of this project: every one has these sections. */
export type TerraformJson = SynthesizedJson & Required<Pick<SynthesizedJson, 'terraform' | 'resource' | 'output'>>;

export interface Found {
  readonly type: string;
  readonly name: string;
  readonly config: Config;
  /** A Terraform reference to one of its attributes: `${type.name.attribute}`. */
  ref(attribute: string): string;
}

function found(type: string, name: string, config: Config): Found {
  return {
    type,
    name,
    config,
    ref: (attribute) => `\${${type}.${name}.${attribute}}`,
  };
}

export function resources(json: TerraformJson, type: string): Found[] {
  return Object.entries(json.resource[type] ?? {}).map(([name, config]) => found(type, name, config));
}

export function dataSources(json: TerraformJson, type: string): Found[] {
  return Object.entries(json.data?.[type] ?? {}).map(([name, config]) => found(`data.${type}`, name, config));
}

/** The one resource of `type`; fails when there are none or several. */
export function only(json: TerraformJson, type: string): Found {
  const all = resources(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The synthesized configuration of a resource or data source held by the stack under test. */
export function of(json: TerraformJson, element: TerraformResource | TerraformDataSource): Found {
  const type = element.terraformResourceType;
  const isData = element instanceof TerraformDataSource;
  const config = (isData ? json.data : json.resource)?.[type]?.[element.friendlyUniqueId];
  if (!config) throw new Error(`${element.node.path} is not in the synthesized JSON`);
  return found(isData ? `data.${type}` : type, element.friendlyUniqueId, config);
}

/**
 * What a deployment's `redeployment` trigger hashes: the local it names, `${sha1(jsonencode(local.<name>))}`.
 * Fails when the trigger has another shape or names no local of the stack.
 */
export function triggerInput(json: TerraformJson, deployment: Found): Record<string, unknown> {
  const trigger = (deployment.config.triggers as Record<string, string> | undefined)?.redeployment ?? '';
  const name = /^\$\{sha1\(jsonencode\(local\.([\w-]+)\)\)\}$/.exec(trigger)?.[1];
  const input = name === undefined ? undefined : json.locals?.[name];
  if (typeof input !== 'object' || input === null) {
    throw new Error(`${deployment.type}.${deployment.name}: the trigger "${trigger}" hashes no local of the stack`);
  }
  return input as Record<string, unknown>;
}
