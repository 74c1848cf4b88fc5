/**
 * `npm run smoke [-- --stack platform-<stage> | --state-file <path>]`: end-to-end check of a running stack, the
 * local one or a deployed one (see `smoke/`). Prints one line per check and a verdict; exits 0 or 1.
 */
import * as path from 'node:path';
import { parseArguments } from '../smoke/arguments';
import { DEPLOYED_TOKEN_WAIT_MS } from '../smoke/first-token';
import { runSmoke } from '../smoke/run-smoke';
import { deployedTarget, localTarget } from '../smoke/target';

async function main(): Promise<void> {
  const { stack, stateFile } = parseArguments(process.argv.slice(2));
  const target =
    stack === undefined
      ? localTarget(stateFile === undefined ? undefined : path.resolve(stateFile))
      : await deployedTarget(stack);
  const result = await runSmoke(target, console.log, {
    tokenEndpointWaitMs: stack === undefined ? 0 : DEPLOYED_TOKEN_WAIT_MS,
  });
  process.exit(result.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`SMOKE FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
