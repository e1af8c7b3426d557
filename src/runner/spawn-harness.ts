/**
 * Starts one harness child and gives the parent a mailbox over it. The child runs in its
 * own session and process group (detached), so a freeze or a kill reaches everything it
 * started in that group; what left the group is found through process-tree.ts. The
 * handler's stdout/stderr are captured, bounded, and never mixed with the report.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { toJsonLine } from './json-line.js';
import { createLineFraming } from './line-framing.js';
import { MAX_REPORT_MESSAGE_BYTES, TOKEN_VARIABLE, parseReportLine, type ChildMessage, type ParentMessage } from './protocol.js';
import type { OutputCapture } from './output-capture.js';
import { RUN_ID_VARIABLE, killStartedProcesses, listStartedProcesses, signalProcess, type ProcessEntry } from './process-tree.js';
import { registerHarness, unregisterHarness } from './watchdog.js';

export type Delivery =
  | ChildMessage
  | {
      type: 'process-exit';
      code: number | null;
      signal: NodeJS.Signals | null;
      /** A line on fd 4 passed MAX_REPORT_MESSAGE_BYTES (this many bytes seen): the parent ended the process. */
      reportOverflowBytes?: number;
    };

export interface HarnessProcess {
  readonly pid: number;
  readonly output: OutputCapture;
  /** The next message, or null once `untilMs` (performance.now() time) has passed. */
  receive(untilMs: number): Promise<Delivery | null>;
  send(message: ParentMessage): void;
  /** SIGSTOP / SIGCONT to the whole process group and to what the handler started outside it: Lambda's freeze and thaw. */
  freeze(): void;
  thaw(): void;
  /** SIGKILL to every process the handler started, then to the group; resolves when the child has exited. */
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

/** Every harness still alive, so a CLI that exits or is interrupted can end them and theirs. */
const liveHarnesses = new Set<{ terminate(): void }>();

/** Synchronously kills every live harness and every process each one started. */
export function killAllHarnesses(): void {
  for (const harness of liveHarnesses) harness.terminate();
}

let exitHookInstalled = false;

export function spawnHarness(options: SpawnOptions): HarnessProcess {
  if (!exitHookInstalled) {
    // Whatever ends the CLI (a bug, process.exit in an embedding program), no handler process outlives it.
    process.once('exit', killAllHarnesses);
    exitHookInstalled = true;
  }
  // The run id is inherited by everything the handler starts (process-tree.ts); the token
  // marks our messages on fd 4 so that what a handler writes there is never taken for one.
  const runId = randomBytes(12).toString('hex');
  const token = randomBytes(12).toString('hex');
  const child = spawn(options.execPath, [...options.nodeArgs, options.harnessFile], {
    cwd: options.cwd,
    env: { ...options.env, [RUN_ID_VARIABLE]: runId, [TOKEN_VARIABLE]: token },
    // fd 3: commands to the child, fd 4: reports from it, fd 5: its one 'channel-lost' message (see protocol.ts).
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid ?? -1;
  const commands = child.stdio[3] as Writable;
  commands.on('error', () => {
    // The child is gone; its exit says why.
  });
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
  const lostChannelStream = (child.stdio as unknown as Readable[])[5]!;
  let reportOverflowBytes: number | undefined;
  const onOverflow = (bytes: number): void => {
    // Nothing the harness sends comes near the limit (protocol.ts): what is on the pipe can no
    // longer be trusted to follow the protocol, so the environment ends here, and says why.
    if (reportOverflowBytes !== undefined) return;
    reportOverflowBytes = bytes;
    terminate();
  };
  const reportEnded = Promise.all([readReports(reportStream, token, deliver, onOverflow), readReports(lostChannelStream, token, deliver, onOverflow)]);
  let exited = false;
  let frozen: ProcessEntry[] = [];
  let terminated = false;
  // Once only: after the kill the harness's pid is no longer ours to signal.
  const terminate = (): void => {
    liveHarnesses.delete(handle);
    if (pid <= 0 || terminated) return;
    terminated = true;
    killStartedProcesses(pid, runId);
    unregisterHarness(pid);
  };
  const streamEnded = (stream: Readable | null): Promise<void> =>
    stream ? new Promise((resolve) => ['end', 'close', 'error'].forEach((event) => stream.once(event, () => resolve()))) : Promise.resolve();
  const outputEnded = Promise.all([streamEnded(child.stdout), streamEnded(child.stderr)]);
  /** Closes our ends of the pipes: whoever still holds the other end can no longer keep the CLI alive. */
  const releasePipes = (): void => {
    child.stdout?.destroy();
    child.stderr?.destroy();
    reportStream.destroy();
    lostChannelStream.destroy();
    commands.destroy();
  };
  if (pid > 0) registerHarness(pid, runId);
  const handle = { terminate };
  liveHarnesses.add(handle);
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      // However the harness ended (exit, crash, signal), Lambda resets the whole sandbox: what
      // it started dies now, not when the CLI exits. A child that shares its stdout/stderr
      // (stdio: 'inherit') would otherwise hold our pipes open, and the CLI would never end.
      terminate();
      // Messages written just before the exit are still in the pipe: deliver them first. The
      // wait is bounded (a process that escaped the kill may hold the pipe open).
      void Promise.race([reportEnded, bounded(EXIT_GRACE_MS)]).then(() => {
        deliver({ type: 'process-exit', code, signal, ...(reportOverflowBytes !== undefined ? { reportOverflowBytes } : {}) });
        resolve();
      });
      // The rest of the output is read until the pipes end, or for a bounded time: then our
      // ends are closed whatever holds the other ones.
      void Promise.race([Promise.all([reportEnded, outputEnded]), bounded(PIPE_RELEASE_MS)]).then(releasePipes);
    });
  });
  child.on('error', () => {
    // Reported through 'exit'; spawn failures of process.execPath are not expected.
  });

  return {
    pid,
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
      if (!exited && commands.writable) commands.write(toJsonLine(message));
    },
    freeze() {
      signalProcess(-pid, 'SIGSTOP');
      // Lambda freezes the whole sandbox: a detached child (own session) must stop too.
      frozen = listStartedProcesses(pid, runId).filter((entry) => entry.pgid !== pid);
      for (const entry of frozen) signalProcess(entry.pid, 'SIGSTOP');
    },
    thaw() {
      for (const entry of frozen) signalProcess(entry.pid, 'SIGCONT');
      frozen = [];
      signalProcess(-pid, 'SIGCONT');
    },
    async kill() {
      terminate();
      await exitPromise;
      releasePipes();
    },
  };
}

/** How long after the harness's exit its last messages may take to arrive. */
const EXIT_GRACE_MS = 200;
/** How long after the harness's exit its pipes may stay open before we close our ends. */
const PIPE_RELEASE_MS = 2000;

/** Resolves after `ms`; its timer never keeps the CLI alive on its own. */
function bounded(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function readReports(stream: Readable, token: string, deliver: (message: Delivery) => void, onOverflow: (bytes: number) => void): Promise<void> {
  // Bytes, split at '\n' (never inside a UTF-8 sequence), decoded one line at a time.
  const framing = createLineFraming({
    maxLineBytes: MAX_REPORT_MESSAGE_BYTES,
    onLine: (line) => {
      const message = parseReportLine(line.toString('utf8'), token);
      if (message) deliver(message);
    },
    onOverflow,
  });
  stream.on('data', (chunk: Buffer) => framing.push(chunk));
  return new Promise((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', resolve);
  });
}
