import type {
  ShowJsonConfigModule,
  ShowJsonConfigResource,
  ShowJsonPlan,
  ShowJsonStateModule,
  SynthesizedJson,
} from './show-json';
import { parseReference, templateReferences } from '../../synth/references';

/** A path into a resource's attributes: attribute names, block and list indexes, map keys. */
export type Path = readonly (string | number)[];

/** What the plan knows about one attribute. */
export type Attribute =
  | { readonly kind: 'known'; readonly value: unknown }
  /** Known only after apply (computed, or derived from something computed). */
  | { readonly kind: 'unknown' }
  /** Not set (null or missing) in the planned values. */
  | { readonly kind: 'absent' };

/** An attribute's expression in the configuration. */
export interface Expression {
  /**
   * The value as written, when it is a constant. In the JSON syntax that cdktf emits, computed values are
   * constants too: strings holding `${...}` templates.
   */
  readonly constant?: unknown;
  /** Raw Terraform references the expression uses (`aws_x.name.attr`, `aws_x.name`). */
  readonly references: readonly string[];
}

/** One resource or data source instance of the plan, in its planned (after) state. */
export interface PlanResource {
  /** Address as in the plan, with module path and instance key: `module.m.aws_x.name[0]`. */
  readonly address: string;
  /** Address in the configuration: module path, no instance key. */
  readonly configAddress: string;
  /** `module.m.` for resources in a child module, else empty. */
  readonly modulePrefix: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
  /** Planned values; values known only after apply are missing. */
  readonly values: Record<string, unknown>;
  readonly unknown: unknown;
  readonly sensitive: unknown;
  /** The configuration's expressions for the resource (empty when the plan carries no configuration). */
  readonly expressions: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function step(value: unknown, key: string | number): unknown {
  if (Array.isArray(value) && typeof key === 'number') return value[key];
  if (isRecord(value) && typeof key === 'string') return value[key];
  return undefined;
}

function isExpressionNode(node: unknown): node is { constant_value?: unknown; references?: string[] } {
  return isRecord(node) && ('constant_value' in node || 'references' in node);
}

function stripIndex(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

/**
 * A typed, read-only view of one stack's plan: planned values of every managed resource and data source (with
 * what is unknown until apply), the configuration's expressions and references (which say what a computed value
 * will be — e.g. that a method's `authorizer_id` is the id of a given authorizer), and, when given, the
 * synthesized Terraform JSON, for what neither of them shows (resource `lifecycle` settings).
 */
export class PlanView {
  public readonly resources: readonly PlanResource[];
  private readonly byConfigAddress = new Map<string, PlanResource[]>();

  constructor(
    /** Name of the stack the plan belongs to. */
    public readonly stack: string,
    plan: ShowJsonPlan,
    private readonly synthesized?: SynthesizedJson,
    /** The moment the plan is evaluated at (for date-based rules such as runtime deprecation). */
    public readonly evaluatedAt: Date = new Date(),
  ) {
    const config = new Map<string, ShowJsonConfigResource>();
    collectConfig(plan.configuration?.root_module, '', config);
    const resources: PlanResource[] = [];
    const seen = new Set<string>();

    for (const change of plan.resource_changes ?? []) {
      const after = change.change.after;
      if (!after) continue; // deleted: nothing to evaluate
      const modulePrefix = change.module_address ? `${change.module_address}.` : '';
      const configAddress = stripIndex(change.address);
      resources.push({
        address: change.address,
        configAddress,
        modulePrefix,
        mode: change.mode,
        type: change.type,
        name: change.name,
        actions: change.change.actions,
        values: after,
        unknown: change.change.after_unknown ?? {},
        sensitive: change.change.after_sensitive ?? {},
        expressions: config.get(configAddress)?.expressions ?? {},
      });
      seen.add(change.address);
    }
    // Data sources read while planning are in the prior state only.
    for (const state of stateResources(plan.prior_state?.values?.root_module)) {
      if (state.mode !== 'data' || seen.has(state.resource.address)) continue;
      const configAddress = stripIndex(state.resource.address);
      resources.push({
        address: state.resource.address,
        configAddress,
        modulePrefix: state.modulePrefix,
        mode: 'data',
        type: state.resource.type,
        name: state.resource.name,
        actions: ['read'],
        values: state.resource.values ?? {},
        unknown: {},
        sensitive: state.resource.sensitive_values ?? {},
        expressions: config.get(configAddress)?.expressions ?? {},
      });
    }
    this.resources = resources;
    for (const resource of resources) {
      const list = this.byConfigAddress.get(resource.configAddress) ?? [];
      list.push(resource);
      this.byConfigAddress.set(resource.configAddress, list);
    }
  }

  /** Whether the synthesized configuration was supplied (needed by rules that read `lifecycle`). */
  public get hasSynthesized(): boolean {
    return this.synthesized !== undefined;
  }

  /** Managed resources of the given types. */
  public ofType(...types: string[]): PlanResource[] {
    return this.resources.filter((r) => r.mode === 'managed' && types.includes(r.type));
  }

  /** Data sources of the given types. */
  public dataOfType(...types: string[]): PlanResource[] {
    return this.resources.filter((r) => r.mode === 'data' && types.includes(r.type));
  }

  /** The instances of a configuration address (one, or several with count/for_each). */
  public instancesOf(configAddress: string): PlanResource[] {
    return this.byConfigAddress.get(configAddress) ?? [];
  }

  /** What the plan knows about the attribute at `path`. */
  public attribute(resource: PlanResource, path: Path): Attribute {
    let value: unknown = resource.values;
    let unknown: unknown = resource.unknown;
    for (const key of path) {
      if (unknown === true) return { kind: 'unknown' };
      value = step(value, key);
      unknown = step(unknown, key);
    }
    if (unknown === true) return { kind: 'unknown' };
    return value === undefined || value === null ? { kind: 'absent' } : { kind: 'known', value };
  }

  /** The known value at `path`, or `undefined` when it is absent or unknown. */
  public value<T = unknown>(resource: PlanResource, path: Path): T | undefined {
    const attribute = this.attribute(resource, path);
    return attribute.kind === 'known' ? (attribute.value as T) : undefined;
  }

  /** Whether the value at `path` (or the value holding it) is marked sensitive in the plan. */
  public isSensitive(resource: PlanResource, path: Path): boolean {
    let node: unknown = resource.sensitive;
    for (const key of path) {
      if (node === true) return true;
      node = step(node, key);
    }
    return node === true;
  }

  /**
   * The configuration's expression for the attribute at `path`. A path that goes past an attribute into its
   * value (a list element, a map key) yields that part of the constant, with the references of its own templates.
   */
  public expression(resource: PlanResource, path: Path): Expression | undefined {
    let node: unknown = resource.expressions;
    for (let i = 0; i < path.length; i += 1) {
      if (isExpressionNode(node)) {
        let constant: unknown = node.constant_value;
        for (const key of path.slice(i)) constant = step(constant, key);
        if (constant === undefined) return undefined;
        return { constant, references: referencesIn(constant) };
      }
      node = step(node, path[i]);
    }
    if (!isExpressionNode(node)) return undefined;
    return {
      constant: node.constant_value,
      references: [...new Set([...(node.references ?? []), ...referencesIn(node.constant_value)])],
    };
  }

  /** The resources and data sources referenced by the expression at `path`, optionally only of `types`. */
  public referenced(resource: PlanResource, path: Path, ...types: string[]): PlanResource[] {
    const expression = this.expression(resource, path);
    if (!expression) return [];
    return this.resolve(resource, expression.references, types);
  }

  /** Like {@link referenced}, with the attribute each reference reads (`arn`, `execution_arn`), where it reads one. */
  public referencesAt(resource: PlanResource, path: Path): { resource: PlanResource; attribute?: string }[] {
    const expression = this.expression(resource, path);
    if (!expression) return [];
    const found: { resource: PlanResource; attribute?: string }[] = [];
    for (const raw of expression.references) {
      const reference = parseReference(raw, resource.modulePrefix);
      if (!reference) continue;
      for (const target of this.instancesOf(reference.address)) {
        if (!found.some((f) => f.resource === target && f.attribute === reference.attribute)) {
          found.push({ resource: target, attribute: reference.attribute });
        }
      }
    }
    // Terraform lists `aws_x.name` next to every `aws_x.name.attr`: drop the bare entry when an attribute is known.
    return found.filter(
      (f) => f.attribute !== undefined || !found.some((o) => o.resource === f.resource && o.attribute),
    );
  }

  /** Whether the expression at `path` references `target` (any attribute, or the given one). */
  public references(resource: PlanResource, path: Path, target: PlanResource, attribute?: string): boolean {
    return this.referencesAt(resource, path).some(
      (r) => r.resource === target && (attribute === undefined || r.attribute === attribute),
    );
  }

  /** Resources of `type` whose expression at `path` references `target`. */
  public referrers(target: PlanResource, type: string, path: Path): PlanResource[] {
    return this.ofType(type).filter((candidate) => this.references(candidate, path, target));
  }

  /** The resource's block in the synthesized configuration (root module only), if supplied. */
  public synthesizedBlock(resource: PlanResource): Record<string, unknown> | undefined {
    if (resource.modulePrefix) return undefined;
    const section = resource.mode === 'data' ? this.synthesized?.data : this.synthesized?.resource;
    return section?.[resource.type]?.[resource.name];
  }

  private resolve(resource: PlanResource, references: readonly string[], types: string[]): PlanResource[] {
    const found = new Set<PlanResource>();
    for (const raw of references) {
      const reference = parseReference(raw, resource.modulePrefix);
      if (!reference) continue;
      for (const target of this.instancesOf(reference.address)) {
        if (types.length === 0 || types.includes(target.type)) found.add(target);
      }
    }
    return [...found];
  }
}

function referencesIn(constant: unknown): string[] {
  if (typeof constant === 'string') return templateReferences(constant);
  if (Array.isArray(constant)) return constant.flatMap(referencesIn);
  if (isRecord(constant)) return Object.values(constant).flatMap(referencesIn);
  return [];
}

function collectConfig(
  module: ShowJsonConfigModule | undefined,
  prefix: string,
  into: Map<string, ShowJsonConfigResource>,
): void {
  if (!module) return;
  for (const resource of module.resources ?? []) into.set(prefix + resource.address, resource);
  for (const [name, call] of Object.entries(module.module_calls ?? {})) {
    collectConfig(call.module, `${prefix}module.${name}.`, into);
  }
}

function* stateResources(
  module: ShowJsonStateModule | undefined,
): Generator<{ resource: NonNullable<ShowJsonStateModule['resources']>[number]; mode: string; modulePrefix: string }> {
  if (!module) return;
  const modulePrefix = module.address ? `${module.address}.` : '';
  for (const resource of module.resources ?? []) yield { resource, mode: resource.mode, modulePrefix };
  for (const child of module.child_modules ?? []) yield* stateResources(child);
}
