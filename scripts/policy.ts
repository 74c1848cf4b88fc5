/**
 * `npm run policy`: the policy gate. Synthesizes every stack, plans each one offline (in parallel), evaluates the
 * plans against the rules in `policy/rules` with the suppressions in `policy/suppressions.ts`, prints a report per
 * stack and exits with 1 when any rule fails.
 *
 * Options: `--list-passed` also lists the rules that passed.
 */
import { evaluatePlans, formatReport, PlanInput } from '../policy';
import { planEveryStack } from './offline-terraform';

/**
 * Synthesizes and plans every stack offline, returning what the gate evaluates. Fails with instructions when
 * Terraform cannot run here.
 */
export async function planAllStacks(): Promise<PlanInput[]> {
  const { plans } = await planEveryStack({ namespace: 'policy' });
  return plans.map(({ stack, json, synthesized }) => ({ stack, json, synthesized }));
}

export { evaluatePlans, formatReport };

async function main(): Promise<void> {
  const started = Date.now();
  const inputs = await planAllStacks();
  const report = evaluatePlans(inputs);
  console.log(formatReport(report, { listPassed: process.argv.includes('--list-passed') }));
  console.log(`(${inputs.length} stacks planned and evaluated in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = report.ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
