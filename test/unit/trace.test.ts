import { describe, expect, it } from 'vitest';
import { renderTrace, type TraceEvent } from '../../src/reporters/trace.js';
import { validateTrace } from '../helpers/trace-format.js';
import { makeFinding, makeInvocation, makeReport, makeResource, makeTargetReport, makeTimeline } from '../helpers/factories.js';

const timeline = makeTimeline({ atMs: 150, kind: 'response', invocation: 2 });

describe('the Chrome trace', () => {
  const timer = makeResource({ asyncId: 9, kind: 'timer', summary: 'setTimeout 200 ms → flush', createdIn: 'invocation', invocation: 1 });
  const report = makeReport({
    results: [
      makeTargetReport({
        timeline,
        invocations: [makeInvocation({ index: 1, lingering: [timer], environment: 1 }), makeInvocation({ index: 2, lingering: [], environment: 1 })],
        findings: [
          makeFinding({ code: 'PENDING_AT_FREEZE', severity: 'warning', invocation: 1, resources: [timer] }),
          makeFinding({ code: 'RAN_AFTER_THAW', severity: 'warning', invocation: 2, resources: [timer] }),
        ],
      }),
    ],
  });
  const trace = JSON.parse(renderTrace(report));
  const events = trace.traceEvents as TraceEvent[];

  it('is valid trace-event JSON', () => {
    expect(validateTrace(trace)).toEqual([]);
  });

  it('shows Init, each invocation and the freeze gap on the lifecycle track', () => {
    const spans = events.filter((e) => e.ph === 'X' && e.cat === 'lifecycle').map((e) => [e.name, e.ts, e.dur]);
    expect(spans).toEqual([
      ['Init', 0, 40_000],
      ['invocation #1', 41_000, 4_000],
      ['frozen', 46_000, 101_000],
      ['invocation #2', 147_000, 3_000],
    ]);
  });

  it('draws a timer that crossed the freeze from its invocation to the thaw where it ran', () => {
    const span = events.find((e) => e.cat === 'resource' && e.ph === 'X')!;
    expect(span.name).toBe('timer: setTimeout 200 ms → flush');
    expect(span.ts).toBe(41_000);
    expect(span.ts + span.dur!).toBe(147_000);
    const ran = events.find((e) => e.name === 'callback ran after the thaw')!;
    expect([ran.ts, ran.tid]).toEqual([147_000, span.tid]);
    const findings = events.filter((e) => e.cat === 'finding').map((e) => [e.name, e.ts]);
    expect(findings).toEqual([
      ['PENDING_AT_FREEZE', 45_000],
      ['RAN_AFTER_THAW', 150_000],
    ]);
  });
});
