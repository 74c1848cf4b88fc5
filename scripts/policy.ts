/**
 * `npm run policy`: the policy gate. Synthesizes every stack, plans each one offline (in parallel), evaluates the
 * plans against the rules in `policy/rules` with the suppressions in `policy/suppressions.ts`, prints a report per
 * stack and exits with 1 when any rule fails.
 *
 * Options: `--list-passed` also lists the rules that passed.
 */
import { evaluatePlans, formatReport } from '../policy';
import { planEveryStack } from '../synth/offline-plan';

async function main(): Promise<void> {
  const started = Date.now();
  const { plans } = await planEveryStack({ namespace: 'policy' });
  const report = evaluatePlans(plans);
  console.log(formatReport(report, { listPassed: process.argv.includes('--list-passed') }));
  console.log(`(${plans.length} stacks planned and evaluated in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
