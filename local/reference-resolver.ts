/**
 * Terraform references in a synthesized stack (`${type.name.attribute}`), resolved to the values the local stack
 * gives them.
 */
import { createHash } from 'node:crypto';
import {
  isResourceAttribute,
  isTemplate,
  mapTemplates,
  parseReference,
  resourceAttribute,
  type ResourceAttributeReference,
} from '../synth/references';
import type { Resource, SynthesizedStackConfig } from '../synth/stack-json';
import { LocalStackError } from './errors';

/** A short, stable, lower-case alphanumeric id derived from `seed` (API Gateway ids look like `a1b2c3d4e5`). */
export function stableId(seed: string, length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[digest[i % digest.length] % alphabet.length];
  return id;
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
