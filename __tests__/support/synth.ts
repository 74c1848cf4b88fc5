import { Testing } from 'cdktf';
import { App } from 'cdktf';
import { BOOTSTRAP_STACK, platformStackName } from '../../common/stack-names';
import { stageConfig, Stage, StageConfig } from '../../stacks/config';
import { PlatformStack } from '../../stacks/platform-stack';
import { BootstrapStack } from '../../stacks/bootstrap-stack';
import type { TerraformJson } from './terraform-json';

export interface SynthesizedPlatform {
  readonly stack: PlatformStack;
  /** What the cdktf jest matchers take. */
  readonly synthesized: string;
  readonly json: TerraformJson;
}

/** Synthesizes one stage's stack with the given environment (none by default: the committed defaults). */
export function synthPlatform(
  stage: Stage,
  env: Record<string, string> = {},
  adjust: (config: StageConfig) => StageConfig = (c) => c,
): SynthesizedPlatform {
  const app: App = Testing.app();
  const stack = new PlatformStack(app, platformStackName(stage), adjust(stageConfig(stage, env)));
  const synthesized = Testing.synth(stack);
  return { stack, synthesized, json: JSON.parse(synthesized) as TerraformJson };
}

export function synthBootstrap(): { synthesized: string; json: TerraformJson } {
  const stack = new BootstrapStack(Testing.app(), BOOTSTRAP_STACK, {
    region: 'eu-west-1',
    stateBucket: 'example-state',
  });
  const synthesized = Testing.synth(stack);
  return { synthesized, json: JSON.parse(synthesized) as TerraformJson };
}
