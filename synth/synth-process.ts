/**
 * Synthesis in a long-lived child process (synth-worker.ts), for `npm start -- --watch`: cdktf, the AWS provider
 * and esbuild load once, so each synthesis after an edit costs only the app itself. The server of the local stack
 * keeps answering meanwhile. The child starts again on the next request if it exits.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { SynthError } from './errors';
import type { SynthReply, SynthRequest } from './synth-worker';

const WORKER = path.join(__dirname, 'synth-worker.ts');

export class SynthProcess {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  /** Starts the child now, so that it has loaded cdktf by the first request. */
  warmUp(): void {
    this.ensureChild();
  }

  /**
   * Synthesizes every stack, or only those named in `stacks`, into `outdir` (emptied first); rejects with the
   * synthesis's error message.
   */
  synthesize(outdir: string, stacks?: readonly string[]): Promise<void> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: SynthRequest = { id, outdir, stacks };
      child.send(request);
    });
  }

  /** Stops the child; pending syntheses fail. Safe to call twice. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(WORKER, [], {
      execArgv: ['--require', require.resolve('tsx/cjs')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (reply: SynthReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiting?.resolve();
      else waiting?.reject(new SynthError(reply.message));
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(new SynthError(`The synthesis process exited (${signal ?? `code ${code}`}).`));
      }
    });
    this.child = child;
    return child;
  }
}
