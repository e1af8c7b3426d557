/**
 * The progress line on stderr, only on a TTY: N of M done, which targets are running, and a
 * countdown to the latest moment each can still be waiting for a deadline. One line, redrawn
 * in place (`\r` + erase line), so it never mixes with the report and disappears before it.
 * Off the TTY nothing is written: CI logs and `2> file` stay free of carriage returns.
 */
import type { ProgressEvent } from './options.js';
import { toSingleLine } from './reporters/sanitize.js';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

export interface Progress {
  onProgress(event: ProgressEvent): void;
  /** Erases the line and stops redrawing; call before writing anything else to the stream. */
  stop(): void;
}

const REDRAW_MS = 200;
const ERASE_LINE = '\r\u001b[2K';

/** A progress line for `stream`, or null when it is not a TTY. */
export function createProgress(stream: ProgressStream, now: () => number = () => performance.now()): Progress | null {
  if (!stream.isTTY) return null;
  const running = new Map<number, { target: string; startedAt: number; budgetMs: number }>();
  let done = 0;
  let total = 0;
  let timer: NodeJS.Timeout | null = null;
  let shown = false;

  const draw = (): void => {
    const line = renderProgressLine(done, total, [...running.values()].map((entry) => ({
      target: entry.target,
      leftMs: entry.budgetMs - (now() - entry.startedAt),
    })));
    // A pseudo-terminal without a size reports 0 columns.
    const width = Math.max(20, (stream.columns || 80) - 1);
    // Longer than the terminal, the line would wrap and `\r` would no longer reach its start.
    stream.write(`${ERASE_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    shown = true;
  };

  return {
    onProgress(event) {
      total = event.total;
      if (event.type === 'target-start') running.set(event.index, { target: event.target, startedAt: now(), budgetMs: event.budgetMs });
      else {
        running.delete(event.index);
        done++;
      }
      // The countdown moves on its own; unref'd so the line never keeps the CLI alive.
      timer ??= setInterval(draw, REDRAW_MS).unref();
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (shown) stream.write(ERASE_LINE);
      shown = false;
    },
  };
}

/** `3 of 20 done · a.js#handler 2.4 s left, HelloFunction (src/app.handler) at deadline`. */
export function renderProgressLine(done: number, total: number, running: { target: string; leftMs: number }[]): string {
  const parts = running.map(({ target, leftMs }) => `${toSingleLine(target)} ${leftMs > 0 ? `${(leftMs / 1000).toFixed(1)} s left` : 'at deadline'}`);
  return `${done} of ${total} done${parts.length > 0 ? ` · ${parts.join(', ')}` : ''}`;
}
