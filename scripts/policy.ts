/**
 * `npm run policy`: the policy gate. Synthesizes every stack, plans each one offline (in parallel), evaluates the
 * plans against the rules in `policy/rules` with the suppressions in `policy/suppressions.ts`, prints a report per
 * stack and exits with 1 when any rule fails.
 *
 * Options: `--list-passed` also lists the rules that passed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluatePlans, formatReport, PlanInput } from '../policy';
import { planOffline, requireTerraform, SCRATCH_ROOT } from './offline-terraform';
import { synthesize, SynthesizedStack } from './synthesize';

/** Where the gate synthesizes (apart from `npm run plan`'s output, which it must not overwrite). */
export const POLICY_SYNTH_DIR = path.join(SCRATCH_ROOT, 'policy-synth');

/** The synthesized Terraform JSON of a stack, which holds what the plan does not show (`lifecycle`). */
export function readSynthesized(stack: SynthesizedStack): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(stack.synthesizedFile, 'utf8')) as Record<string, unknown>;
}

/**
 * Synthesizes and plans every stack offline, returning what the gate evaluates. Fails with instructions when
 * Terraform cannot run here.
 */
export async function planAllStacks(outdir: string = POLICY_SYNTH_DIR): Promise<PlanInput[]> {
  await requireTerraform();
  const stacks = synthesize(outdir);
  const plans = await Promise.all(stacks.map((stack) => planOffline(stack, { namespace: 'policy' })));
  return stacks.map((stack, i) => ({ stack: stack.name, json: plans[i].json, synthesized: readSynthesized(stack) }));
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
