import type { ChalkInstance } from 'chalk';
import type { TimelineEvent, TimelineEventKind } from '../types.js';
import type { ReporterContext } from './context.js';
import { toSingleLine } from './sanitize.js';

function paintKind(chalk: ChalkInstance, kind: TimelineEventKind, text: string): string {
  if (kind === 'deadline' || kind === 'error' || kind === 'exit') return chalk.red(text);
  if (kind === 'response') return chalk.green(text);
  if (kind === 'freeze' || kind === 'thaw') return chalk.dim(text);
  return text;
}

/** One line per lifecycle event, times right-aligned: `  3012 ms  deadline #1 — Task timed out …`. */
export function renderTimeline(events: readonly TimelineEvent[], ctx: ReporterContext, indent: string): string[] {
  const { chalk } = ctx;
  const times = events.map((event) => `${Math.round(event.atMs)} ms`);
  const width = Math.max(0, ...times.map((time) => time.length));
  return events.map((event, i) => {
    const label = event.invocation === null ? event.kind : `${event.kind} #${event.invocation}`;
    const detail = event.detail ? ` — ${toSingleLine(event.detail)}` : '';
    return `${indent}${chalk.dim(times[i]!.padStart(width))}  ${paintKind(chalk, event.kind, label)}${detail}`;
  });
}
