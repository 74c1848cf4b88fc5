/**
 * Terraform references (`aws_s3_bucket.state.arn`, `data.aws_iam_policy_document.p.json`) as they appear in a plan's
 * `configuration` — in each expression's `references` list, and inside the `${...}` templates that the JSON
 * configuration syntax (which cdktf emits) leaves in `constant_value` strings.
 */

/** A reference to an attribute of a resource or data source. */
export interface Reference {
  /** Configuration address of the resource or data source, without instance key: `aws_x.name`, `data.aws_y.name`. */
  readonly target: string;
  /** The referenced attribute, when there is one: `arn`, `json`. */
  readonly attribute?: string;
}

/** Prefixes of references that do not name a resource or data source. */
const NOT_RESOURCES = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self', 'resource']);

/** Removes an instance key (`[0]`, `["a"]`) from a name segment. */
function withoutIndex(segment: string): string {
  const bracket = segment.indexOf('[');
  return bracket < 0 ? segment : segment.slice(0, bracket);
}

/** Splits a traversal into segments, keeping bracketed keys with the segment they follow. */
function segments(traversal: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const char of traversal) {
    if (char === '[') depth += 1;
    if (char === ']') depth -= 1;
    if (char === '.' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Parses one reference (`aws_x.name.attr`, `aws_x.name[0].attr`, `data.aws_y.name.json`); `undefined` for
 * references to variables, locals, module outputs and the like.
 */
export function parseReference(raw: string, modulePrefix = ''): Reference | undefined {
  const parts = segments(raw.trim());
  const isData = parts[0] === 'data';
  const [type, name, attribute] = isData ? parts.slice(1) : parts;
  if (!type || !name || NOT_RESOURCES.has(type) || !/^[A-Za-z_][\w-]*$/.test(type)) return undefined;
  const address = `${isData ? 'data.' : ''}${type}.${withoutIndex(name)}`;
  return { target: modulePrefix + address, attribute: attribute ? withoutIndex(attribute) : undefined };
}

const TEMPLATE = /\$\{([^}]*)\}/g;
const TRAVERSAL = /(?<![\w.\-"])(?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?(?:\.[A-Za-z_]\w*)?/g;

/** The raw references inside the `${...}` templates of a string (none for a plain literal). */
export function templateReferences(text: string): string[] {
  const found: string[] = [];
  for (const template of text.matchAll(TEMPLATE)) {
    for (const traversal of template[1].matchAll(TRAVERSAL)) found.push(traversal[0]);
  }
  return found;
}

/** Whether a string holds a `${...}` template, i.e. its value is computed by Terraform. */
export function isTemplate(text: string): boolean {
  return /\$\{/.test(text);
}
