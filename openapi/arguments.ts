/** The command line of `npm run openapi` (`scripts/openapi.ts`): `--flag value` or `--flag=value`. */

export const USAGE =
  'Usage: npm run openapi -- [--stack <stack>]... [--from-outputs] [--out <folder>]\n' +
  '  --stack <stack>   only this stack (repeatable); default: every stack with a REST API\n' +
  '  --from-outputs    describe the deployed stack: its cdktf.out configuration, with the api_url and\n' +
  '                    token_endpoint of `terraform output -json` (needs --stack)\n' +
  '  --out <folder>    where to write <stack>.openapi.json (default .build/openapi)';

export interface OpenApiArguments {
  readonly stacks: readonly string[];
  readonly fromOutputs: boolean;
  readonly out: string | undefined;
}

export function parseArguments(argv: readonly string[]): OpenApiArguments {
  const stacks: string[] = [];
  let fromOutputs = false;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    if (flag === '--stack') {
      const stack = inline ?? argv[++i];
      if (!stack || !/^[A-Za-z0-9_-]+$/.test(stack)) {
        throw new Error('--stack needs a stack name, e.g. --stack platform-dev.');
      }
      stacks.push(stack);
    } else if (flag === '--from-outputs' && inline === undefined) {
      fromOutputs = true;
    } else if (flag === '--out') {
      out = inline ?? argv[++i];
      if (!out || (inline === undefined && out.startsWith('--'))) throw new Error('--out needs a folder.');
    } else {
      throw new Error(`Unknown option ${argv[i]}.`);
    }
  }
  if (fromOutputs && stacks.length === 0) {
    throw new Error('--from-outputs describes a deployed stack: name it, e.g. --stack platform-dev.');
  }
  return { stacks, fromOutputs, out };
}
