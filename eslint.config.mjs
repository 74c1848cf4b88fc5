// ESLint: bugs the type checker does not catch (typescript-eslint's type-checked rules) and the layering of the
// folders (README, "Project layout"). Formatting is Prettier's job alone: eslint-config-prettier comes last.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layering from './eslint.boundaries.cjs';

export default defineConfig(
  { ignores: ['node_modules/', 'cdktf.out/', '.local/', '.build/', '.gen/', 'coverage/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' } },
  js.configs.recommended,

  // TypeScript: every rule of recommendedTypeChecked, with type information from the tsconfig.json that holds each
  // file (projectService), plus the few stricter rules below, chosen one by one.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A `switch` over a union must handle every member (or say `default`): adding a member then fails here, not
      // at run time.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // cdktf is archived and the AWS SDK and Lambda types mark what goes away: a deprecated API is a decision,
      // taken with a comment where it is used.
      '@typescript-eslint/no-deprecated': 'error',
      // `const { dropped, ...rest } = value` is how the code leaves out a property; tsc's noUnused* check the rest.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Not taken from strictTypeChecked, deliberately:
      // - no-unnecessary-condition: the code checks values whose static types are claims, not guarantees (API
      //   Gateway events, JSON read from disk, config a JavaScript caller can get wrong, array indexes without
      //   noUncheckedIndexedAccess); the rule would have those checks deleted.
      // - restrict-template-expressions' strict options (numbers and `undefined` read well enough in a message),
      //   no-non-null-assertion, prefer-nullish-coalescing and the stylistic set: taste, or (`||` → `??`) a change
      //   of behaviour each, not a class of bug.
    },
  },

  {
    // Jest's asymmetric matchers (`expect.any(String)`, `expect.stringMatching(…)`) are typed `any` by @types/jest, so
    // each expected value that holds one is an "unsafe assignment": in a test's expectation that `any` is the point.
    files: ['__tests__/**/*.ts', 'proofs/**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },

  // JavaScript: the Lambda and DynamoDB worker threads (CommonJS) and the config files (jest.config.js is CommonJS,
  // this file is an ES module). No type information: they are not in tsconfig.json.
  {
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: globals.node } },

  ...layering.boundaries,
  prettier,
);
