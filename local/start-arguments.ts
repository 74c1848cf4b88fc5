/**
 * The command line of `npm start` (`scripts/start.ts`): `--flag value` or `--flag=value`.
 */
import { DEFAULT_PORT, DEFAULT_STAGE } from './environment';
import { LocalStackError } from './errors';

export const USAGE = `Usage: npm start -- [--stage <stage>] [--port <n>] [--in-memory] [--data-dir <dir>] [--state-file <file>]
                    [--watch]

  --stage <stage>      stage to serve, i.e. the stack platform-<stage> (default ${DEFAULT_STAGE})
  --port <n>           port on 127.0.0.1 for everything; 0 picks a free one (default ${DEFAULT_PORT})
  --in-memory          keep DynamoDB data, client credentials and keys in memory (lost on exit)
  --data-dir <dir>     where DynamoDB data persists (default .local/data); client credentials, API keys
                       and signing keys are kept beside it, in <dir>-credentials.json
  --state-file <file>  where to write the connection details (default .local/stack.json); give each
                       stage its own file to run several at once, and check one with
                       npm run smoke -- --state-file <file>
  --watch              on every save under stacks/, functions/, common/ or contracts/, synthesize again and
                       serve the change on the same port: only changed functions restart; data, credentials and
                       signing keys stay, so tokens issued before still work. A change that does not synthesize
                       leaves the last good stack serving.

Environment: LOCAL_CLIENT_ID / LOCAL_CLIENT_SECRET fix the operations consumer's client credentials
(default: generated once and kept with the data).`;

export interface StartArguments {
  readonly stage: string;
  readonly port: number;
  readonly inMemory: boolean;
  readonly dataDir: string | undefined;
  readonly stateFile: string | undefined;
  /** Reload the stack on every change to what it is synthesized from. */
  readonly watch: boolean;
  readonly help: boolean;
}

/** A command line `npm start` cannot run with: printed with the usage. */
export class UsageError extends LocalStackError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses the command line (`--flag value` or `--flag=value`). */
export function parseArguments(argv: readonly string[]): StartArguments {
  let stage = DEFAULT_STAGE;
  let port = DEFAULT_PORT;
  let inMemory = false;
  let dataDir: string | undefined;
  let stateFile: string | undefined;
  let watch = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || (inline === undefined && next.startsWith('--')))
        throw new UsageError(`${flag} needs a value.`);
      return next;
    };
    switch (flag) {
      case '--stage': {
        stage = value();
        if (!/^[A-Za-z0-9_-]+$/.test(stage)) throw new UsageError(`--stage "${stage}" is not a stage name.`);
        break;
      }
      case '--port': {
        const text = value();
        port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port "${text}" is not a port (0 to 65535).`);
        break;
      }
      case '--in-memory':
        if (inline !== undefined) throw new UsageError('--in-memory takes no value.');
        inMemory = true;
        break;
      case '--watch':
        if (inline !== undefined) throw new UsageError('--watch takes no value.');
        watch = true;
        break;
      case '--data-dir':
        dataDir = value();
        break;
      case '--state-file':
        stateFile = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`Unknown option ${argv[i]}.`);
    }
  }
  if (inMemory && dataDir !== undefined) throw new UsageError('--in-memory and --data-dir exclude each other.');
  return { stage, port, inMemory, dataDir, stateFile, watch, help };
}
