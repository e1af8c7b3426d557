/**
 * The lifecycle as Chrome trace-event JSON (the format Perfetto and chrome://tracing open):
 * one process per target, a track for the lifecycle (Init, invocations, freezes), one for the
 * findings, and one per resource that outlived a response or held up an invocation, so a
 * timer crossing a freeze can be seen. Pure: report in, JSON text out.
 * Format: https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
 */
import type { CheckReport, Finding, Resource, TargetReport, TimelineEvent } from '../types.js';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: 'X' | 'i' | 'M';
  /** Microseconds. */
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

const LIFECYCLE_TID = 1;
const FINDINGS_TID = 2;
const FIRST_RESOURCE_TID = 10;
const CLOSING = new Set(['response', 'error', 'deadline', 'exit']);

export function renderTrace(report: CheckReport): string {
  const traceEvents = report.results.flatMap((result, index) => targetEvents(result, index + 1));
  return JSON.stringify({ traceEvents, displayTimeUnit: 'ms' }, null, 1) + '\n';
}

function targetEvents(result: TargetReport, pid: number): TraceEvent[] {
  const events: TraceEvent[] = [
    metadata(pid, 0, 'process_name', `${result.target} (${result.runtime})`),
    metadata(pid, LIFECYCLE_TID, 'thread_name', 'lifecycle'),
    metadata(pid, FINDINGS_TID, 'thread_name', 'findings'),
  ];
  const timeline = result.timeline;
  const us = (ms: number): number => Math.round(ms * 1000);
  const span = (name: string, from: TimelineEvent, to: TimelineEvent | undefined, args?: Record<string, unknown>): void => {
    const end = to ?? timeline.at(-1) ?? from;
    events.push({ name, cat: 'lifecycle', ph: 'X', ts: us(from.atMs), dur: Math.max(0, us(end.atMs - from.atMs)), pid, tid: LIFECYCLE_TID, ...(args ? { args } : {}) });
  };
  timeline.forEach((event, i) => {
    const later = timeline.slice(i + 1);
    if (event.kind === 'init-start') span(event.detail ? `Init (${event.detail})` : 'Init', event, later.find((e) => e.kind === 'init-end'));
    if (event.kind === 'invoke') {
      const end = later.find((e) => e.invocation === event.invocation && CLOSING.has(e.kind));
      span(`invocation #${event.invocation}`, event, end, end ? { outcome: end.kind, ...(end.detail ? { detail: end.detail } : {}) } : undefined);
    }
    if (event.kind === 'freeze') span('frozen', event, later.find((e) => e.kind === 'thaw'));
  });
  for (const finding of result.findings) {
    const at = anchorTime(timeline, finding);
    events.push({ name: finding.code, cat: 'finding', ph: 'i', s: 't', ts: us(at), pid, tid: FINDINGS_TID, args: { severity: finding.severity, message: finding.message } });
  }
  resourceLifetimes(result).forEach((life, n) => {
    const tid = FIRST_RESOURCE_TID + n;
    for (const ranAtMs of life.ranAtMs) {
      events.push({ name: 'callback ran after the thaw', cat: 'resource', ph: 'i', s: 't', ts: us(ranAtMs), pid, tid });
    }
    events.push(metadata(pid, tid, 'thread_name', `${life.resource.kind} ${life.resource.summary}`.slice(0, 80)));
    events.push({
      name: `${life.resource.kind}: ${life.resource.summary}`,
      cat: 'resource',
      ph: 'X',
      ts: us(life.fromMs),
      dur: Math.max(0, us(life.toMs - life.fromMs)),
      pid,
      tid,
      args: {
        type: life.resource.type,
        createdIn: life.resource.createdIn === 'init' ? 'init' : `invocation ${life.resource.invocation}`,
        location: life.resource.location ? `${life.resource.location.file}:${life.resource.location.line}` : null,
        ...(life.resource.via ? { via: life.resource.via } : {}),
      },
    });
  });
  return events;
}

function metadata(pid: number, tid: number, name: 'process_name' | 'thread_name', value: string): TraceEvent {
  return { name, cat: '__metadata', ph: 'M', ts: 0, pid, tid, args: { name: value } };
}

/** Where a finding happened: the end of its invocation, or the end of Init. */
function anchorTime(timeline: TimelineEvent[], finding: Finding): number {
  const match = (event: TimelineEvent) => (finding.invocation === null ? event.kind === 'init-end' : event.invocation === finding.invocation && CLOSING.has(event.kind));
  return timeline.filter(match).at(-1)?.atMs ?? timeline[0]?.atMs ?? 0;
}

interface Lifetime {
  resource: Resource;
  fromMs: number;
  toMs: number;
  /** Thaws after which one of its callbacks was observed running (RAN_AFTER_THAW). */
  ranAtMs: number[];
}

/**
 * A resource lives from the start of the phase that created it (Init, or its invocation's
 * hand-out) to the end of the last invocation in which it was still seen alive: the report
 * holds snapshots at each response or deadline, not every creation and close.
 */
function resourceLifetimes(result: TargetReport): Lifetime[] {
  const timeline = result.timeline;
  const initStarts = timeline.filter((event) => event.kind === 'init-start');
  const lives = new Map<string, Lifetime>();
  for (const invocation of result.invocations) {
    const closing = timeline.find((event) => event.invocation === invocation.index && CLOSING.has(event.kind));
    if (!closing) continue;
    for (const resource of invocation.lingering) {
      const key = `${invocation.environment}:${resource.asyncId}:${resource.summary}`;
      const known = lives.get(key);
      if (known) {
        known.toMs = closing.atMs;
        continue;
      }
      const born =
        resource.createdIn === 'init'
          ? initStarts[invocation.environment - 1]
          : timeline.find((event) => event.kind === 'invoke' && event.invocation === resource.invocation);
      lives.set(key, { resource, fromMs: born?.atMs ?? closing.atMs, toMs: closing.atMs, ranAtMs: [] });
    }
  }
  // A callback seen running after a thaw means the resource lived across that freeze.
  for (const finding of result.findings) {
    if (finding.code !== 'RAN_AFTER_THAW' || finding.invocation === null) continue;
    const environment = result.invocations.find((invocation) => invocation.index === finding.invocation)?.environment;
    const thaw = timeline.find((event) => event.kind === 'thaw' && event.invocation === finding.invocation);
    if (!thaw || environment === undefined) continue;
    for (const resource of finding.resources) {
      const life = lives.get(`${environment}:${resource.asyncId}:${resource.summary}`);
      if (!life) continue;
      life.toMs = Math.max(life.toMs, thaw.atMs);
      life.ranAtMs.push(thaw.atMs);
    }
  }
  return [...lives.values()];
}
