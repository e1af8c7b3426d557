import type { TargetReport } from '../types.js';
import type { ReporterContext } from './context.js';
import { sanitizeForTerminal } from './sanitize.js';
import { formatCount } from './text-format.js';

/** Enough to see the last log lines before a hang; the full capture is in `--format json`. */
const TAIL_LINES = 20;
/** A minified JSON log line can be megabytes long. */
const MAX_LINE_CHARS = 300;

function clipLine(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  let clipped = line.slice(0, MAX_LINE_CHARS);
  // Do not leave half a surrogate pair behind.
  if (/[\ud800-\udbff]$/.test(clipped)) clipped = clipped.slice(0, -1);
  return `${clipped}…`;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The tail of the handler's stdout and stderr, sanitised; empty when it printed nothing. */
export function renderCapturedOutput(output: TargetReport['output'], ctx: ReporterContext, indent: string): string[] {
  const { chalk } = ctx;
  const lines: string[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const all = splitLines(output[stream]);
    if (all.length === 0) continue;
    const tail = all.slice(-TAIL_LINES);
    const shown = tail.length < all.length ? ` (truncated: last ${tail.length} of ${formatCount(all.length, 'line')})` : '';
    lines.push(`${indent}${chalk.bold(stream)}${chalk.dim(shown)}`);
    for (const line of tail) lines.push(`${indent}${chalk.dim('│')} ${sanitizeForTerminal(clipLine(line))}`);
  }
  if (lines.length > 0 && output.truncated) {
    lines.push(`${indent}${chalk.dim('(truncated: output beyond the capture limit was not kept)')}`);
  }
  return lines;
}
