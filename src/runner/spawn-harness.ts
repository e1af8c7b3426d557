/**
 * Starts one harness child and gives the parent a mailbox over it. The child runs in its
 * own process group (detached) so a freeze or a kill reaches everything it started. The
 * handler's stdout/stderr are captured, bounded, and never mixed with the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { createOutputCapture, type OutputCapture } from './output-capture.js';

export type Delivery = ChildMessage | { type: 'process-exit'; code: number | null; signal: NodeJS.Signals | null };

export interface HarnessProcess {
  readonly pid: number;
  readonly output: OutputCapture;
  /** The next message, or null once `untilMs` (performance.now() time) has passed. */
  receive(untilMs: number): Promise<Delivery | null>;
  send(message: ParentMessage): void;
  /** SIGSTOP / SIGCONT to the whole process group: Lambda's freeze and thaw. */
  freeze(): void;
  thaw(): void;
  /** SIGKILL to the group; resolves when the child has exited. */
  kill(): Promise<void>;
  readonly exited: boolean;
}

export interface SpawnOptions {
  execPath: string;
  nodeArgs: string[];
  harnessFile: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  output: OutputCapture;
}

/** Every harness process group still alive, so a CLI interrupted by a signal can end them. */
const liveChildren = new Set<ChildProcess>();

export function killAllHarnesses(): void {
  for (const child of liveChildren) signalGroup(child, 'SIGKILL');
}

export function spawnHarness(options: SpawnOptions): HarnessProcess {
  const child = spawn(options.execPath, [...options.nodeArgs, options.harnessFile], {
    cwd: options.cwd,
    env: options.env,
    // fd 3: commands to the child, fd 4: reports from it (see protocol.ts).
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const commands = child.stdio[3] as Writable;
  commands.on('error', () => {
    // The child is gone; its exit says why.
  });
  liveChildren.add(child);
  const queue: Delivery[] = [];
  let wake: (() => void) | null = null;
  const deliver = (message: Delivery): void => {
    queue.push(message);
    wake?.();
  };
  const output = options.output;
  child.stdout!.on('data', (chunk: Buffer) => output.append('stdout', chunk));
  child.stderr!.on('data', (chunk: Buffer) => output.append('stderr', chunk));
  const reportStream = child.stdio[4] as Readable;
  const reportEnded = readReports(reportStream, deliver);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      liveChildren.delete(child);
      // Messages written just before the exit are still in the pipe: deliver them first.
      void Promise.race([reportEnded, sleep(200)]).then(() => {
        deliver({ type: 'process-exit', code, signal });
        resolve();
      });
    });
  });
  child.on('error', () => {
    // Reported through 'exit'; spawn failures of process.execPath are not expected.
  });

  return {
    pid: child.pid ?? -1,
    output,
    get exited() {
      return exited;
    },
    async receive(untilMs) {
      for (;;) {
        const next = queue.shift();
        if (next) return next;
        const wait = untilMs - performance.now();
        if (wait <= 0) return null;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    },
    send(message) {
      if (!exited && commands.writable) commands.write(JSON.stringify(message) + '\n');
    },
    freeze: () => signalGroup(child, 'SIGSTOP'),
    thaw: () => signalGroup(child, 'SIGCONT'),
    async kill() {
      signalGroup(child, 'SIGKILL');
      await exitPromise;
      child.stdout?.destroy();
      child.stderr?.destroy();
      reportStream.destroy();
      commands.destroy();
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function readReports(stream: Readable, deliver: (message: Delivery) => void): Promise<void> {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        deliver(JSON.parse(line) as ChildMessage);
      } catch {
        // Not ours: a handler wrote to fd 4. Ignore it rather than trust it.
      }
    }
  });
  return new Promise((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', resolve);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { createOutputCapture };
