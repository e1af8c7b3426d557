/**
 * Newline framing of the harness's pipes (fd 3 and fd 4), linear and bounded: each byte is
 * scanned once (a chunk is searched from where the previous line ended, never the whole
 * buffer again), a line is joined once when its newline arrives, and no line may exceed
 * `maxLineBytes`. A longer one is not kept, and not dropped in silence either: `onOverflow`
 * is called as soon as it passes the limit, with the bytes seen so far; the rest of that line
 * is skipped, and reading goes on after its newline.
 */

const NEWLINE = 0x0a;

export interface LineFraming {
  push(chunk: Buffer): void;
}

export interface LineFramingOptions {
  maxLineBytes: number;
  onLine(line: Buffer): void;
  /** Called once per oversized line. */
  onOverflow(bytesSoFar: number): void;
}

export function createLineFraming({ maxLineBytes, onLine, onOverflow }: LineFramingOptions): LineFraming {
  let pieces: Buffer[] = [];
  let pendingBytes = 0;
  /** Inside a line that passed the limit: skip to its newline. */
  let skipping = false;
  return {
    push(chunk) {
      let from = 0;
      for (;;) {
        const newline = chunk.indexOf(NEWLINE, from);
        if (newline === -1) break;
        const piece = chunk.subarray(from, newline);
        from = newline + 1;
        if (skipping) {
          skipping = false;
          continue;
        }
        if (pendingBytes + piece.length > maxLineBytes) {
          reset();
          onOverflow(pendingBytes + piece.length);
          continue;
        }
        const line = pieces.length === 0 ? piece : Buffer.concat([...pieces, piece]);
        reset();
        onLine(line);
      }
      if (from >= chunk.length || skipping) return;
      const rest = chunk.subarray(from);
      if (pendingBytes + rest.length > maxLineBytes) {
        const seen = pendingBytes + rest.length;
        reset();
        skipping = true;
        onOverflow(seen);
        return;
      }
      pieces.push(rest);
      pendingBytes += rest.length;
    },
  };

  function reset(): void {
    pieces = [];
    pendingBytes = 0;
  }
}
