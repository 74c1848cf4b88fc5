/**
 * One synthesized stack, loaded: its Terraform JSON, resources by type and address, and the resource a reference
 * (`${type.name.attribute}`) points at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SynthOutputError } from './errors';
import { resourceAttribute } from './references';
import type { Config, TerraformJson } from './terraform-json';

export interface Resource {
  readonly type: string;
  readonly name: string;
  readonly config: Config;
  /** `type.name`, as Terraform addresses it. */
  readonly address: string;
}

/** One synthesized stack: its Terraform JSON and the folder its relative paths (assets) start from. */
export class SynthesizedStackConfig {
  /** The region of the stack's default aws provider when it is a literal; `us-east-1` otherwise. */
  readonly region: string;

  constructor(
    readonly name: string,
    readonly json: TerraformJson,
    readonly workingDirectory: string,
  ) {
    const aws = json.provider?.aws?.[0];
    const region = aws?.region;
    this.region = typeof region === 'string' && !region.includes('${') ? region : 'us-east-1';
  }

  static load(name: string, file: string): SynthesizedStackConfig {
    let json: TerraformJson;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
    } catch (error) {
      throw new SynthOutputError(`Cannot read the synthesized stack ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return new SynthesizedStackConfig(name, json, path.dirname(file));
  }

  resources(type: string): Resource[] {
    return Object.entries(this.json.resource?.[type] ?? {}).map(([name, config]) => ({
      type,
      name,
      config,
      address: `${type}.${name}`,
    }));
  }

  find(type: string, name: string): Resource | undefined {
    const config = this.json.resource?.[type]?.[name];
    return config === undefined ? undefined : { type, name, config, address: `${type}.${name}` };
  }

  /** The resource a reference points at; fails (naming `where`) when it is not a resource of `expectedType`. */
  target(value: unknown, expectedType: string | readonly string[], where: string): Resource {
    const reference = resourceAttribute(value);
    const types = typeof expectedType === 'string' ? [expectedType] : expectedType;
    if (!reference || !types.includes(reference.type)) {
      throw new SynthOutputError(
        `${where}: expected a reference to ${types.join(' or ')}, found ${JSON.stringify(value)}.`,
      );
    }
    const resource = this.find(reference.type, reference.name);
    if (!resource) throw new SynthOutputError(`${where}: ${reference.type}.${reference.name} is not in the stack.`);
    return resource;
  }
}
