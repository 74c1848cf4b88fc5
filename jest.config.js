/**
 * Two suites, both run by `npm test`: the tests (`__tests__/`) and the proofs under load, hostile input and faults
 * (`proofs/`, also `npm run proofs`). Jest runs the TypeScript sources through SWC (type checking is
 * `npm run typecheck`'s job). jose is ESM-only, so it is transformed too.
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  setupFiles: ['<rootDir>/__tests__/support/setup-env.ts'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'tests', roots: ['<rootDir>/__tests__'] },
    { ...shared, displayName: 'proofs', roots: ['<rootDir>/proofs'] },
  ],
};
