/** Helpers for the local-stack tests: HTTP calls, tokens, and reading the synthesized JSON independently. */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCAL_CREDENTIALS } from '../../local/environment';
import type { ApiExchange } from '../../local/gateway';
import type { LocalStack } from '../../local/stack';
import type { OpenApiDocument } from '../../openapi/document';
import { DocumentConformance } from '../../openapi/conformance';
import { resourceAttribute } from '../../synth/references';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON body, or `undefined`: cast it to one of the shapes below (or the test's own) to read it. */
  readonly json: unknown;
}

/** The token endpoint's success body. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
}

/** API Gateway's own error body: authorizer refusals, unknown routes, integration failures. */
export interface GatewayMessage {
  readonly message: string;
}

/** The error body of the functions and of the stack's gateway responses. */
export interface ErrorEnvelope {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly requestId: string;
    readonly details?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
  };
}

export async function http(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResult> {
  const response = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A token from the local token endpoint (all scopes unless given). */
export async function tokenFor(stack: LocalStack, scopes?: readonly string[]): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scopes) body.set('scope', scopes.join(' '));
  const basic = Buffer.from(`${stack.config.clientId}:${stack.config.clientSecret}`).toString('base64');
  const result = await http(stack.config.tokenUrl, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  if (result.status !== 200) throw new Error(`token request failed: ${result.status} ${result.text}`);
  return (result.json as TokenResponse).access_token;
}

export function decodeJwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function temporaryDirectory(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** `METHOD /path` of every synthesized method, computed from the JSON alone (parent_id chains and path_part). */
export function synthesizedRoutes(stackFile: string): string[] {
  const json = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { resource: Resources };
  const resources = json.resource.aws_api_gateway_resource ?? {};
  const pathOf = (value: unknown): string => {
    const reference = resourceAttribute(value);
    if (reference?.type !== 'aws_api_gateway_resource' || reference.attribute !== 'id') return '';
    const resource = resources[reference.name];
    return `${pathOf(resource.parent_id)}/${String(resource.path_part)}`;
  };
  return Object.values(json.resource.aws_api_gateway_method ?? {})
    .map((method) => `${String(method.http_method)} ${pathOf(method.resource_id) || '/'}`)
    .sort();
}

export function tableName(stackFile: string): string {
  const json = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { resource: Resources };
  const [table] = Object.values(json.resource.aws_dynamodb_table ?? {});
  return String(table.name);
}

export async function itemCount(client: DynamoDBClient, table: string): Promise<number> {
  const output = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }));
  return output.Count ?? 0;
}

export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
}

/**
 * Checks every answer of a local stack's API against the OpenAPI document the stack serves. Give `observe` to
 * `startLocalStack` (`onApiExchange`), `load` the document once the stack runs, and call {@link verifyAnswers} in
 * `afterEach`: a test that received an answer the document does not describe fails, with the reasons.
 */
export class AnswerCheck {
  private pending: ApiExchange[] = [];
  private conformance: DocumentConformance | undefined;
  /** Answers checked so far. */
  checked = 0;
  /** Answers to paths the document does not describe (unknown routes), which have nothing to conform to. */
  undescribed = 0;

  readonly observe = (exchange: ApiExchange): void => {
    this.pending.push(exchange);
  };

  async load(openapiUrl: string): Promise<void> {
    const response = await fetch(openapiUrl);
    if (response.status !== 200) throw new Error(`${openapiUrl} answered ${response.status}`);
    this.conformance = await DocumentConformance.of((await response.json()) as OpenApiDocument);
  }

  /** Checks the answers seen since the last call; throws listing those that do not conform. */
  verify(): void {
    const answers = this.pending.splice(0);
    if (!this.conformance) {
      if (answers.length > 0) throw new Error('AnswerCheck: answers were seen before the document was loaded.');
      return;
    }
    const problems: string[] = [];
    for (const answer of answers) {
      const result = this.conformance.checkAnswer(answer);
      problems.push(...result.problems);
      this.checked += 1;
      if (!result.described) this.undescribed += 1;
    }
    if (problems.length > 0) {
      throw new Error(`Answers that do not conform to the OpenAPI document:\n${problems.join('\n')}`);
    }
  }
}

/**
 * An {@link AnswerCheck} verified after each test of the file (call at the top level of a test file); the file
 * fails if it checked no answer at all (the stack was started without its `observe`).
 */
export function checkAnswersAfterEach(): AnswerCheck {
  const check = new AnswerCheck();
  afterEach(() => check.verify());
  afterAll(() => {
    if (check.checked === 0) throw new Error('AnswerCheck: no answer was checked; give onApiExchange its observe.');
  });
  return check;
}
