/**
 * The layering rule (eslint.boundaries.cjs) fails an import that crosses a boundary, with a message naming the rule
 * of the README's "Project layout" that it breaks, and lets the imports the table allows through. Only that rule
 * runs here (no type information), on code given as text at paths inside the tree: the imports resolve to the real
 * files. `npm run lint` applies it to every file.
 */
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { parser } from 'typescript-eslint';
import { boundaries } from '../../eslint.boundaries.cjs';

const ROOT = path.resolve(__dirname, '..', '..');
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser } }, ...boundaries],
});

/** The layering rule's messages for `code` written in `file`. */
async function layering(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const RULE = 'boundaries/dependencies';
const ENTRY_POINT = 'Nothing imports an entry point (main.ts, scripts/*)';
const STACKS =
  "stacks/ may import only common/, contracts/ (types only) and the functions' contract modules " +
  '(functions/categories/{model,request-model,store-permissions,table-key}.ts)';
const READS_JSON = 'local/, policy/ and openapi/ never import synth/synthesize.ts or synth/offline-plan.ts';
const LOCAL = 'local/ may import only common/, synth/';

describe('the layering rule fails an import that crosses a boundary', () => {
  it.each([
    [
      'functions/categories/app.ts',
      "import { STAGES } from '../../stacks/config';",
      'functions/ imports nothing outside functions/',
    ],
    [
      'functions/shared/http.ts',
      "import { stackName } from '../../common/stack-names';",
      'functions/ imports nothing outside functions/',
    ],
    [
      'functions/shared/http.ts',
      "export { STAGES } from '../../stacks/config';",
      'functions/ imports nothing outside functions/',
    ],
    ['local/stack.ts', "import { STAGES } from '../stacks/config';", LOCAL],
    ['local/lambda-worker.cjs', "const { app } = require('../stacks/app');", LOCAL],
    ['local/stack.ts', "const { app } = await import('../stacks/app');", LOCAL],
    ['local/stack.ts', "import { synthesize } from '../synth/synthesize';", READS_JSON],
    ['policy/index.ts', "import { synthesize } from '../synth/synthesize';", READS_JSON],
    ['policy/evaluate.ts', "import { planEveryStack } from '../synth/offline-plan';", READS_JSON],
    ['local/watch.ts', "import { SynthProcess } from '../synth/synth-process';", READS_JSON],
    ['stacks/platform-stack.ts', "import { startLocalStack } from '../local/stack';", STACKS],
    ['local/stack.ts', "import { DocumentConformance } from '../openapi/conformance';", LOCAL],
    [
      'openapi/document.ts',
      "import { startLocalStack } from '../local/stack';",
      'openapi/ may import only common/, synth/',
    ],
    ['openapi/rest-api.ts', "import { synthesize } from '../synth/synthesize';", READS_JSON],
    [
      'client/categories-client.ts',
      "import { CATEGORIES_CONTRACT } from '../functions/categories/contract';",
      "client/ may import only contracts/ and the functions' contract modules",
    ],
    ['stacks/platform-stack.ts', "import { handler } from '../functions/categories/app';", STACKS],
    [
      'stacks/constructs/consumer-credentials.ts',
      "import { parseConsumerCredentials } from '../../contracts/consumer-credentials';",
      STACKS,
    ],
    [
      'synth/references.ts',
      "import { buildApp } from '../stacks/app';",
      'synth/ may import only common/, and stacks/app.ts and stacks/incremental-bundles.ts from synth/synthesize.ts',
    ],
    [
      'synth/offline-plan.ts',
      "import { buildApp } from '../stacks/app';",
      'synth/ may import only common/, and stacks/app.ts and stacks/incremental-bundles.ts from synth/synthesize.ts',
    ],
    [
      'smoke/target.ts',
      "import { startLocalStack } from '../local/stack';",
      'smoke/ may import only common/, client/ and local/environment.ts',
    ],
    [
      'common/statistics.ts',
      "import { SynthesizedStackConfig } from '../synth/stack-json';",
      'common/ imports nothing of the project',
    ],
    [
      'upgrade/synth-on-core.ts',
      "import { STAGES } from '../stacks/config';",
      'upgrade/ imports nothing of the project',
    ],
    ['main.ts', "import { startLocalStack } from './local/stack';", 'main.ts may import only stacks/'],
    ['client/index.ts', "import { synthOnce } from '../__tests__/support/synth';", 'No folder imports __tests__/'],
    ['bench/plan.ts', "import { main } from '../scripts/plan';", ENTRY_POINT],
    ['scripts/plan.ts', "import { main } from './policy';", ENTRY_POINT],
    ['__tests__/docs.test.ts', "import '../main';", ENTRY_POINT],
  ])('%s: %s', async (file, code, rule) => {
    const messages = await layering(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(new RegExp(`^${RULE}: ${escape(rule)}.*\\(README, "Project layout"\\)$`));
  });
});

it('fails a TypeScript file in a folder the table has no row for', async () => {
  expect(await layering('tools/generate.ts', "import { STAGES } from '../stacks/config';")).toEqual([
    'boundaries/no-unknown-files: File does not match any file pattern and does not belong to any known element',
  ]);
});

describe('the layering rule lets the imports the table allows through', () => {
  it.each([
    [
      'functions/categories/app.ts',
      "import { ApiError } from '../shared/errors'; import { z } from 'zod'; import * as fs from 'node:fs';",
    ],
    ['stacks/platform-stack.ts', "import { CATEGORY_TABLE_KEY } from '../functions/categories/table-key';"],
    ['stacks/platform-stack.ts', "import { tokenValidity } from '../common/cognito-token-validity';"],
    [
      'stacks/constructs/consumer-credentials.ts',
      "import type { ConsumerCredentials } from '../../contracts/consumer-credentials';",
    ],
    ['synth/synthesize.ts', "import { buildApp } from '../stacks/app';"],
    ['synth/synthesize.ts', "export { IncrementalBundles } from '../stacks/incremental-bundles';"],
    [
      'local/stack.ts',
      "import { SynthesizedStackConfig } from '../synth/stack-json'; import { PROJECT_ROOT } from '../common/project-paths';",
    ],
    ['policy/plan/plan-view.ts', "import { resourceAttribute } from '../../synth/references';"],
    ['client/categories-client.ts', "import type { Category } from '../functions/categories/model';"],
    ['client/categories-client.ts', "import type { CategoriesRoute } from '../functions/categories/contract';"],
    ['local/stack.ts', "import { openApiDocument } from '../openapi/document';"],
    [
      'openapi/function-contracts.ts',
      "import { CATEGORIES_CONTRACT } from '../functions/categories/contract'; import { SynthesizedStackConfig } from '../synth/stack-json';",
    ],
    ['proofs/support.ts', "import { DocumentConformance } from '../openapi/conformance';"],
    ['smoke/target.ts', "import { DEFAULT_STATE_FILE } from '../local/environment';"],
    [
      'proofs/support.ts',
      "import { synthesize } from '../synth/synthesize'; import { parseCategoryInput } from '../functions/categories/schema';",
    ],
    ['main.ts', "import { buildApp } from './stacks/app';"],
    [
      'scripts/start.ts',
      "import { synthesize } from '../synth/synthesize'; import { startLocalStack } from '../local/stack';",
    ],
    [
      '__tests__/docs.test.ts',
      "import { STAGES } from '../stacks/config'; import { synthOnce } from './support/synth';",
    ],
  ])('%s: %s', async (file, code) => {
    expect(await layering(file, code)).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
