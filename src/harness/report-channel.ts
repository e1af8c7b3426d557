/**
 * Child → parent messages: newline-delimited JSON written synchronously to fd 4, each line
 * framed with the token the parent gave us (protocol.ts). A synchronous write is in the pipe
 * before the next statement runs, so a message written right before process.exit(), a crash
 * or a SIGKILL still reaches the parent.
 */
import { fstatSync, writeSync } from 'node:fs';
import { COMMAND_FD, CHANNEL_LOST_EXIT_CODE, CHANNEL_LOST_FD, MAX_REPORT_MESSAGE_BYTES, REPORT_FD, frameReport, type ChildMessage } from '../runner/protocol.js';

// Taken before any user code runs: a handler may patch the globals.
const stringify = JSON.stringify;
const toBytes = Buffer.from.bind(Buffer);
const reallyExit = (process as unknown as { reallyExit: (code: number) => never }).reallyExit.bind(process);

let token = '';
/** dev:ino of fd 3 and fd 4 as the parent gave them, to notice a handler closing or reusing them. */
let identity = '';
let lost = false;
/**
 * dev:ino of fd 5, a pipe used for one message: when the handler closes or replaces fd 3 or
 * fd 4, the harness still says so there, and the parent tells that exit from a handler's own
 * exit with the same code. (fd 4 is a socket: it cannot be reopened through /proc.)
 */
let lostChannelIdentity = '';

/** Called once, before any user code loads. */
export function openReportChannel(reportToken: string): void {
  token = reportToken;
  identity = describeFds();
  lostChannelIdentity = describeFd(CHANNEL_LOST_FD);
}

export function sendToParent(message: ChildMessage): void {
  if (lost) return;
  // A handler that closed fd 4 and opened a file may have been given fd 4 again: check first.
  if (describeFds() !== identity) return loseChannel();
  // Only what the handler made can be this large (an error's message, a thrown string): cut
  // such values for the report rather than pass the parent's limit, which ends the process.
  // A long error is cut at once (writing it whole first would cost seconds for tens of MB).
  let bytes = toBytes(frameReport(token, stringify(message, hasLongError(message) ? cutLongValues : undefined)));
  if (bytes.length > MAX_REPORT_MESSAGE_BYTES) bytes = toBytes(frameReport(token, stringify(message, cutLongValues)));
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(REPORT_FD, bytes, offset);
    } catch (error) {
      // The pipe may be non-blocking: wait for the parent to drain it instead of dropping.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return loseChannel();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** Strings and arrays kept whole in a message that would pass MAX_REPORT_MESSAGE_BYTES. */
const KEPT_CHARACTERS = 1024 * 1024;
const KEPT_ENTRIES = 10_000;

function hasLongError(message: ChildMessage): boolean {
  const error = (message as { error?: { errorMessage?: unknown; trace?: unknown } }).error;
  if (!error) return false;
  const text = error.errorMessage;
  const trace = error.trace;
  return (typeof text === 'string' && text.length > KEPT_CHARACTERS) ||
    (Array.isArray(trace) && (trace.length > KEPT_ENTRIES || trace.some((line) => typeof line === 'string' && line.length > KEPT_CHARACTERS)));
}

function cutLongValues(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.length > KEPT_CHARACTERS) {
    return `${value.slice(0, KEPT_CHARACTERS)}… (${value.length} characters in all; cut by lambda-hang-check)`;
  }
  if (Array.isArray(value) && value.length > KEPT_ENTRIES) return [...value.slice(0, KEPT_ENTRIES), `… (${value.length} entries in all; cut by lambda-hang-check)`];
  return value;
}

/**
 * Ends the process without running 'exit' listeners (which would try to report, or could
 * spin): the parent gone, or our pipes closed by the handler. Unobserved, the handler must
 * not go on running; the parent recognises the exit code.
 */
export function exitUnobserved(code = CHANNEL_LOST_EXIT_CODE): never {
  lost = true;
  return reallyExit(code);
}

function loseChannel(): void {
  // Only on the pipe the parent gave us: not into a file the handler opened on fd 5.
  if (lostChannelIdentity !== 'closed' && describeFd(CHANNEL_LOST_FD) === lostChannelIdentity) {
    try {
      writeSync(CHANNEL_LOST_FD, toBytes(frameReport(token, stringify({ type: 'channel-lost' } satisfies ChildMessage))));
    } catch {
      // Gone meanwhile: the exit code alone then says less.
    }
  }
  exitUnobserved();
}

function describeFds(): string {
  return [COMMAND_FD, REPORT_FD].map(describeFd).join(',');
}

function describeFd(fd: number): string {
  try {
    const stat = fstatSync(fd);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return 'closed';
  }
}
