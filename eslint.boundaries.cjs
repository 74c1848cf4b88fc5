'use strict';
/**
 * The layering of the folders (README, "Project layout") as an ESLint rule, `boundaries/dependencies`
 * (eslint-plugin-boundaries). Every folder is an element; a few files the table names get a category of their own.
 * An import is resolved to the file it loads (Node.js resolution, TypeScript extensions) before it is judged, so
 * `../stacks`, `../../stacks/config` and `./stacks/app` are the same kind of import wherever they are written.
 *
 * Policies are read in order and the last one that matches an import decides: each folder's row first forbids
 * every import of the project and then allows its own list, and the rules that hold for every folder come last, so
 * nothing allows them away. The message of the deciding policy names the row or rule that was broken. A TypeScript
 * file outside every folder of the table fails too (`boundaries/no-unknown-files`): a new folder needs its row.
 *
 * eslint.config.mjs uses this for the whole tree; __tests__/lint/boundaries.test.ts runs it alone.
 */
const boundariesPlugin = require('eslint-plugin-boundaries');

const WHERE = 'README, "Project layout"';

/** Folders, each one element of the layering. */
const FOLDERS = {
  common: 'common',
  functions: 'functions',
  contracts: 'contracts',
  stacks: 'stacks',
  client: 'client',
  synth: 'synth',
  openapi: 'openapi',
  local: 'local',
  policy: 'policy',
  smoke: 'smoke',
  bench: 'bench',
  proofs: 'proofs',
  upgrade: 'upgrade',
  tests: '__tests__',
  scripts: 'scripts',
};

/** Files the table names on their own. */
const FILES = {
  'entry-point': ['main.ts', 'scripts/**'],
  app: ['main.ts'],
  'function-contract': [
    'functions/categories/model.ts',
    'functions/categories/request-model.ts',
    'functions/categories/store-permissions.ts',
    'functions/categories/table-key.ts',
  ],
  'http-contract': ['functions/categories/contract.ts', 'functions/shared/http-contract.ts'],
  'openapi-document': ['openapi/document.ts'],
  'synth-producer': ['synth/synthesize.ts', 'synth/offline-plan.ts', 'synth/synth-process.ts', 'synth/synth-worker.ts'],
  synthesize: ['synth/synthesize.ts'],
  'stack-app': ['stacks/app.ts', 'stacks/incremental-bundles.ts'],
  'local-environment': ['local/environment.ts'],
};

const folder = (type) => ({ element: { type } });
const file = (category) => ({ file: { categories: category } });

/**
 * One row of the table: `from` may import its own folder and `allow`, nothing else of the project.
 * @param {string} from element type
 * @param {string} rule the row, as the README says it
 * @param {object[]} allow entity selectors (`to`) or dependency selectors
 */
function row(from, rule, allow = []) {
  return [
    { from: folder(from), disallow: { to: { element: { type: '*' } } }, message: `${rule} (${WHERE})` },
    { from: folder(from), allow: [{ to: folder(from) }, ...allow] },
  ];
}

const readsSynthesizedJson = 'it reads synthesized JSON and never makes it';

const policies = [
  ...row('common', 'common/ imports nothing of the project'),
  ...row('functions', 'functions/ imports nothing outside functions/'),
  ...row('contracts', 'contracts/ imports nothing of the project'),
  ...row(
    'stacks',
    "stacks/ may import only common/, contracts/ (types only) and the functions' contract modules " +
      '(functions/categories/{model,request-model,store-permissions,table-key}.ts)',
    [
      { to: folder('common') },
      { to: folder('contracts'), dependency: { kind: 'type' } },
      { to: { element: { type: 'functions' }, ...file('function-contract') } },
    ],
  ),
  ...row(
    'client',
    "client/ may import only contracts/ and the functions' contract modules (functions/categories/contract.ts for types only)",
    [
      { to: folder('contracts') },
      { to: { element: { type: 'functions' }, ...file('function-contract') } },
      { to: { element: { type: 'functions' }, ...file('http-contract') }, dependency: { kind: 'type' } },
    ],
  ),
  ...row(
    'synth',
    'synth/ may import only common/, and stacks/app.ts and stacks/incremental-bundles.ts from synth/synthesize.ts',
    [{ to: folder('common') }, { from: file('synthesize'), to: { element: { type: 'stacks' }, ...file('stack-app') } }],
  ),
  ...row(
    'openapi',
    `openapi/ may import only common/, synth/ (${readsSynthesizedJson}) and the functions' HTTP contracts ` +
      '(functions/categories/contract.ts, functions/shared/http-contract.ts)',
    [
      { to: folder('common') },
      { to: folder('synth') },
      { to: { element: { type: 'functions' }, ...file('http-contract') } },
    ],
  ),
  ...row('local', `local/ may import only common/, synth/ (${readsSynthesizedJson}) and openapi/document.ts`, [
    { to: folder('common') },
    { to: folder('synth') },
    { to: { element: { type: 'openapi' }, ...file('openapi-document') } },
  ]),
  ...row('policy', `policy/ may import only common/ and synth/ (${readsSynthesizedJson})`, [
    { to: folder('common') },
    { to: folder('synth') },
  ]),
  ...row('smoke', 'smoke/ may import only common/, client/ and local/environment.ts', [
    { to: folder('common') },
    { to: folder('client') },
    { to: { element: { type: 'local' }, ...file('local-environment') } },
  ]),
  ...row('bench', 'bench/ may import only common/, client/, local/ and synth/', [
    { to: folder('common') },
    { to: folder('client') },
    { to: folder('local') },
    { to: folder('synth') },
  ]),
  ...row('proofs', 'proofs/ may import only common/, client/, local/, synth/, functions/ and openapi/', [
    { to: folder('common') },
    { to: folder('client') },
    { to: folder('local') },
    { to: folder('synth') },
    { to: folder('functions') },
    { to: folder('openapi') },
  ]),
  ...row('upgrade', 'upgrade/ imports nothing of the project (it runs main.ts in a child process)'),
  ...row('tests', '__tests__/ may import every folder but the entry points', [{ to: { element: { type: '*' } } }]),
  ...row('scripts', 'scripts/ may import every folder but __tests__/ and the entry points', [
    { to: { element: { type: '*' } } },
  ]),
  {
    from: file('app'),
    disallow: { to: { element: { type: '*' } } },
    message: `main.ts may import only stacks/ (${WHERE})`,
  },
  { from: file('app'), allow: { to: folder('stacks') } },

  // Rules for every folder, last so that no row allows them away.
  {
    from: { element: { type: '{local,policy,openapi}' } },
    disallow: { to: { element: { type: 'synth' }, ...file('synth-producer') } },
    message: `local/, policy/ and openapi/ never import synth/synthesize.ts or synth/offline-plan.ts, nor synth/synth-process.ts and synth/synth-worker.ts that run it: ${readsSynthesizedJson} (${WHERE})`,
  },
  {
    from: { element: { type: '!tests' } },
    disallow: { to: folder('tests') },
    message: `No folder imports __tests__/ (${WHERE})`,
  },
  {
    disallow: { to: file('entry-point') },
    message: `Nothing imports an entry point (main.ts, scripts/*): move what it exports into a folder of the layering (${WHERE})`,
  },
];

/** @type {import('eslint').Linter.Config[]} */
const boundaries = [
  {
    name: 'project/boundaries',
    files: ['**/*.ts', '**/*.cjs', '**/*.js', '**/*.mjs'],
    plugins: { boundaries: boundariesPlugin },
    settings: {
      'boundaries/root-path': __dirname,
      'boundaries/elements': Object.entries(FOLDERS).map(([type, pattern]) => ({ type, pattern, partialMatch: false })),
      'boundaries/files': Object.entries(FILES).map(([category, pattern]) => ({ category, pattern })),
      'boundaries/dependency-nodes': ['import', 'require', 'dynamic-import', 'export'],
      'boundaries/legacy-templates': false,
      'import/resolver': { node: { extensions: ['.ts', '.cjs', '.js', '.mjs', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkInternals: true, policies }],
    },
  },
  {
    // Every TypeScript file belongs to a row of the table: a new folder fails here until it has one.
    name: 'project/boundaries-every-folder-a-row',
    files: ['**/*.ts'],
    rules: { 'boundaries/no-unknown-files': 'error' },
  },
];

module.exports = { boundaries };
