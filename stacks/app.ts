import { App } from 'cdktf';
import { BOOTSTRAP_STACK, platformStackName } from '../common/stack-names';
import { BootstrapStack } from './bootstrap-stack';
import { STAGES, stageConfig } from './config';
import { PlatformStack } from './platform-stack';

/**
 * Adds the stacks of the project to `app`: every one, or only those named in `only` (every stage's configuration is
 * read and checked all the same).
 */
export function buildApp(
  app: App,
  env: Readonly<Record<string, string | undefined>> = process.env,
  only?: readonly string[],
): void {
  const wanted = (name: string): boolean => only === undefined || only.includes(name);
  const configs = STAGES.map((stage) => stageConfig(stage, env));
  for (const config of configs) {
    const name = platformStackName(config.stage);
    if (wanted(name)) new PlatformStack(app, name, config);
  }
  const [first] = configs;
  if (!wanted(BOOTSTRAP_STACK)) return;
  new BootstrapStack(app, BOOTSTRAP_STACK, {
    region: first.state.region,
    stateBucket: first.state.bucket,
    apiRegions: configs.map((c) => c.region),
  });
}
