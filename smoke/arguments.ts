/** The command line of `npm run smoke` (`scripts/smoke.ts`): `--flag value` or `--flag=value`. */

const USAGE = 'Usage: npm run smoke -- [--stack platform-<stage> | --state-file <path>]';

export interface SmokeArguments {
  /** A deployed stack to check. */
  readonly stack: string | undefined;
  /** The local stack's state file (`npm start -- --state-file <path>`), relative to the working directory. */
  readonly stateFile: string | undefined;
}

/** Parses the command line (`--flag value` or `--flag=value`). */
export function parseArguments(argv: readonly string[]): SmokeArguments {
  let stack: string | undefined;
  let stateFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    if (flag === '--stack') {
      stack = inline ?? argv[++i];
      if (!stack || !/^[A-Za-z0-9_-]+$/.test(stack))
        throw new Error('--stack needs a stack name, e.g. --stack platform-dev.');
    } else if (flag === '--state-file') {
      stateFile = inline ?? argv[++i];
      if (!stateFile || (inline === undefined && stateFile.startsWith('--'))) {
        throw new Error('--state-file needs a path, e.g. --state-file .local/qa.json.');
      }
    } else {
      throw new Error(`Unknown option ${argv[i]}. ${USAGE}`);
    }
  }
  if (stack !== undefined && stateFile !== undefined) {
    throw new Error(`--state-file is for the local stack, --stack for a deployed one: give one of them. ${USAGE}`);
  }
  return { stack, stateFile };
}
