import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderTimeline } from '../../src/reporters/text-timeline.js';
import { makeFinding, makeTimeline } from '../helpers/factories.js';

const ctx = { chalk: new Chalk({ level: 0 }), verbose: false };
const events = makeTimeline({ atMs: 3147, kind: 'deadline', invocation: 2, detail: 'Task timed out after 3.00 seconds' });

describe('the text timeline', () => {
  it('places each finding after the event that closed its invocation, target-wide ones after Init', () => {
    const lines = renderTimeline(events, ctx, '', [
      makeFinding({ code: 'PENDING_AT_FREEZE', severity: 'warning', invocation: 1 }),
      makeFinding({ code: 'RAN_AFTER_THAW', severity: 'warning', invocation: 2 }),
      makeFinding({ code: 'TIMEOUT_HANDLER_PENDING', invocation: 2 }),
      makeFinding({ code: 'CALLBACK_HANDLER_DEPRECATED', severity: 'warning', invocation: null }),
    ]);
    expect(lines).toEqual([
      '   0 ms  init-start',
      '  40 ms  init-end  ◀ CALLBACK_HANDLER_DEPRECATED',
      '  41 ms  invoke #1',
      '  45 ms  response #1  ◀ PENDING_AT_FREEZE',
      '  46 ms  freeze #1',
      ' 147 ms  thaw #2',
      ' 147 ms  invoke #2',
      '3147 ms  deadline #2 — Task timed out after 3.00 seconds  ◀ RAN_AFTER_THAW, TIMEOUT_HANDLER_PENDING',
    ]);
  });
});
