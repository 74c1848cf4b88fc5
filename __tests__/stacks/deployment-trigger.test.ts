/**
 * The deployment's trigger covers the whole API definition: every attribute of every API Gateway resource that a
 * deployment snapshots, whoever added it, and nothing else.
 *
 * Approach. One small stack — SecureRestApi with CORS, a request model and two methods on a nested path; a fixture
 * LambdaFunction (nothing bundled) and Cognito user pool; resources a user adds beside the construct and inside it
 * (a resource policy, a method with `api_key_required`, a gateway response); and a second REST API — is synthesized
 * with cdktf's `Testing.synth`. Its JSON is where the mutations come from, not a list: every leaf of every attribute
 * of every resource (maps, lists and nested blocks walked down to their values), one attribute added to each
 * resource, and each attribute removed. They are applied to the construct tree with each resource's own
 * `addOverride`, the escape hatch users have, and what the trigger hashes is resolved again with the resolver
 * synthesis uses.
 *
 * The trigger is `sha1(jsonencode(local.<definition>))` (checked here), so Terraform's value for it changes when the
 * local's value does; the test compares the local as synthesis writes it, and the changed values are fresh literals
 * that no reference could evaluate to. The local has one entry per resource (its address: its id) and one per
 * attribute (`<address>.<attribute>`), so one resolution checks a batch — one leaf of every attribute at a time — and
 * a failure names the attribute. A resource of type aws_api_gateway_* on this API must change its entries; the
 * stage, its method settings, the deployment and every other resource (function, permissions, log groups, pool, the
 * other API) must change nothing.
 *
 * Cost: five synths and about fifteen resolutions, about half a second of test time on a busy 2-core machine; the
 * rest of the file's time is Jest starting, as for every file here.
 */
import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Testing, Tokenization } from 'cdktf';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayRestApiPolicy } from '@cdktf/provider-aws/lib/api-gateway-rest-api-policy';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SecureRestApi, SecureRestApiProps } from '../../stacks/constructs/secure-rest-api';
import { Config, Found, of, only, resources, TerraformJson, triggerInput } from '../support/terraform-json';

/** Resources on the API that a deployment does not snapshot (the sources are in stacks/constructs/api-definition.ts). */
const STAGE_SIDE = new Set(['aws_api_gateway_deployment', 'aws_api_gateway_stage', 'aws_api_gateway_method_settings']);
/** Terraform meta-arguments: how Terraform manages a resource, not what it sets in AWS. */
const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'provider', 'depends_on', 'lifecycle']);

type StageSettings = Pick<SecureRestApiProps, 'throttling' | 'logRetentionDays' | 'loggingLevel'>;

function build(settings: StageSettings = { throttling: { rateLimit: 10, burstLimit: 20 }, logRetentionDays: 7 }) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const pool = new CognitoUserPool(stack, 'pool', { name: 'pool' });
  const handler = new LambdaFunction(stack, 'fn', { functionName: 'fn', role: 'arn:aws:iam::123456789012:role/r' });
  const api = new SecureRestApi(stack, 'api', {
    name: 'things',
    userPoolArn: pool.arn,
    stageName: 'test',
    cors: { allowOrigin: 'https://app.example.com' },
    ...settings,
  });
  api.addRoute({ method: 'GET', path: '/things/{id}', scopes: ['things/read'], handler });
  const requestModel = { name: 'Thing', schema: { type: 'object', required: ['name'] } };
  api.addRoute({ method: 'PUT', path: '/things/{id}', scopes: ['things/write'], handler, requestModel });

  // Added by a user, beside the construct and inside it, after it was built.
  new ApiGatewayRestApiPolicy(stack, 'policy', {
    restApiId: api.api.id,
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
  });
  const status = new ApiGatewayMethod(stack, 'status', {
    restApiId: api.api.id,
    resourceId: api.api.rootResourceId,
    httpMethod: 'GET',
    authorization: 'COGNITO_USER_POOLS',
    authorizerId: api.authorizer.id,
    authorizationScopes: ['things/read'],
    apiKeyRequired: true,
  });
  new ApiGatewayMethodResponse(stack, 'status-200', {
    restApiId: api.api.id,
    resourceId: api.api.rootResourceId,
    httpMethod: status.httpMethod,
    statusCode: '200',
  });
  new ApiGatewayGatewayResponse(api, 'quota-exceeded', {
    restApiId: api.api.id,
    responseType: 'QUOTA_EXCEEDED',
    statusCode: '429',
    responseTemplates: { 'application/json': '{"message":"Too many requests"}' },
  });

  // Another API in the same stack: none of it is this API's definition.
  const other = new ApiGatewayRestApi(stack, 'other-api', { name: 'other' });
  new ApiGatewayResource(stack, 'other-resource', {
    restApiId: other.id,
    parentId: other.rootResourceId,
    pathPart: 'x',
  });
  return { stack, api };
}

function synth(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

function allResources(json: TerraformJson): Found[] {
  return Object.keys(json.resource).flatMap((type) => resources(json, type));
}

function address(r: Found): string {
  return `${r.type}.${r.name}`;
}

/** The REST API of the SecureRestApi, and every aws_api_gateway_* resource on it that a deployment snapshots. */
function isDefinition(r: Found, api: Found): boolean {
  if (r.type === 'aws_api_gateway_rest_api') return r.name === api.name;
  return r.type.startsWith('aws_api_gateway_') && !STAGE_SIDE.has(r.type) && r.config.rest_api_id === api.ref('id');
}

const resolver = new DefaultTokenResolver(new StringConcat());
function resolved<T>(stack: TerraformStack, value: unknown): T {
  return Tokenization.resolve(value, { scope: stack, resolver }) as T;
}

type Path = readonly (string | number)[];

/** Every value below `value`: scalars, and empty lists and maps. */
function leaves(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((v: unknown, i) => leaves(v, [...path, i]));
  if (isMap(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [path];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

/** A value that differs from `value`, of the same kind. */
function changed(value: unknown, n: number): unknown {
  if (typeof value === 'string') return `changed-${n}`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return [`changed-${n}`];
  return { changed: `changed-${n}` };
}

/** Keys whose values differ between two definitions, or that only one of them has. */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

describe('the deployment trigger', () => {
  const { stack, api } = build();
  const json = synth(stack);
  const restApi = of(json, api.api);
  const definition = () => triggerInput(json, only(json, 'aws_api_gateway_deployment'));
  const inDefinition = allResources(json).filter((r) => isDefinition(r, restApi));

  it('hashes the complete synthesized configuration of the API and every resource on it, and nothing else', () => {
    const expected: Record<string, unknown> = {};
    for (const r of inDefinition) {
      expected[address(r)] = r.ref('id');
      for (const [attribute, value] of Object.entries(r.config)) {
        if (!META_ARGUMENTS.has(attribute)) expected[`${address(r)}.${attribute}`] = value;
      }
    }
    expect(definition()).toEqual(expected);
    // In a stable order, so two synths write the same JSON.
    expect(Object.keys(definition())).toEqual(Object.keys(expected).sort());
    // Every kind of definition resource is in this fixture, including the ones users added.
    expect([...new Set(inDefinition.map((r) => r.type))].sort()).toEqual([
      'aws_api_gateway_authorizer',
      'aws_api_gateway_gateway_response',
      'aws_api_gateway_integration',
      'aws_api_gateway_integration_response',
      'aws_api_gateway_method',
      'aws_api_gateway_method_response',
      'aws_api_gateway_model',
      'aws_api_gateway_request_validator',
      'aws_api_gateway_resource',
      'aws_api_gateway_rest_api',
      'aws_api_gateway_rest_api_policy',
    ]);
  });

  it('keeps references, so Terraform hashes the values they have at plan time (a new pool, a new function)', () => {
    const values = JSON.stringify(Object.values(definition()));
    expect(values).toContain(only(json, 'aws_lambda_function').ref('invoke_arn'));
    expect(values).toContain(only(json, 'aws_cognito_user_pool').ref('arn'));
  });

  it('is the same in two synths, and stays the same when stage throttling, logging or log retention change', () => {
    const again = synth(build().stack);
    const otherStage = synth(
      build({ throttling: { rateLimit: 1, burstLimit: 2 }, logRetentionDays: 365, loggingLevel: 'INFO' }).stack,
    );
    for (const other of [again, otherStage]) {
      const deployment = only(other, 'aws_api_gateway_deployment');
      expect(deployment.config.triggers).toEqual(only(json, 'aws_api_gateway_deployment').config.triggers);
      expect(JSON.stringify(triggerInput(other, deployment))).toBe(JSON.stringify(definition()));
    }
    // The settings did reach the stage.
    expect(only(otherStage, 'aws_api_gateway_method_settings').config.settings).not.toEqual(
      only(json, 'aws_api_gateway_method_settings').config.settings,
    );
  });

  it('changes when any attribute of an API definition resource changes, and not when anything else changes', () => {
    const elements = new Map(
      stack.node
        .findAll()
        .filter((e) => TerraformResource.isTerraformResource(e))
        .map((e) => [`${e.terraformResourceType}.${e.friendlyUniqueId}`, e]),
    );
    const element = (r: Found) => elements.get(address(r)) as TerraformResource;
    const hashedNow = () =>
      resolved<{ locals: Record<string, Record<string, unknown>> }>(stack, api.definition.toTerraform()).locals[
        api.definition.friendlyUniqueId
      ];
    const configNow = (r: Found) =>
      resolved<{ resource: Record<string, Record<string, Config>> }>(stack, element(r).toTerraform()).resource[r.type][
        r.name
      ];

    // Resolving the local here gives what synthesis wrote.
    let hashed = hashedNow();
    expect(hashed).toEqual(definition());

    // Leaves below one attribute are overridden through one object, so earlier changes to that attribute stay.
    const overrides = new Map<string, Record<string, unknown>>();
    let n = 0;
    const override = (r: Found, attribute: string, path: Path, value: unknown) => {
      if (path.length === 0) return element(r).addOverride(attribute, value);
      const key = `${address(r)}.${attribute}`;
      const root = overrides.get(key) ?? {};
      overrides.set(key, root);
      let node = root;
      for (const segment of path.slice(0, -1)) node = (node[String(segment)] ??= {}) as Record<string, unknown>;
      node[String(path[path.length - 1])] = value;
      element(r).addOverride(attribute, root);
    };

    interface Mutation {
      readonly r: Found;
      readonly attribute: string;
      readonly path: Path;
      readonly value: unknown;
    }
    /** Applies a batch, checks each took effect, and returns the definition entries that changed. */
    const apply = (batch: readonly Mutation[]): string[] => {
      if (batch.length === 0) return [];
      for (const m of batch) override(m.r, m.attribute, m.path, m.value);
      const configs = new Map(batch.map((m) => [m.r, configNow(m.r)]));
      for (const m of batch) {
        const now = at(configs.get(m.r)?.[m.attribute], m.path);
        if (Array.isArray(m.value)) expect(now).toContain(m.value[0]);
        else if (isMap(m.value)) expect(now).toMatchObject(m.value);
        else expect(now).toEqual(m.value);
      }
      const before = hashed;
      hashed = hashedNow();
      return changedKeys(before, hashed);
    };
    const entryOf = (m: Mutation) => `${address(m.r)}.${m.attribute}`;

    // Every attribute of every resource, from the synthesized JSON; the trigger itself and meta-arguments aside.
    const attributes = allResources(json).flatMap((r) =>
      Object.keys(r.config)
        .filter((a) => !META_ARGUMENTS.has(a) && !(r.type === 'aws_api_gateway_deployment' && a === 'triggers'))
        .map((attribute) => ({ r, attribute, leaves: leaves(r.config[attribute]), inside: isDefinition(r, restApi) })),
    );
    // Pointing a definition resource at another API takes it out; that is checked last.
    const leafAttributes = attributes.filter((a) => !(a.inside && a.attribute === 'rest_api_id'));
    const mutated = { inside: new Set<string>(), outside: 0 };

    for (let round = 0; leafAttributes.some((a) => a.leaves.length > round); round++) {
      const batch = leafAttributes
        .filter((a) => a.leaves.length > round)
        .map((a) => {
          const path = a.leaves[round];
          return { ...a, path, value: changed(at(a.r.config[a.attribute], path), ++n) };
        });
      const outside = batch.filter((m) => !m.inside);
      expect(apply(outside)).toEqual([]);
      const inside = batch.filter((m) => m.inside);
      expect(apply(inside)).toEqual([...new Set(inside.map(entryOf))].sort());
      mutated.outside += outside.length;
      for (const m of inside) mutated.inside.add(address(m.r));
    }
    // Every definition resource had its values changed, and so did the resources around it.
    expect([...mutated.inside].sort()).toEqual(inDefinition.map(address).sort());
    expect(mutated.outside).toBeGreaterThan(0);

    // A setting none of these resources had: say one a later change of the construct sets.
    const added = (inside: boolean) =>
      allResources(json)
        .filter((r) => isDefinition(r, restApi) === inside)
        .map((r) => ({ r, attribute: 'setting_added_later', path: [], value: `added-${++n}` }));
    expect(apply(added(false))).toEqual([]);
    expect(apply(added(true))).toEqual(added(true).map(entryOf).sort());

    // Each attribute removed.
    const removed = (inside: boolean) =>
      attributes
        .filter((a) => a.inside === inside && a.attribute !== 'rest_api_id')
        .map((a) => ({ ...a, path: [], value: undefined }));
    expect(apply(removed(false))).toEqual([]);
    const removedInside = [...removed(true), ...added(true).map((m) => ({ ...m, value: undefined }))];
    expect(apply(removedInside)).toEqual([...new Set(removedInside.map(entryOf))].sort());

    // A resource moved to another API leaves this API's definition.
    const moved = inDefinition
      .filter((r) => r.type !== 'aws_api_gateway_rest_api')
      .map((r) => ({ r, attribute: 'rest_api_id', path: [], value: `changed-${++n}` }));
    expect(apply(moved)).toEqual(moved.flatMap((m) => [address(m.r), entryOf(m)]).sort());

    // And synthesis writes what was resolved here.
    const final = synth(stack);
    expect(triggerInput(final, only(final, 'aws_api_gateway_deployment'))).toEqual(hashed);
  });
});

describe('a definition resource with count', () => {
  it('is represented by its planned attributes, since its configuration refers to count.index', () => {
    const { stack, api } = build();
    const counted = new ApiGatewayMethodResponse(stack, 'counted', {
      count: 2,
      restApiId: api.api.id,
      resourceId: api.api.rootResourceId,
      httpMethod: 'GET',
      statusCode: '${count.index + 400}',
    });
    const json = synth(stack);
    const hashed = triggerInput(json, only(json, 'aws_api_gateway_deployment'));
    const name = `aws_api_gateway_method_response.${counted.friendlyUniqueId}`;
    expect(hashed[name]).toBe(`\${${name}}`);
    expect(Object.keys(hashed).filter((k) => k.startsWith(`${name}.`))).toEqual([]);
  });
});
