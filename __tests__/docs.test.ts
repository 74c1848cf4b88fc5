/**
 * The README's walk-through and requests.http run here, as written, against a local stack: documentation that
 * stops working fails the build.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startLocalStack, type LocalStack } from '../local/stack';
import { synthesize } from '../synth/synthesize';
import { checkAnswersAfterEach } from './local/support';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

jest.setTimeout(60_000);

/** The ```sh blocks that follow a `<!-- walkthrough -->` (or `<!-- walkthrough-<stage> -->`) comment, in order. */
function walkthroughBlocks(markdown: string, stage?: string): string[] {
  const marker = stage === undefined ? 'walkthrough(?::[^>]*)?' : `walkthrough-${stage}`;
  return [...markdown.matchAll(new RegExp(`<!-- ${marker} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (m) => m[1],
  );
}

interface HttpFileRequest {
  readonly name?: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * Runs an .http file the way the VS Code REST Client does, for the features the file uses: `@variables`,
 * `# @name` requests and `{{name.response.body.field}}` references, and Basic credentials written as `user:secret`.
 */
async function runHttpFile(text: string, overrides: Record<string, string>): Promise<number[]> {
  const variables: Record<string, string> = {};
  const responses: Record<string, Record<string, unknown>> = {};
  const substitute = (value: string): string =>
    value.replace(/\{\{([^}]+)\}\}/g, (_, expression: string) => {
      const reference = /^(\w+)\.response\.body\.(\w+)$/.exec(expression);
      const resolved = reference ? responses[reference[1]]?.[reference[2]] : variables[expression];
      if (resolved === undefined) throw new Error(`requests.http: {{${expression}}} is not defined when used`);
      return substitute(typeof resolved === 'string' ? resolved : JSON.stringify(resolved));
    });
  const statuses: number[] = [];
  for (const block of text.split(/^###.*$/m)) {
    const lines = block.split('\n');
    let request: HttpFileRequest | undefined;
    let name: string | undefined;
    let bodyLines: string[] | undefined;
    for (const line of lines) {
      if (bodyLines) {
        bodyLines.push(line);
        continue;
      }
      const variable = /^@(\w+)\s*=\s*(.*)$/.exec(line);
      const named = /^# @name (\w+)$/.exec(line);
      if (named) name = named[1];
      else if (variable) variables[variable[1]] = overrides[variable[1]] ?? variable[2].trim();
      else if (line.startsWith('#') || (!request && line.trim() === '')) continue;
      else if (!request) {
        const [method, url] = line.trim().split(/\s+/);
        request = { name, method, url, headers: {} };
      } else if (line.trim() === '') bodyLines = [];
      else {
        const [header, ...value] = line.split(':');
        request.headers[header.trim()] = value.join(':').trim();
      }
    }
    if (!request) continue;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, substitute(v)]));
    const basic = /^Basic ([^:\s]+:.+)$/.exec(headers.Authorization ?? '');
    if (basic) headers.Authorization = `Basic ${Buffer.from(basic[1]).toString('base64')}`;
    const body = bodyLines?.join('\n').trim();
    const response = await fetch(substitute(request.url), {
      method: request.method,
      headers,
      body: body ? substitute(body) : undefined,
    });
    statuses.push(response.status);
    const text = await response.text();
    if (request.name) responses[request.name] = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
  return statuses;
}

describe('documentation', () => {
  /** Every answer the walk-through and requests.http get must conform to the OpenAPI document. */
  const answers = checkAnswersAfterEach();
  const prodAnswers = checkAnswersAfterEach();
  let stack: LocalStack;
  let prod: LocalStack;
  let workdir: string;
  let prodWorkdir: string;

  beforeAll(async () => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-'));
    const synthDir = path.join(workdir, 'synth');
    synthesize(synthDir);
    stack = await startLocalStack({
      synthDir,
      port: 0,
      inMemory: true,
      stateFile: path.join(workdir, '.local', 'stack.json'),
      functionsDir: path.join(workdir, 'functions'),
      onApiExchange: answers.observe,
    });
    await answers.load(stack.config.openapiUrl);
    prodWorkdir = path.join(workdir, 'prod');
    prod = await startLocalStack({
      synthDir,
      stage: 'prod',
      port: 0,
      inMemory: true,
      stateFile: path.join(prodWorkdir, '.local', 'stack.json'),
      functionsDir: path.join(workdir, 'functions'),
      onApiExchange: prodAnswers.observe,
    });
    await prodAnswers.load(prod.config.openapiUrl);
  });

  afterAll(async () => {
    await stack?.stop();
    await prod?.stop();
    fs.rmSync(workdir, { recursive: true, force: true });
  });

  it("the README's walk-through works as written", async () => {
    const blocks = walkthroughBlocks(README);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', blocks.join('\n')], { cwd: workdir });
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ message: 'Unauthorized' });
    expect(JSON.parse(lines[1])).toEqual({ items: [] });
    expect(JSON.parse(lines[2])).toMatchObject({ name: 'Books', description: 'Paper and ink', version: 1 });
    expect(JSON.parse(lines[3])).toMatchObject({ name: 'Books and magazines', version: 2 });
    expect(lines[4]).toBe('204');
    expect(JSON.parse(lines[5])).toMatchObject({ message: 'Unauthorized' });
    // The read-only example consumer (Consumers → On your laptop).
    expect(JSON.parse(lines[6])).toEqual({ items: [] });
    expect(JSON.parse(lines[7])).toMatchObject({ message: 'Unauthorized' });
    expect(JSON.parse(lines[8])).toEqual({ error: 'invalid_scope' });
    expect(lines).toHaveLength(9);
  });

  it("the README's walk-through of the prod stage, with API keys, works as written", async () => {
    const blocks = walkthroughBlocks(README, 'prod');
    expect(blocks).toHaveLength(1);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', blocks.join('\n')], { cwd: prodWorkdir });
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ message: 'Forbidden' });
    expect(JSON.parse(lines[1])).toEqual({ items: [] });
    expect(lines).toHaveLength(2);
  });

  it('requests.http works as written', async () => {
    const statuses = await runHttpFile(fs.readFileSync(path.join(ROOT, 'requests.http'), 'utf8'), {
      apiUrl: stack.config.apiUrl,
      tokenUrl: stack.config.tokenUrl,
      clientId: stack.config.clientId,
      clientSecret: stack.config.clientSecret,
    });
    expect(statuses).toEqual([401, 200, 200, 201, 200, 200, 204]);
  });

  it('names only npm scripts that exist', () => {
    const scripts = Object.keys(
      (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    const named = new Set([...README.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]));
    expect(named.size).toBeGreaterThan(5);
    for (const name of named) expect(scripts).toContain(name);
    for (const name of ['start', 'test']) expect(scripts).toContain(name);
  });
});
