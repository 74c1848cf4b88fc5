import { SKIP_VARIABLE } from '../../synth/offline-plan';

/**
 * `describe` for suites that need Terraform. They run, and fail loudly when Terraform is missing, unless the
 * person running them opted out explicitly with SKIP_TERRAFORM=1 — then they are reported as skipped, with a notice.
 */
export const describeWithTerraform: jest.Describe = (() => {
  if (process.env[SKIP_VARIABLE] !== '1') return describe;
  process.stderr.write(`${SKIP_VARIABLE}=1: skipping the Terraform validate/plan suites as asked.\n`);
  return describe.skip;
})();
