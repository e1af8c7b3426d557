/**
 * Child → parent messages: newline-delimited JSON written synchronously to fd 4. A
 * synchronous write is in the pipe before the next statement runs, so a message written
 * right before process.exit(), a crash or a SIGKILL still reaches the parent.
 */
import { writeSync } from 'node:fs';
import { REPORT_FD, type ChildMessage } from '../runner/protocol.js';

// Taken before any user code runs: a handler may patch the globals.
const stringify = JSON.stringify;
const toBytes = Buffer.from.bind(Buffer);

export function sendToParent(message: ChildMessage): void {
  const bytes = toBytes(stringify(message) + '\n');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(REPORT_FD, bytes, offset);
    } catch (error) {
      // The pipe may be non-blocking: wait for the parent to drain it instead of dropping.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
