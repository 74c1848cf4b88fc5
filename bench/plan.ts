/** Offline `terraform init` + `plan` (validation included) of every stack, one stack at a time, never reused. */
import * as path from 'node:path';
import { median } from '../common/statistics';
import { planOffline, requireTerraform, SCRATCH_ROOT } from '../synth/offline-plan';
import { synthesize } from '../synth/synthesize';
import type { Row } from './row';

export async function benchPlan(runs: number): Promise<Row[]> {
  await requireTerraform();
  const stacks = synthesize(path.join(SCRATCH_ROOT, 'bench-plan'));
  const seconds = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    // One stack at a time: the figure is what one stack costs, not a share of two cores.
    for (const stack of stacks) {
      const plan = await planOffline(stack, { namespace: 'bench' });
      const total = plan.seconds.init + plan.seconds.plan;
      seconds.set(stack.name, [...(seconds.get(stack.name) ?? []), total]);
    }
  }
  return [...seconds].map(([stack, values]) => ({
    what: `offline init + plan: ${stack}`,
    value: `${median(values).toFixed(1)} s`,
  }));
}
