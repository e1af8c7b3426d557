/**
 * Parent → child commands: newline-delimited JSON on a private pipe (fd 3). Not Node's IPC
 * channel: a handler on Lambda has no process.send, and must not be able to drop our
 * listener with process.removeAllListeners('message') or close it with process.disconnect().
 * The pipe is unref'd while an invocation runs, so it never keeps the handler's loop alive.
 */
import { Socket } from 'node:net';
import { createLineFraming } from '../runner/line-framing.js';
import { COMMAND_FD, MAX_REPORT_MESSAGE_BYTES, type ParentMessage } from '../runner/protocol.js';
import { exitUnobserved } from './report-channel.js';

// Taken before any user code runs: a handler may replace JSON.parse.
const parse = JSON.parse;

export interface CommandChannel {
  /** The socket object, so that the tracker can leave it out of what keeps the loop alive. */
  readonly handle: object;
  /** Keep the process waiting for the next command (the runtime's long-poll on /next). */
  ref(): void;
  /** Let the loop drain while the handler runs. */
  unref(): void;
}

export function openCommandChannel(onMessage: (message: ParentMessage) => void): CommandChannel {
  const socket = new Socket({ fd: COMMAND_FD, readable: true, writable: false });
  // Linear in the size of an event (up to Lambda's 6 MB), however the pipe splits it.
  const framing = createLineFraming({
    maxLineBytes: MAX_REPORT_MESSAGE_BYTES,
    onLine: (line) => {
      let message: ParentMessage;
      try {
        message = parse(line.toString('utf8')) as ParentMessage;
      } catch {
        return;
      }
      onMessage(message);
    },
    // The parent never sends that much (events are limited to 6 MB): the channel is broken.
    onOverflow: () => exitUnobserved(),
  });
  socket.on('data', (chunk: Buffer) => framing.push(chunk));
  // The parent went away: nobody will ever invoke us again, and nothing may outlive the CLI.
  // No 'exit' listeners: there is nobody to report to, and a handler's listener could spin.
  socket.on('end', () => exitUnobserved(0));
  socket.on('error', () => exitUnobserved(0));
  socket.unref();
  return { handle: socket, ref: () => void socket.ref(), unref: () => void socket.unref() };
}
