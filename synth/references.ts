/**
 * Terraform references — `aws_x.name.attr`, `aws_x.name[0].attr`, `data.aws_y.name.json` — wherever the synthesized
 * contract holds them: in a plan's `configuration` (each expression's `references` list), and inside the `${...}`
 * templates that the JSON configuration syntax (which cdktf emits) uses for every computed value, in `cdk.tf.json`
 * and in a plan's `constant_value` strings. One parser, one shape, for the local stack and the policy gate.
 * See https://developer.hashicorp.com/terraform/language/expressions/references and
 * https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping.
 */

/** A reference to a resource or data source, and the attribute it reads. */
export interface TerraformReference {
  /** Configuration address, after any module prefix, without instance key: `aws_x.name`, `data.aws_y.name`. */
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** The attribute read, when there is one: `arn`, `json`. */
  readonly attribute: string | undefined;
  /** `<address>` or `<address>.<attribute>` and nothing more: no instance key, no nested attribute or index. */
  readonly plain: boolean;
}

/** First words of references that name no resource or data source. */
const NOT_RESOURCES = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self', 'resource']);

const IDENTIFIER = '[A-Za-z_][\\w-]*';
const INDEX = '\\[[^\\]]*\\]';
/** `[data.]type.name[key][.attribute[.nested|[index]]...]`, capturing data, type, name, key, attribute, the rest. */
const TRAVERSAL = `(data\\.)?(${IDENTIFIER})\\.(${IDENTIFIER})(${INDEX})?(?:\\.(${IDENTIFIER})((?:${INDEX}|\\.${IDENTIFIER})*))?`;
const REFERENCE = new RegExp(`^${TRAVERSAL}$`);
/** Traversals inside an expression: not preceded by what would make them part of a longer name or a string. */
const TRAVERSALS = new RegExp(`(?<![\\w.\\-"])${TRAVERSAL}`, 'g');
const TEMPLATE = /\$\{([^}]*)\}/g;
const WHOLE_TEMPLATE = /^\$\{([^}]*)\}$/;

/**
 * Parses one reference (`aws_x.name.attr`, `aws_x.name[0].attr`, `data.aws_y.name.json`); `undefined` for anything
 * else, such as references to variables, locals, module outputs and the like, or an expression that is more than a
 * reference. `modulePrefix` (`module.m.`) places the address in a child module.
 */
export function parseReference(traversal: string, modulePrefix = ''): TerraformReference | undefined {
  const match = REFERENCE.exec(traversal.trim());
  if (!match) return undefined;
  const [, data, type, name, key, attribute, rest] = match;
  if (!data && (NOT_RESOURCES.has(type) || type === 'data')) return undefined;
  return {
    address: `${modulePrefix}${data ? 'data.' : ''}${type}.${name}`,
    mode: data ? 'data' : 'managed',
    type,
    name,
    attribute,
    plain: key === undefined && !rest,
  };
}

/** The reference a value consists of, exactly (`"${aws_x.y.id}"`), or `undefined`. */
export function wholeReference(value: unknown, modulePrefix = ''): TerraformReference | undefined {
  if (typeof value !== 'string') return undefined;
  const match = WHOLE_TEMPLATE.exec(value);
  return match ? parseReference(match[1], modulePrefix) : undefined;
}

/** A reference to one attribute of a managed resource, and nothing more: `aws_x.name.attr`. */
export type ResourceAttributeReference = TerraformReference & { readonly mode: 'managed'; readonly attribute: string };

/** Whether a reference reads one attribute of a managed resource, and nothing more (no instance key, nothing nested). */
export function isResourceAttribute(
  reference: TerraformReference | undefined,
): reference is ResourceAttributeReference {
  return reference?.mode === 'managed' && reference.plain && reference.attribute !== undefined;
}

/**
 * The resource attribute a value consists of, exactly (`"${aws_x.name.attr}"`): how the resources of a synthesized
 * stack point at each other. `undefined` for anything else.
 */
export function resourceAttribute(value: unknown): ResourceAttributeReference | undefined {
  const reference = wholeReference(value);
  return isResourceAttribute(reference) ? reference : undefined;
}

/** The raw references inside the `${...}` templates of a string (none for a plain literal). */
export function templateReferences(text: string): string[] {
  const found: string[] = [];
  for (const template of text.matchAll(TEMPLATE)) {
    for (const traversal of template[1].matchAll(TRAVERSALS)) found.push(traversal[0]);
  }
  return found;
}

/** Replaces every `${...}` template of a string with what `replace` makes of its expression. */
export function mapTemplates(text: string, replace: (expression: string, template: string) => string): string {
  return text.replace(TEMPLATE, (template: string, expression: string) => replace(expression, template));
}

/** Whether a string holds a `${...}` template, i.e. its value is computed by Terraform. */
export function isTemplate(text: string): boolean {
  return /\$\{/.test(text);
}
