/**
 * The one way the CLI reads a file that a user, a template or a handler names: event files,
 * templates, --env-file, `${file(…)}` in a serverless.yml, handler sources and the source maps
 * their `//# sourceMappingURL=` (or a stack frame, or `//# sourceURL=` in eval code) points to.
 * A name can point anywhere: `/dev/zero` never ends, `/dev/stdin` or a FIFO blocks on open and
 * on read, a multi-gigabyte file fills memory. So only a regular file is read, and only up to
 * a cap:
 * - the open is non-blocking (O_NONBLOCK), so a FIFO with no writer cannot block it;
 * - fstat on the descriptor (not stat on the name, which could be swapped meanwhile) must say
 *   "regular file" and a size within the cap;
 * - the read stops one byte past the cap, in case the file grew since the fstat.
 * Synchronous on purpose: a bounded read of a regular file takes milliseconds, so a SIGINT or
 * SIGTERM that arrives meanwhile is handled right after it (docs/node-internals.md).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type RegularFileRead = { ok: true; text: string } | { ok: false; reason: string };

/** Caps, in bytes, by what is read (README, "Limits"). */
export const READ_LIMITS = {
  /** Lambda refuses a synchronous invocation's request payload over 6 MB. */
  event: 6 * 1024 * 1024,
  template: 16 * 1024 * 1024,
  envFile: 1024 * 1024,
  /** Handler sources and source maps: bundles and their maps can be tens of megabytes. */
  source: 64 * 1024 * 1024,
} as const;

const CHUNK = 64 * 1024;

/** The file's text (UTF-8), or why it was not read: not a regular file, too large, or the errno code. */
export function readRegularFile(file: string | URL, maxBytes: number): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  try {
    const stat = fstatSync(fd);
    // EISDIR, the code a read of a directory gives: the message users already know.
    if (stat.isDirectory()) return { ok: false, reason: 'EISDIR' };
    if (!stat.isFile()) return { ok: false, reason: `not a regular file (${describeKind(stat)})` };
    if (stat.size > maxBytes) return { ok: false, reason: tooLarge(maxBytes) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const count = readSync(fd, chunk, 0, chunk.length, null);
      if (count === 0) break;
      chunks.push(chunk.subarray(0, count));
      total += count;
      if (total > maxBytes) return { ok: false, reason: tooLarge(maxBytes) };
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(maxBytes: number): string {
  const megabytes = maxBytes / (1024 * 1024);
  return `larger than ${Number.isInteger(megabytes) ? `${megabytes} MB` : `${maxBytes} bytes`}`;
}

function describeKind(stat: import('node:fs').Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
