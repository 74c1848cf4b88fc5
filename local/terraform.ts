/**
 * Reading a synthesized stack (`cdk.tf.json`) the way the local stack needs it: resources by type, Terraform
 * references (`${type.name.attribute}`) parsed and resolved to local values.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  isResourceAttribute,
  isTemplate,
  mapTemplates,
  parseReference,
  resourceAttribute,
  type ResourceAttributeReference,
} from '../synth/references';

/** Problems with the synthesized configuration that the local stack cannot serve: reported at start-up. */
export class LocalStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStackError';
  }
}

export type Config = Record<string, unknown>;

export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Config>>;
  readonly provider?: Record<string, Config[]>;
  readonly output?: Record<string, { value: unknown }>;
}

export interface Resource {
  readonly type: string;
  readonly name: string;
  readonly config: Config;
  /** `type.name`, as Terraform addresses it. */
  readonly address: string;
}

/** A short, stable, lower-case alphanumeric id derived from `seed` (API Gateway ids look like `a1b2c3d4e5`). */
export function stableId(seed: string, length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[digest[i % digest.length] % alphabet.length];
  return id;
}

/** One synthesized stack: its Terraform JSON and the folder its relative paths (assets) start from. */
export class SynthesizedStackConfig {
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
      throw new LocalStackError(`Cannot read the synthesized stack ${file}: ${(error as Error).message}`);
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
      throw new LocalStackError(
        `${where}: expected a reference to ${types.join(' or ')}, found ${JSON.stringify(value)}.`,
      );
    }
    const resource = this.find(reference.type, reference.name);
    if (!resource) throw new LocalStackError(`${where}: ${reference.type}.${reference.name} is not in the stack.`);
    return resource;
  }
}

/** Computes the local value of a resource attribute that Terraform would only know after apply (ids, ARNs...). */
export type ComputedAttribute = (resource: Resource, attribute: string) => unknown;

/**
 * Resolves Terraform references in synthesized values to local values: plain arguments resolve to their own
 * (resolved) configuration, computed attributes through the registered rules. Anything else (function calls,
 * unknown computed attributes) is refused with a message naming where it was needed: the local stack never
 * guesses a value.
 */
export class ReferenceResolver {
  private readonly computed = new Map<string, ComputedAttribute>();

  constructor(private readonly stack: SynthesizedStackConfig) {}

  /** Registers how to compute the attributes of resources of `type` that are not in their configuration. */
  register(type: string, compute: ComputedAttribute): void {
    this.computed.set(type, compute);
  }

  /** Resolves every reference in `value` (strings, arrays, objects). */
  resolve(value: unknown, where: string): unknown {
    if (typeof value === 'string') return this.resolveString(value, where);
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, where));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v, where)]));
    }
    return value;
  }

  /** Resolves `value` and insists on a string. */
  string(value: unknown, where: string): string {
    const resolved = this.resolve(value, where);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new LocalStackError(`${where}: expected a string, found ${JSON.stringify(resolved)}.`);
  }

  attribute(reference: ResourceAttributeReference, where: string): unknown {
    const resource = this.stack.find(reference.type, reference.name);
    if (!resource) throw new LocalStackError(`${where}: ${reference.type}.${reference.name} is not in the stack.`);
    const compute = this.computed.get(reference.type);
    const computed = compute?.(resource, reference.attribute);
    if (computed !== undefined) return computed;
    if (reference.attribute in resource.config) {
      return this.resolve(
        resource.config[reference.attribute],
        `${where} → ${resource.address}.${reference.attribute}`,
      );
    }
    if (reference.attribute === 'id') return `local-${stableId(resource.address, 10)}`;
    throw new LocalStackError(
      `${where}: the local stack cannot compute ${resource.address}.${reference.attribute} ` +
        '(a value AWS only knows after deployment).',
    );
  }

  private resolveString(value: string, where: string): unknown {
    const whole = resourceAttribute(value);
    if (whole) return this.attribute(whole, where);
    if (!isTemplate(value)) return value;
    return mapTemplates(value, (expression, template) => {
      const reference = parseReference(expression);
      if (!isResourceAttribute(reference)) {
        throw new LocalStackError(`${where}: the local stack cannot evaluate the Terraform expression ${template}.`);
      }
      const resolved = this.attribute(reference, where);
      if (typeof resolved !== 'string' && typeof resolved !== 'number') {
        throw new LocalStackError(`${where}: ${template} is not a string.`);
      }
      return String(resolved);
    });
  }
}
