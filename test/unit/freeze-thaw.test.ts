import { describe, expect, it } from 'vitest';
import { pendingAtFreeze, ranAfterThaw, resourceGrowth } from '../../src/analysis/freeze-thaw.js';
import { toResource } from '../../src/analysis/frames.js';
import type { RawResource } from '../../src/runner/protocol.js';
import { makeInvocationRecord, makeRawFrame, makeRawResource } from '../helpers/factories.js';

const ctx = { cwd: '/app', sourceMaps: new Map(), isOwnFile: () => false };
const toResources = (raw: RawResource[]) => raw.map((r) => toResource(r, ctx));
const timer = (asyncId: number, origin: number, line = 4) =>
  makeRawResource({ asyncId, origin, type: 'Timeout', kind: 'timer', summary: 'setTimeout 200 ms → flush', frames: [makeRawFrame({ file: '/app/handler.js', line })] });

describe('RAN_AFTER_THAW is observed, never guessed', () => {
  const invocations = [
    makeInvocationRecord({ index: 1, outcome: 'response', startedAtNs: '1000' }),
    makeInvocationRecord({ index: 2, outcome: 'response', startedAtNs: '5000' }),
    makeInvocationRecord({ index: 3, outcome: 'response', startedAtNs: '9000' }),
  ];

  it('ignores callbacks that ran before the thaw (after the response, before the freeze)', () => {
    expect(ranAfterThaw(invocations, [{ atNs: '4999', resource: timer(7, 1) }], toResources)).toEqual([]);
  });

  it('charges a callback to the invocation whose thaw preceded it', () => {
    const drafts = ranAfterThaw(invocations, [{ atNs: '5000', resource: timer(7, 1) }, { atNs: '9500', resource: timer(8, 2, 9) }], toResources);
    expect(drafts.map((d) => [d.invocation, d.resources.map((r) => r.location?.line)])).toEqual([
      [2, [4]],
      [3, [9]],
    ]);
  });

  it('reports each resource once per invocation however often it ticked', () => {
    const ticks = ['5100', '5200', '5300'].map((atNs) => ({ atNs, resource: timer(7, 1) }));
    const [draft] = ranAfterThaw(invocations, ticks, toResources);
    expect(draft!.resources).toHaveLength(1);
  });
});

describe('PENDING_AT_FREEZE', () => {
  it('lists only what the invocation itself started, not what Init keeps on purpose', () => {
    const record = makeInvocationRecord({ index: 2, outcome: 'response', lingering: [timer(5, 0), timer(6, 2, 8)] });
    const draft = pendingAtFreeze(record, toResources)!;
    expect(draft.resources.map((r) => r.location?.line)).toEqual([8]);
  });

  it('says nothing when the runtime exited instead of freezing', () => {
    const record = makeInvocationRecord({ index: 1, outcome: 'error', completedBy: 'process-error', lingering: [timer(6, 1)] });
    expect(pendingAtFreeze(record, toResources)).toBeNull();
  });
});

describe('RESOURCE_GROWTH', () => {
  it('needs a strictly growing count at one site over three invocations of one environment', () => {
    const grow = (n: number) => Array.from({ length: n }, (_, i) => timer(100 + i, i + 1));
    const records = [1, 2, 3].map((index) => makeInvocationRecord({ index, outcome: 'response', environment: 1, lingering: grow(index) }));
    expect(resourceGrowth(records, toResources).map((d) => [d.code, d.invocation, d.resources.length])).toEqual([['RESOURCE_GROWTH', 3, 3]]);
    const flat = [1, 2, 3].map((index) => makeInvocationRecord({ index, outcome: 'response', environment: 1, lingering: grow(2) }));
    expect(resourceGrowth(flat, toResources)).toEqual([]);
    expect(resourceGrowth(records.slice(0, 2), toResources)).toEqual([]);
  });
});

describe('grouped resources count as many', () => {
  const grouped = (asyncId: number, origin: number, count: number) => ({ ...timer(asyncId, origin), count });

  it('RESOURCE_GROWTH compares the counts the harness grouped, not the number of groups', () => {
    // 60 timers per request from one line: the harness sends one entry per invocation with a count.
    const lingering = (index: number) => Array.from({ length: index }, (_, i) => grouped(100 + i, i + 1, 60));
    const records = [1, 2, 3].map((index) => makeInvocationRecord({ index, outcome: 'response', environment: 1, lingering: lingering(index) }));
    expect(resourceGrowth(records, toResources)[0]!.message).toContain('(60 → 120 → 180)');
  });

  it('PENDING_AT_FREEZE says how many were pending', () => {
    const record = makeInvocationRecord({ index: 1, outcome: 'response', lingering: [grouped(5, 1, 5000)] });
    expect(pendingAtFreeze(record, toResources)!.message).toContain('while 5000 resources it started were still pending');
  });
});
