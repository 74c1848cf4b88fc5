/**
 * `npm start`: synthesizes the served stage's stack into `.local/synth`, then serves it on 127.0.0.1 and writes
 * `.local/stack.json`.
 *
 *   tsx scripts/start.ts [--stage dev] [--port 3100] [--in-memory] [--data-dir .local/data] [--state-file <file>]
 *                        [--watch]
 *
 * With `--watch`, every save under the app's sources is synthesized again (in a long-lived child process) and
 * served on the same port (local/watch.ts).
 */
import * as path from 'node:path';
import { DEFAULT_STATE_FILE, DEFAULT_SYNTH_DIR, WATCH_SYNTH_ROOT } from '../local/environment';
import { LocalStackError } from '../local/errors';
import { readyMessage } from '../local/ready-message';
import { startLocalStack } from '../local/stack';
import { parseArguments, USAGE, type StartArguments } from '../local/start-arguments';
import { watchStack, type StackWatcher } from '../local/watch';
import { SynthProcess } from '../synth/synth-process';
import { SYNTH_INPUTS, synthesize } from '../synth/synthesize';
import { platformStackName } from '../common/stack-names';
import { STAGES } from '../stacks/config';

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
  if (!(STAGES as readonly string[]).includes(args.stage)) {
    console.error(
      `The app has no stage "${args.stage}": pick one of ${STAGES.join(', ')} (stacks/config.ts).\n\n${USAGE}`,
    );
    process.exit(2);
  }
  const stateFile = args.stateFile === undefined ? DEFAULT_STATE_FILE : path.resolve(args.stateFile);
  // Started first, so that it loads cdktf while the stack starts.
  const synthProcess = args.watch ? new SynthProcess() : undefined;
  synthProcess?.warmUp();
  // The served stage's stack only (every stage's configuration is still read and checked).
  synthesize(DEFAULT_SYNTH_DIR, process.env, [platformStackName(args.stage)]);
  const stack = await startLocalStack({
    synthDir: DEFAULT_SYNTH_DIR,
    stage: args.stage,
    port: args.port,
    inMemory: args.inMemory,
    dataDir: args.dataDir,
    stateFile,
    log: (line) => console.log(line),
    onFunctionLog: (name, line) => console.log(`[${name}] ${line}`),
  });
  const shownStateFile = path.relative(process.cwd(), stateFile) || stateFile;
  console.log(readyMessage(stack.config, stack.routes, shownStateFile, process.uptime()));
  let watcher: StackWatcher | undefined;
  if (synthProcess) {
    watcher = watchStack({
      stack,
      // The served stack only: the others are not read.
      synthesize: (outdir) => synthProcess.synthesize(outdir, [stack.stackName]),
      folders: SYNTH_INPUTS,
      workDir: path.join(WATCH_SYNTH_ROOT, String(process.pid)),
      log: (line) => console.log(line),
    });
    const folders = SYNTH_INPUTS.map((folder) => `${path.relative(process.cwd(), folder) || folder}/`);
    console.log(`Watching ${folders.join(', ')}: each save is synthesized and served here.`);
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the local stack…`);
    Promise.resolve(watcher?.close())
      .then(() => synthProcess?.stop())
      .then(() => stack.stop())
      .then(
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

main().catch((error: unknown) => {
  console.error(error instanceof LocalStackError ? `Cannot start the local stack: ${error.message}` : error);
  process.exit(1);
});
