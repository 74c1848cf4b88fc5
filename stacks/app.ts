import { App } from 'cdktf';
import { BOOTSTRAP_STACK, platformStackName } from '../common/stack-names';
import { BootstrapStack } from './bootstrap-stack';
import { STAGES, stageConfig } from './config';
import { PlatformStack } from './platform-stack';

/** Adds every stack of the project to `app`. */
export function buildApp(app: App, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const configs = STAGES.map((stage) => stageConfig(stage, env));
  for (const config of configs) {
    new PlatformStack(app, platformStackName(config.stage), config);
  }
  const [first] = configs;
  new BootstrapStack(app, BOOTSTRAP_STACK, {
    region: first.state.region,
    stateBucket: first.state.bucket,
    apiRegions: configs.map((c) => c.region),
  });
}
