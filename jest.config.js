/**
 * Two suites, both run by `npm test`: the tests (`__tests__/`) and the proofs under load, hostile input and faults
 * (`proofs/`, also `npm run proofs`). Jest runs the TypeScript sources through SWC (type checking is
 * `npm run typecheck`'s job). jose and @apidevtools/json-schema-ref-parser (through openapi-backend) are ESM-only,
 * so they are transformed too, wherever npm put them.
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(.+/node_modules/)?(jose|@apidevtools/json-schema-ref-parser)/)'],
  setupFiles: ['<rootDir>/__tests__/support/setup-env.ts'],
};

module.exports = {
  // A worker per core: jest's default leaves one core idle (cores - 1), which on two cores halves the speed.
  maxWorkers: '100%',
  projects: [
    { ...shared, displayName: 'tests', roots: ['<rootDir>/__tests__'] },
    { ...shared, displayName: 'proofs', roots: ['<rootDir>/proofs'] },
  ],
};
