/**
 * `npm run plan`: synthesizes every stack and runs `terraform validate` and `terraform plan` on each, offline
 * (local backend, dummy credentials, provider from a mirror on disk). Prints a summary per stack.
 */
import * as path from 'node:path';
import { planOffline, requireTerraform, SCRATCH_ROOT } from './offline-terraform';
import { summarizePlan } from './plan-summary';
import { synthesize } from './synthesize';

async function main(): Promise<void> {
  const version = await requireTerraform();
  const stacks = synthesize(path.join(SCRATCH_ROOT, 'synth'));
  console.log(`Terraform ${version}: validating and planning ${stacks.map((s) => s.name).join(', ')} offline…`);
  const plans = await Promise.all(stacks.map((stack) => planOffline(stack)));
  for (const plan of plans) {
    const { init, validate, plan: planSeconds } = plan.seconds;
    console.log(
      `\n${summarizePlan(`${plan.stack}: valid`, plan.json)}` +
        `(init ${init.toFixed(1)} s, validate ${validate.toFixed(1)} s, plan ${planSeconds.toFixed(1)} s)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
