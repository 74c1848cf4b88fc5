/**
 * `npm start`: synthesizes the app, then serves one stage on 127.0.0.1 and writes `.local/stack.json`.
 *
 *   tsx local/start.ts [--stage dev] [--port 3100] [--in-memory] [--data-dir .local/data]
 */
import * as path from 'node:path';
import {
  DEFAULT_PORT,
  DEFAULT_STAGE,
  LocalStackError,
  PROJECT_ROOT,
  startLocalStack,
  type LocalStackConfig,
} from './stack';

const USAGE = `Usage: npm start -- [--stage <stage>] [--port <n>] [--in-memory] [--data-dir <dir>] [--state-file <file>]

  --stage <stage>      stage to serve, i.e. the stack platform-<stage> (default ${DEFAULT_STAGE})
  --port <n>           port on 127.0.0.1 for everything; 0 picks a free one (default ${DEFAULT_PORT})
  --in-memory          keep DynamoDB data in memory (lost on exit)
  --data-dir <dir>     where DynamoDB data persists (default .local/data)
  --state-file <file>  where to write the connection details (default .local/stack.json); give each
                       stage its own file to run several at once, and check one with
                       npm run smoke -- --state-file <file>

Environment: LOCAL_CLIENT_ID / LOCAL_CLIENT_SECRET fix the client's credentials (default: generated).`;

export interface StartArguments {
  readonly stage: string;
  readonly port: number;
  readonly inMemory: boolean;
  readonly dataDir: string | undefined;
  readonly stateFile: string | undefined;
  readonly help: boolean;
}

export class UsageError extends Error {}

/** Parses the command line (`--flag value` or `--flag=value`). */
export function parseArguments(argv: readonly string[]): StartArguments {
  let stage = DEFAULT_STAGE;
  let port = DEFAULT_PORT;
  let inMemory = false;
  let dataDir: string | undefined;
  let stateFile: string | undefined;
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
  return { stage, port, inMemory, dataDir, stateFile, help };
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The ready message: the connection details and curl commands to paste. */
export function readyMessage(config: LocalStackConfig, stateFile: string, seconds: number): string {
  const token =
    `TOKEN=$(curl -s -u ${quote(`${config.clientId}:${config.clientSecret}`)} -d grant_type=client_credentials ` +
    `${quote(config.tokenUrl)} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`;
  return [
    `Local stack "${config.stage}" ready in ${seconds.toFixed(2)} s; details in ${stateFile}:`,
    JSON.stringify(config, null, 2),
    '',
    'Get a token (all scopes), then call the API:',
    `  ${token}`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${quote(`${config.apiUrl}/categories`)}`,
    '',
    'Only some scopes: add -d scope=access_points/read to the token request. Ctrl+C stops.',
  ].join('\n');
}

async function main(): Promise<void> {
  let args: StartArguments;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const stateFile =
    args.stateFile === undefined ? path.join(PROJECT_ROOT, '.local', 'stack.json') : path.resolve(args.stateFile);
  const stack = await startLocalStack({
    stage: args.stage,
    port: args.port,
    inMemory: args.inMemory,
    dataDir: args.dataDir,
    stateFile,
    log: (line) => console.log(line),
    onFunctionLog: (name, line) => console.log(`[${name}] ${line}`),
  });
  console.log(readyMessage(stack.config, path.relative(process.cwd(), stateFile) || stateFile, process.uptime()));

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the local stack…`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof LocalStackError ? `Cannot start the local stack: ${error.message}` : error);
    process.exit(1);
  });
}
