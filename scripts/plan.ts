/**
 * `npm run plan`: synthesizes every stack and runs `terraform validate` and `terraform plan` on each, offline
 * (local backend, dummy credentials, provider from a mirror on disk). Prints a summary per stack.
 */
import * as path from 'node:path';
import { planOffline, requireTerraform, SCRATCH_ROOT } from './offline-terraform';
import { synthesize } from './synthesize';

async function main(): Promise<void> {
  const version = await requireTerraform();
  const stacks = synthesize(path.join(SCRATCH_ROOT, 'synth'));
  console.log(`Terraform ${version}: validating and planning ${stacks.map((s) => s.name).join(', ')} offline…`);
  const plans = await Promise.all(stacks.map((stack) => planOffline(stack)));
  for (const plan of plans) {
    const byType = new Map<string, number>();
    for (const r of plan.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    const { init, validate, plan: planSeconds } = plan.seconds;
    console.log(
      `\n${plan.stack}: valid; plan creates ${plan.resources.length} resources ` +
        `(init ${init.toFixed(1)} s, validate ${validate.toFixed(1)} s, plan ${planSeconds.toFixed(1)} s)`,
    );
    for (const [type, count] of [...byType].sort()) console.log(`  ${String(count).padStart(3)}  ${type}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
