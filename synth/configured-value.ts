/**
 * Values a synthesized stack fixes before deployment: an argument as written, with every reference to another
 * resource's configured argument (`${aws_api_gateway_model.m.name}`) followed to its value. Values AWS computes at
 * deployment (ids, ARNs, a domain built with Terraform functions) have none; `computed` may supply those it knows,
 * and any other is `undefined`, so the caller decides what stands in for it.
 */
import { SynthOutputError } from './errors';
import { isResourceAttribute, isTemplate, mapTemplates, parseReference, resourceAttribute } from './references';
import type { Resource, SynthesizedStackConfig } from './stack-json';

/** A computed attribute the caller knows how to derive from configuration; `undefined` when it does not. */
export type ComputedValue = (resource: Resource, attribute: string) => unknown;

/** References followed before a value counts as circular (a chain this long is a mistake in the stack). */
const MAX_DEPTH = 32;

/** The configured value of `value`, or `undefined` when a part of it is only known after deployment. */
export function configuredValue(
  stack: SynthesizedStackConfig,
  value: unknown,
  computed: ComputedValue = () => undefined,
  depth = 0,
): unknown {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof value === 'string') {
    const whole = resourceAttribute(value);
    if (whole) return attributeValue(stack, whole.type, whole.name, whole.attribute, computed, depth);
    if (!isTemplate(value)) return value;
    let unknown = false;
    const text = mapTemplates(value, (expression) => {
      const reference = parseReference(expression);
      const resolved = isResourceAttribute(reference)
        ? attributeValue(stack, reference.type, reference.name, reference.attribute, computed, depth)
        : undefined;
      if (typeof resolved === 'string' || typeof resolved === 'number') return String(resolved);
      unknown = true;
      return '';
    });
    return unknown ? undefined : text;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => configuredValue(stack, item, computed, depth));
    return items.includes(undefined) ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, configuredValue(stack, item, computed, depth)]);
    return entries.some(([, item]) => item === undefined) ? undefined : Object.fromEntries(entries);
  }
  return value;
}

/** The configured value of `value` as a string; fails, naming `where`, when it has none before deployment. */
export function configuredString(
  stack: SynthesizedStackConfig,
  value: unknown,
  where: string,
  computed?: ComputedValue,
): string {
  const resolved = configuredValue(stack, value, computed);
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  throw new SynthOutputError(
    `${stack.name}: ${where} is ${JSON.stringify(value)}, which has no value before deployment; write it as a literal.`,
  );
}

function attributeValue(
  stack: SynthesizedStackConfig,
  type: string,
  name: string,
  attribute: string,
  computed: ComputedValue,
  depth: number,
): unknown {
  const resource = stack.find(type, name);
  if (!resource) return undefined;
  const derived = computed(resource, attribute);
  if (derived !== undefined) return derived;
  return attribute in resource.config
    ? configuredValue(stack, resource.config[attribute], computed, depth + 1)
    : undefined;
}
