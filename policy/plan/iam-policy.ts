import type { Path, PlanResource, PlanView } from './plan-view';
import { isTemplate, wholeReference } from '../../synth/references';

/**
 * IAM policy documents as the plan knows them. A policy given as a JSON string is parsed. A policy whose JSON is
 * known only after apply — typically `data.aws_iam_policy_document.x.json` whose statements reference ARNs of
 * resources not created yet — is rebuilt from the data source's planned statements, completed by the
 * configuration's expressions for the elements that are still unknown (`${aws_s3_bucket.b.arn}/*`).
 */

/** One element of a policy list (an action, a resource, a principal, a condition value). */
export type PolicyValue =
  | { readonly literal: string }
  /** Computed by Terraform: the expression as written and the resources it references. */
  | { readonly expression: string }
  /** Neither the value nor its expression is visible in the plan. */
  | { readonly unknown: true };

export interface PolicyPrincipal {
  /** `*`, `AWS`, `Service`, `Federated`, `CanonicalUser`. */
  readonly type: string;
  readonly identifiers: readonly PolicyValue[];
}

export interface PolicyCondition {
  /** Condition operator: `Bool`, `StringEquals`, ... */
  readonly test: string;
  /** Condition key: `aws:SecureTransport`, ... */
  readonly variable: string;
  readonly values: readonly PolicyValue[];
}

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly PolicyValue[];
  readonly notActions: readonly PolicyValue[];
  readonly resources: readonly PolicyValue[];
  readonly notResources: readonly PolicyValue[];
  readonly principals: readonly PolicyPrincipal[];
  readonly notPrincipals: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
  /** Where the statement comes from, for messages: `data.aws_iam_policy_document.p statement 2 (sid "X")`. */
  readonly origin: string;
}

export type PolicyDocument =
  | { readonly statements: readonly PolicyStatement[] }
  /** The policy cannot be read from the plan; `opaque` says why. */
  | { readonly opaque: string };

export function isOpaque(document: PolicyDocument): document is { readonly opaque: string } {
  return 'opaque' in document;
}

export const literal = (value: PolicyValue): string | undefined => ('literal' in value ? value.literal : undefined);

/** A value as a report shows it: the literal, or the expression it comes from. */
export const describeValue = (value: PolicyValue): string =>
  'literal' in value ? value.literal : 'expression' in value ? value.expression : '(unknown)';

/** The attributes of an `aws_iam_policy_document` data source that hold its policy. */
const POLICY_DOCUMENT_JSON = ['json', 'minified_json'];

/**
 * The policy held by the attribute at `path` of `resource` (a JSON policy string), or `undefined` when the
 * attribute is not set.
 */
export function policyAt(view: PlanView, resource: PlanResource, path: Path): PolicyDocument | undefined {
  const attribute = view.attribute(resource, path);
  if (attribute.kind === 'absent') return undefined;
  if (attribute.kind === 'known') {
    return typeof attribute.value === 'string' && attribute.value.trim() === ''
      ? undefined
      : parsePolicyJson(attribute.value, resource.address);
  }
  return policyFromExpression(view, resource, path, new Set());
}

function policyFromExpression(view: PlanView, resource: PlanResource, path: Path, seen: Set<string>): PolicyDocument {
  const expression = view.expression(resource, path);
  const reference = wholeReference(expression?.constant, resource.modulePrefix);
  const isDocument =
    reference?.mode === 'data' &&
    reference.type === 'aws_iam_policy_document' &&
    POLICY_DOCUMENT_JSON.includes(reference.attribute ?? '');
  if (!reference || !isDocument) {
    return {
      opaque:
        'the policy is known only after apply and is not the json of an aws_iam_policy_document data source, ' +
        'so its statements cannot be checked before apply',
    };
  }
  const [document] = view.instancesOf(reference.address);
  if (!document) return { opaque: `${reference.address} is not in the plan` };
  return policyFromDocument(view, document, seen);
}

/** The statements of an `aws_iam_policy_document` data source, including the documents it merges. */
export function policyFromDocument(view: PlanView, document: PlanResource, seen = new Set<string>()): PolicyDocument {
  if (seen.has(document.address)) return { opaque: `${document.address} includes itself` };
  seen.add(document.address);
  const json = view.attribute(document, ['json']);
  if (json.kind === 'known') return parsePolicyJson(json.value, document.address);

  const statements: PolicyStatement[] = [];
  for (const attribute of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    const merged = mergedDocuments(view, document, attribute, seen);
    if (isOpaque(merged)) return merged;
    statements.push(...merged.statements);
  }

  const blocks = view.attribute(document, ['statement']);
  if (blocks.kind === 'unknown') return { opaque: `the statements of ${document.address} are unknown until apply` };
  const count = blocks.kind === 'known' && Array.isArray(blocks.value) ? blocks.value.length : 0;
  for (let i = 0; i < count; i += 1) {
    const at = (field: string): Path => ['statement', i, field];
    const sid = view.value<string>(document, at('sid')) || undefined;
    const effect = view.value<string>(document, at('effect')) ?? 'Allow';
    statements.push({
      sid,
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      actions: documentList(view, document, at('actions')),
      notActions: documentList(view, document, at('not_actions')),
      resources: documentList(view, document, at('resources')),
      notResources: documentList(view, document, at('not_resources')),
      principals: documentPrincipals(view, document, at('principals')),
      notPrincipals: documentPrincipals(view, document, at('not_principals')),
      conditions: documentConditions(view, document, at('condition')),
      origin: `${document.address} statement ${i + 1}${sid ? ` (sid "${sid}")` : ''}`,
    });
  }
  return { statements };
}

function mergedDocuments(view: PlanView, document: PlanResource, attribute: string, seen: Set<string>): PolicyDocument {
  const value = view.attribute(document, [attribute]);
  if (value.kind === 'absent') return { statements: [] };
  // One path per merged document: list elements (known list, or the list as written), or the single string.
  const written = view.expression(document, [attribute])?.constant;
  const list = value.kind === 'known' ? value.value : written;
  const paths: Path[] = Array.isArray(list) ? list.map((_, i) => [attribute, i]) : [[attribute]];
  const statements: PolicyStatement[] = [];
  for (const path of paths) {
    const element = view.attribute(document, path);
    if (element.kind === 'absent') continue;
    const parsed =
      element.kind === 'known'
        ? parsePolicyJson(element.value, `${document.address} ${attribute}`)
        : policyFromExpression(view, document, path, seen);
    if (isOpaque(parsed)) return parsed;
    statements.push(...parsed.statements);
  }
  return { statements };
}

/** A list attribute of a policy document statement: planned values where known, else the expressions. */
function documentList(view: PlanView, document: PlanResource, path: Path): PolicyValue[] {
  const attribute = view.attribute(document, path);
  if (attribute.kind === 'absent') return [];
  if (attribute.kind === 'known' && Array.isArray(attribute.value)) {
    const values = attribute.value as unknown[];
    if (values.every((v, i) => typeof v === 'string' && view.attribute(document, [...path, i]).kind === 'known')) {
      return values.map((v) => ({ literal: v as string }));
    }
  }
  const expression = view.expression(document, path);
  if (Array.isArray(expression?.constant)) return expression.constant.map(toPolicyValue);
  if (typeof expression?.constant === 'string') return [toPolicyValue(expression.constant)];
  return [{ unknown: true }];
}

function toPolicyValue(value: unknown): PolicyValue {
  if (typeof value !== 'string') return { unknown: true };
  return isTemplate(value) ? { expression: value } : { literal: value };
}

function documentPrincipals(view: PlanView, document: PlanResource, path: Path): PolicyPrincipal[] {
  const blocks = view.value<unknown[]>(document, path) ?? [];
  return blocks.map((_, i) => ({
    type: view.value<string>(document, [...path, i, 'type']) ?? '',
    identifiers: documentList(view, document, [...path, i, 'identifiers']),
  }));
}

function documentConditions(view: PlanView, document: PlanResource, path: Path): PolicyCondition[] {
  const blocks = view.value<unknown[]>(document, path) ?? [];
  return blocks.map((_, i) => ({
    test: view.value<string>(document, [...path, i, 'test']) ?? '',
    variable: view.value<string>(document, [...path, i, 'variable']) ?? '',
    values: documentList(view, document, [...path, i, 'values']),
  }));
}

const asList = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
const asValues = (value: unknown): PolicyValue[] => asList(value).map(toPolicyValue);

/** Parses an IAM policy JSON string (or an already-decoded object) into statements. */
export function parsePolicyJson(value: unknown, origin: string): PolicyDocument {
  let document: unknown = value;
  if (typeof value === 'string') {
    try {
      document = JSON.parse(value);
    } catch {
      return { opaque: `${origin} holds a policy that is not valid JSON` };
    }
  }
  if (typeof document !== 'object' || document === null) return { opaque: `${origin} holds no policy object` };
  const raw = asList((document as { Statement?: unknown }).Statement);
  const statements = raw.map((entry, i): PolicyStatement => {
    const s = (entry ?? {}) as Record<string, unknown>;
    const sid = typeof s.Sid === 'string' && s.Sid ? s.Sid : undefined;
    return {
      sid,
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: asValues(s.Action),
      notActions: asValues(s.NotAction),
      resources: asValues(s.Resource),
      notResources: asValues(s.NotResource),
      principals: parsePrincipals(s.Principal),
      notPrincipals: parsePrincipals(s.NotPrincipal),
      conditions: parseConditions(s.Condition),
      origin: `${origin} statement ${i + 1}${sid ? ` (sid "${sid}")` : ''}`,
    };
  });
  return { statements };
}

function parsePrincipals(value: unknown): PolicyPrincipal[] {
  if (value === undefined || value === null) return [];
  if (value === '*') return [{ type: '*', identifiers: [{ literal: '*' }] }];
  if (typeof value !== 'object') return [{ type: '', identifiers: [{ unknown: true }] }];
  return Object.entries(value as Record<string, unknown>).map(([type, ids]) => ({ type, identifiers: asValues(ids) }));
}

function parseConditions(value: unknown): PolicyCondition[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, Record<string, unknown>>).flatMap(([test, keys]) =>
    Object.entries(keys ?? {}).map(([variable, values]) => ({ test, variable, values: asValues(values) })),
  );
}

/** Whether a statement applies to anyone: principal `*` or `{"AWS": "*"}`. */
export function isPublicPrincipal(statement: PolicyStatement): boolean {
  return statement.principals.some(
    (p) => (p.type === '*' || p.type === 'AWS') && p.identifiers.some((id) => literal(id) === '*'),
  );
}

/** The identity policies of a plan: every resource attribute that grants permissions to a principal. */
export const IDENTITY_POLICY_ATTRIBUTES: readonly { readonly type: string; readonly path: Path }[] = [
  { type: 'aws_iam_policy', path: ['policy'] },
  { type: 'aws_iam_role_policy', path: ['policy'] },
  { type: 'aws_iam_user_policy', path: ['policy'] },
  { type: 'aws_iam_group_policy', path: ['policy'] },
  { type: 'aws_ssoadmin_permission_set_inline_policy', path: ['inline_policy'] },
];

/** Every identity policy in the plan, with the resource that holds it. Inline role policies included. */
export function identityPolicies(view: PlanView): { resource: PlanResource; document: PolicyDocument }[] {
  const found: { resource: PlanResource; document: PolicyDocument }[] = [];
  for (const { type, path } of IDENTITY_POLICY_ATTRIBUTES) {
    for (const resource of view.ofType(type)) {
      const document = policyAt(view, resource, path);
      if (document) found.push({ resource, document });
    }
  }
  for (const role of view.ofType('aws_iam_role')) {
    const inline = view.value<unknown[]>(role, ['inline_policy']) ?? [];
    inline.forEach((_, i) => {
      const document = policyAt(view, role, ['inline_policy', i, 'policy']);
      if (document) found.push({ resource: role, document });
    });
  }
  return found;
}
