/**
 * `npm run plan`: synthesizes every stack and runs `terraform plan` (which validates first) on each, offline
 * (local backend, dummy credentials, provider from a mirror on disk). Prints a summary per stack.
 */
import { planEveryStack } from '../synth/offline-plan';
import { summarizePlan } from '../synth/plan-summary';

async function main(): Promise<void> {
  const { terraformVersion, plans } = await planEveryStack({ namespace: 'plan' });
  console.log(`Terraform ${terraformVersion}: validated and planned ${plans.map((p) => p.stack).join(', ')} offline.`);
  for (const plan of plans) {
    const { init, plan: planSeconds } = plan.seconds;
    console.log(
      `\n${summarizePlan(`${plan.stack}: valid`, plan.json)}` +
        `(init ${init.toFixed(1)} s, plan ${planSeconds.toFixed(1)} s)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
