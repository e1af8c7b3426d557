/**
 * Child → parent messages: newline-delimited JSON written synchronously to fd 4, each line
 * framed with the token the parent gave us (protocol.ts). A synchronous write is in the pipe
 * before the next statement runs, so a message written right before process.exit(), a crash
 * or a SIGKILL still reaches the parent.
 */
import { fstatSync, writeSync } from 'node:fs';
import { COMMAND_FD, CHANNEL_LOST_EXIT_CODE, CHANNEL_LOST_FD, REPORT_FD, frameReport, type ChildMessage } from '../runner/protocol.js';

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
  const bytes = toBytes(frameReport(token, stringify(message)));
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
