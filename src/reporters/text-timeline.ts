import type { ChalkInstance } from 'chalk';
import type { Finding, TimelineEvent, TimelineEventKind } from '../types.js';
import type { ReporterContext } from './context.js';
import { toSingleLine } from './sanitize.js';
import { paintSeverity } from './text-format.js';

function paintKind(chalk: ChalkInstance, kind: TimelineEventKind, text: string): string {
  if (kind === 'deadline' || kind === 'error' || kind === 'exit') return chalk.red(text);
  if (kind === 'response') return chalk.green(text);
  if (kind === 'freeze' || kind === 'thaw') return chalk.dim(text);
  return text;
}

/** Events that close an invocation: its findings are placed after the last of them. */
const CLOSING: ReadonlySet<TimelineEventKind> = new Set(['response', 'error', 'deadline', 'exit']);

/**
 * One line per lifecycle event, times right-aligned, with each finding's code placed where it
 * happened: after the event that closed its invocation (target-wide ones after Init).
 * `  3012 ms  deadline #1 — Task timed out …  ◀ TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP`.
 */
export function renderTimeline(events: readonly TimelineEvent[], ctx: ReporterContext, indent: string, findings: readonly Finding[] = []): string[] {
  const { chalk } = ctx;
  const times = events.map((event) => `${Math.round(event.atMs)} ms`);
  const width = Math.max(0, ...times.map((time) => time.length));
  const anchors = anchorFindings(events, findings);
  return events.map((event, i) => {
    const label = event.invocation === null ? event.kind : `${event.kind} #${event.invocation}`;
    const detail = event.detail ? ` — ${toSingleLine(event.detail)}` : '';
    const placed = (anchors.get(i) ?? []).map((finding) => paintSeverity(chalk, finding.severity, finding.code));
    const marks = placed.length > 0 ? `  ${chalk.dim('◀')} ${[...new Set(placed)].join(', ')}` : '';
    return `${indent}${chalk.dim(times[i]!.padStart(width))}  ${paintKind(chalk, event.kind, label)}${detail}${marks}`;
  });
}

/** Index of the event each finding belongs after. */
function anchorFindings(events: readonly TimelineEvent[], findings: readonly Finding[]): Map<number, Finding[]> {
  const anchors = new Map<number, Finding[]>();
  for (const finding of findings) {
    let at = -1;
    events.forEach((event, i) => {
      if (finding.invocation === null ? event.kind === 'init-end' && at === -1 : event.invocation === finding.invocation && CLOSING.has(event.kind)) at = i;
    });
    if (at === -1) continue;
    anchors.set(at, [...(anchors.get(at) ?? []), finding]);
  }
  return anchors;
}
