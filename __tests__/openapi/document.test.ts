/**
 * The OpenAPI document generated from each synthesized stage: valid OpenAPI 3.1 by a third-party validator, with
 * every synthesized method, its scopes and API key, its request model, and the responses of its function's contract
 * and of the gateway — each checked against the Terraform JSON read here independently.
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { deployedDocument } from '../../openapi/deployed';
import { openApiDocument, type OpenApiDocument } from '../../openapi/document';
import { modelSchema, templateBodySchema } from '../../openapi/schemas';
import { SynthesizedStackConfig } from '../../synth/stack-json';
import { synthPlatform } from '../support/synth';
import { only, resources, type TerraformJson } from '../support/terraform-json';

type Operation = OpenAPIV3_1.OperationObject;

function documentOf(json: TerraformJson, name: string, options = {}): OpenApiDocument {
  return openApiDocument(new SynthesizedStackConfig(name, json, '/nonexistent'), options);
}

function operations(document: OpenApiDocument): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      found.set(`${method.toUpperCase()} ${path}`, operation as Operation);
    }
  }
  return found;
}

/** `METHOD /path` → scopes of every synthesized method, from the JSON alone. */
function synthesizedScopes(json: TerraformJson): Map<string, readonly string[]> {
  const byName = new Map(resources(json, 'aws_api_gateway_resource').map((r) => [r.name, r.config]));
  const pathOf = (ref: unknown): string => {
    const name = /^\$\{aws_api_gateway_resource\.([^.]+)\.id\}$/.exec(String(ref))?.[1];
    const resource = name === undefined ? undefined : byName.get(name);
    return resource ? `${pathOf(resource.parent_id)}/${String(resource.path_part)}` : '';
  };
  return new Map(
    resources(json, 'aws_api_gateway_method').map((m) => [
      `${String(m.config.http_method)} ${pathOf(m.config.resource_id)}`,
      (m.config.authorization_scopes ?? []) as string[],
    ]),
  );
}

const dev = synthPlatform('dev').json;
const prod = synthPlatform('prod').json;
const variant = synthPlatform('dev', {
  CORS_ALLOW_ORIGIN_DEV: 'https://console.example.com',
  DOMAIN_PREFIX_DEV: 'acme-categories-dev',
}).json;
const documents = {
  dev: documentOf(dev, 'platform-dev'),
  prod: documentOf(prod, 'platform-prod'),
  'dev with CORS and a domain prefix': documentOf(variant, 'platform-dev'),
};

describe.each(Object.entries(documents))('the %s document', (_name, document) => {
  it('is valid OpenAPI 3.1 (@readme/openapi-parser: the 3.1 schema and the rules it cannot express)', async () => {
    const result = await validate(structuredClone(document));
    expect(result.valid ? 'valid' : compileErrors(result)).toBe('valid');
    expect(document.openapi).toBe('3.1.0');
  });
});

describe('the validator', () => {
  it('refuses a document whose path template names a parameter no operation declares', async () => {
    const broken = structuredClone(documents.dev);
    delete (broken.paths?.['/categories/{id}']?.get as Operation).parameters;
    expect((await validate(broken)).valid).toBe(false);
  });
});

describe('paths and security', () => {
  it.each([
    ['dev', dev, documents.dev],
    ['prod', prod, documents.prod],
    ['CORS', variant, documents['dev with CORS and a domain prefix']],
  ] as const)('%s: every synthesized method is an operation, with its scopes as alternatives', (_s, json, document) => {
    const scopes = synthesizedScopes(json);
    const found = operations(document);
    expect([...found.keys()].sort()).toEqual([...scopes.keys()].sort());
    for (const [route, operation] of found) {
      const expected = scopes.get(route) ?? [];
      const requirements = operation.security ?? [];
      if (route.startsWith('OPTIONS ')) expect(requirements).toEqual([]);
      else expect(requirements.map((r) => r['cognito-access-token'])).toEqual(expected.map((scope) => [scope]));
    }
  });

  it("declares the resource server's scopes, with their descriptions, on the client-credentials flow", () => {
    const server = only(dev, 'aws_cognito_resource_server').config;
    const scheme = documents.dev.components?.securitySchemes?.[
      'cognito-access-token'
    ] as OpenAPIV3_1.OAuth2SecurityScheme;
    expect(scheme.type).toBe('oauth2');
    expect(scheme.flows.clientCredentials?.scopes).toEqual(
      Object.fromEntries(
        (server.scope as { scope_name: string; scope_description: string }[]).map((s) => [
          `${String(server.identifier)}/${s.scope_name}`,
          s.scope_description,
        ]),
      ),
    );
  });

  it('points the flow at the token URL: a placeholder before deployment, the configured prefix, or the one given', () => {
    const tokenUrl = (document: OpenApiDocument): string | undefined =>
      (document.components?.securitySchemes?.['cognito-access-token'] as OpenAPIV3_1.OAuth2SecurityScheme).flows
        .clientCredentials?.tokenUrl;
    expect(tokenUrl(documents.dev)).toBe('https://USER-POOL-DOMAIN.auth.us-east-1.amazoncognito.com/oauth2/token');
    expect(documents.dev.info.description).toContain('USER-POOL-DOMAIN');
    expect(tokenUrl(documents['dev with CORS and a domain prefix'])).toBe(
      'https://acme-categories-dev.auth.us-east-1.amazoncognito.com/oauth2/token',
    );
    const deployed = documentOf(dev, 'platform-dev', {
      apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/dev',
      tokenUrl: 'https://real.auth.us-east-1.amazoncognito.com/oauth2/token',
    });
    expect(tokenUrl(deployed)).toBe('https://real.auth.us-east-1.amazoncognito.com/oauth2/token');
    expect(deployed.servers).toEqual([
      { url: 'https://abc123.execute-api.us-east-1.amazonaws.com/dev', description: 'Stage dev' },
    ]);
    expect(documents.dev.servers?.[0]?.url).toBe('https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}');
    expect(documents.dev.servers?.[0]?.variables?.stage?.default).toBe('dev');
  });

  it('demands the API key with the token where usage plans are on (prod), and nowhere else', () => {
    const keyed = (document: OpenApiDocument): boolean[] =>
      [...operations(document).values()].flatMap((o) => (o.security ?? []).map((r) => 'api-key' in r));
    expect(new Set(keyed(documents.prod))).toEqual(new Set([true]));
    expect(new Set(keyed(documents.dev))).toEqual(new Set([false]));
    expect(documents.prod.components?.securitySchemes?.['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
    });
    expect(operations(documents.prod).get('GET /categories')?.responses?.['403']).toMatchObject({
      description: expect.stringContaining('INVALID_API_KEY'),
    });
  });
});

describe('bodies and responses', () => {
  const ops = operations(documents.dev);
  const statuses = (route: string): string[] => Object.keys(ops.get(route)?.responses ?? {});
  const gateway = ['401', '403', '413', '429', '500', '503', '5XX'];

  it('has the statuses of the README table, the function failures and the gateway refusals', () => {
    expect(statuses('GET /categories')).toEqual(['200', '400', ...gateway]);
    expect(statuses('POST /categories')).toEqual(['201', '400', ...gateway.slice(0, 3), '415', ...gateway.slice(3)]);
    expect(statuses('GET /categories/{id}')).toEqual(['200', '401', '403', '404', ...gateway.slice(2)]);
    expect(statuses('PUT /categories/{id}')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '412',
      '413',
      '415',
      ...gateway.slice(3),
    ]);
    expect(statuses('DELETE /categories/{id}')).toEqual([
      '204',
      '400',
      '401',
      '403',
      '404',
      '412',
      ...gateway.slice(2),
    ]);
  });

  it('describes success bodies and headers from the contract, and the function errors with Retry-After', () => {
    const created = ops.get('POST /categories')?.responses?.['201'] as OpenAPIV3_1.ResponseObject;
    expect(created.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Category' });
    expect(Object.keys(created.headers ?? {})).toEqual(['x-amzn-RequestId', 'Location', 'ETag']);
    const unavailable = ops.get('GET /categories')?.responses?.['503'] as OpenAPIV3_1.ResponseObject;
    expect(Object.keys(unavailable.headers ?? {})).toEqual(['x-amzn-RequestId', 'Retry-After']);
    const deleted = ops.get('DELETE /categories/{id}')?.responses?.['204'] as OpenAPIV3_1.ResponseObject;
    expect(deleted.content).toBeUndefined();
    expect(ops.get('PUT /categories/{id}')?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header', required: false })]),
    );
  });

  it("takes API Gateway's answers from the stack's gateway-response templates", () => {
    const unauthorized = ops.get('GET /categories')?.responses?.['401'] as OpenAPIV3_1.ResponseObject;
    expect(unauthorized.content?.['application/json']?.schema).toEqual({
      type: 'object',
      properties: { message: { type: 'string' }, requestId: { type: 'string' } },
      required: ['message', 'requestId'],
      additionalProperties: false,
    });
    const invalid = ops.get('POST /categories')?.responses?.['400'] as OpenAPIV3_1.ResponseObject;
    expect(JSON.stringify(invalid.content?.['application/json']?.schema)).toContain('"const":"ValidationFailed"');
  });

  it("takes the request body from the method's model, converted from draft-04 to the 2020-12 dialect", () => {
    const model = only(dev, 'aws_api_gateway_model').config;
    const { $schema, ...rest } = JSON.parse(String(model.schema)) as Record<string, unknown>;
    expect($schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(documents.dev.components?.schemas?.[String(model.name)]).toEqual(rest);
    expect(ops.get('POST /categories')?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CategoryInput' } } },
    });
  });
});

describe('schema conversion', () => {
  it("converts draft-04's forms to 2020-12 and points references to other models at their components", () => {
    expect(
      modelSchema({
        $schema: 'http://json-schema.org/draft-04/schema#',
        id: 'thing',
        type: 'object',
        properties: {
          count: { type: 'integer', minimum: 0, exclusiveMinimum: true },
          kind: { enum: ['only'] },
          pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
          other: { $ref: 'https://apigateway.amazonaws.com/restapis/abc123/models/Other' },
        },
        dependencies: { a: ['b'] },
      }),
    ).toEqual({
      $id: 'thing',
      type: 'object',
      properties: {
        count: { type: 'integer', exclusiveMinimum: 0 },
        kind: { const: 'only' },
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
        other: { $ref: '#/components/schemas/Other' },
      },
      dependentRequired: { a: ['b'] },
    });
  });

  it('reads the body shape a gateway-response template renders, literals as constants', () => {
    expect(
      templateBodySchema('{"error":{"code":"Bad","message":$context.error.messageString,"id":"x-$context.requestId"}}'),
    ).toEqual({
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: { code: { const: 'Bad' }, message: { type: 'string' }, id: { type: 'string' } },
          required: ['code', 'message', 'id'],
          additionalProperties: false,
        },
      },
      required: ['error'],
      additionalProperties: false,
    });
    expect(templateBodySchema('#set($x = 1) not json')).toBeUndefined();
  });
});

describe('the document of a deployed stage', () => {
  it("takes the real API and token URLs from the stage's Terraform outputs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-deployed-'));
    try {
      fs.mkdirSync(path.join(dir, 'stacks', 'platform-dev'), { recursive: true });
      const terraform = path.join(dir, 'terraform');
      const outputs = JSON.stringify({
        api_url: { value: 'https://abc123.execute-api.us-east-1.amazonaws.com/dev/' },
        token_endpoint: { value: 'https://us-east-1-abcd1234e.auth.us-east-1.amazoncognito.com/oauth2/token' },
      });
      const script = `#!/bin/sh\nif [ "$1 $2" = "output -json" ]; then cat <<'JSON'\n${outputs}\nJSON\nexit 0; fi\nexit 3\n`;
      fs.writeFileSync(terraform, script, { mode: 0o755 });
      const document = await deployedDocument(new SynthesizedStackConfig('platform-dev', dev, dir), dir, terraform);
      expect(document.servers).toEqual([
        { url: 'https://abc123.execute-api.us-east-1.amazonaws.com/dev', description: 'Stage dev' },
      ]);
      const scheme = document.components?.securitySchemes?.['cognito-access-token'] as OpenAPIV3_1.OAuth2SecurityScheme;
      expect(scheme.flows.clientCredentials?.tokenUrl).toBe(
        'https://us-east-1-abcd1234e.auth.us-east-1.amazoncognito.com/oauth2/token',
      );
      expect(document.info.description).not.toContain('USER-POOL-DOMAIN');
      expect((await validate(structuredClone(document))).valid).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
