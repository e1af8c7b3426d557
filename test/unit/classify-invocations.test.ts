import { describe, expect, it } from 'vitest';
import { classify, reaches, type TargetInfo } from '../../src/analysis/classify.js';
import type { FrameContext } from '../../src/analysis/frames.js';
import type { RawFrame, RawResource } from '../../src/runner/protocol.js';
import type { InvocationRecord, RunRecord } from '../../src/runner/run-record.js';
import type { FailOn, RuntimeId, Severity } from '../../src/types.js';
import { makeInvocationRecord, makeProcessErrorRecord, makeRawFrame, makeRawResource, makeRunRecord } from '../helpers/factories.js';

const ctx: FrameContext = { cwd: '/work/app', sourceMaps: new Map(), isOwnFile: (file) => file === '/opt/lhc/dist/harness.js' };
const info = (runtime: RuntimeId = 'nodejs22.x'): TargetInfo => ({ target: 'handler.js#handler', runtime, timeoutMs: 3000, memoryMB: 128, today: '2026-12-03' });
const run = (record: RunRecord, runtime?: RuntimeId, failOn: FailOn = 'error') => classify(record, info(runtime), ctx, failOn);
const codes = (record: RunRecord, runtime?: RuntimeId) => run(record, runtime).findings.map((finding) => finding.code);
const timedOut = { outcome: 'timeout', responseText: undefined, completedBy: null, durationMs: 3000, error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' } } as const;
type DeadlineState = NonNullable<InvocationRecord['deadline']>['state'];
const deadline = (state: DeadlineState, resources: RawResource[] = [], blockedFrames: RawFrame[] = []) => ({ state, resources, blockedFrames });
const interval = makeRawResource({ frames: [makeRawFrame({ line: 6, column: 3 })] });

describe('classify: timeouts', () => {
  it('reports a legacy callback waiting for an event loop that never empties', () => {
    const record = makeRunRecord({
      invocations: [makeInvocationRecord({ ...timedOut, completedBy: 'callback', deadline: deadline('waiting-for-empty-loop', [interval]) })],
    });
    const report = run(record);
    expect(report.verdict).toBe('fail');
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding).toMatchObject({ code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', severity: 'error', invocation: 1 });
    expect(finding!.location).toEqual({ file: 'handler.js', line: 6, column: 3 });
    expect(finding!.resources.map((r) => [r.asyncId, r.kind, r.createdIn])).toEqual([[17, 'interval', 'invocation']]);
    expect(finding!.message).toMatch(/3\.00 s/);
  });

  it('reports a handler still pending at the deadline, with what it waited on', () => {
    const socket = makeRawResource({ asyncId: 30, type: 'TCPWRAP', kind: 'socket', summary: 'socket to 10.0.0.1:5432', frames: [makeRawFrame({ line: 9, column: 15 })] });
    const record = makeRunRecord({ invocations: [makeInvocationRecord({ ...timedOut, deadline: deadline('handler-pending', [socket]) })] });
    const [finding] = run(record, 'nodejs24.x').findings;
    expect(finding).toMatchObject({ code: 'TIMEOUT_HANDLER_PENDING', severity: 'error', invocation: 1, location: { file: 'handler.js', line: 9, column: 15 } });
    expect(finding!.resources[0]!.summary).toBe('socket to 10.0.0.1:5432');
  });

  it('reports a blocked event loop at the line where the thread was stuck', () => {
    const stuckAt = [makeRawFrame({ function: 'spin', line: 14, column: 7 }), makeRawFrame({ function: 'handler', line: 20 })];
    const record = makeRunRecord({ invocations: [makeInvocationRecord({ ...timedOut, deadline: deadline('unresponsive', [], stuckAt) })] });
    const report = run(record);
    expect(report.findings.map((f) => [f.code, f.severity, f.invocation])).toEqual([['TIMEOUT_EVENT_LOOP_BLOCKED', 'error', 1]]);
    expect(report.findings[0]!.location).toEqual({ file: 'handler.js', line: 14, column: 7 });
    expect(report.findings[0]!.message).toContain('handler.js:14');
  });

  it('still reports a blocked event loop when its stack could not be read', () => {
    const record = makeRunRecord({ invocations: [makeInvocationRecord({ ...timedOut, deadline: deadline('unresponsive') })] });
    const [finding] = run(record).findings;
    expect(finding).toMatchObject({ code: 'TIMEOUT_EVENT_LOOP_BLOCKED', location: null });
  });

  it('takes a timed-out invocation’s lingering resources from the deadline snapshot, without the tool’s own', () => {
    const own = makeRawResource({ asyncId: 5, origin: -1 });
    const crossChecked = makeRawResource({ asyncId: -1, origin: -1, frames: [] });
    const stale = makeRawResource({ asyncId: 99 });
    const record = makeRunRecord({
      invocations: [makeInvocationRecord({ ...timedOut, lingering: [stale], deadline: deadline('handler-pending', [interval, own, crossChecked]) })],
    });
    const [invocation] = run(record).invocations;
    expect(invocation!.outcome).toBe('timeout');
    expect(invocation!.lingering.map((r) => r.asyncId)).toEqual([17, -1]);
    expect(invocation).not.toHaveProperty('response');
  });
});

describe('classify: invocations that answered', () => {
  it('warns when a callback response was held back by work that drained', () => {
    const timer = makeRawResource({ type: 'Timeout', kind: 'timer', summary: 'setTimeout 400 ms' });
    const record = makeRunRecord({ invocations: [makeInvocationRecord({ completedBy: 'callback', waitedForLoopMs: 402.6, heldBy: [timer] })] });
    const report = run(record);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ code: 'RESPONSE_DELAYED_BY_EVENT_LOOP', severity: 'warning', invocation: 1, location: { file: 'handler.js', line: 4, column: 3 } });
    expect(report.findings[0]!.message).toContain('403 ms');
    expect(report.findings[0]!.resources.map((r) => r.kind)).toEqual(['timer']);
    expect(report.verdict).toBe('pass');
  });

  it('warns when the legacy runtime ignored a plain return value', () => {
    const record = makeRunRecord({ invocations: [makeInvocationRecord({ ignoredReturn: true, responseText: 'null', completedBy: 'empty-event-loop' })] });
    const report = run(record);
    expect(report.findings.map((f) => [f.code, f.severity, f.invocation, f.location])).toEqual([['RETURN_VALUE_IGNORED', 'warning', 1, null]]);
    expect(report.invocations[0]!.response).toBeNull();
  });

  it('reports an async handler whose promise never settled on the legacy line (Runtime.NodeJsExit)', () => {
    const nodeJsExit = { errorType: 'Runtime.NodeJsExit', errorMessage: 'The Lambda runtime client detected an unexpected Node.js exit code.' };
    const record = makeRunRecord({ invocations: [makeInvocationRecord({ outcome: 'error', responseText: undefined, error: nodeJsExit, drainedWithPromisePending: true })] });
    const report = run(record);
    expect(report.findings.map((f) => [f.code, f.severity, f.invocation])).toEqual([['PROMISE_NEVER_SETTLED', 'error', 1]]);
    expect(report.findings[0]!.message).toContain('Runtime.NodeJsExit');
  });

  it('reports a never-settled promise on nodejs24.x, where the runtime process exits, instead of RUNTIME_EXIT', () => {
    const record = makeRunRecord({
      invocations: [
        makeInvocationRecord({ outcome: 'runtime-exit', responseText: undefined, exitCode: 0, drainedWithPromisePending: true, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' } }),
      ],
    });
    const report = run(record, 'nodejs24.x');
    expect(report.findings.map((f) => [f.code, f.invocation])).toEqual([['PROMISE_NEVER_SETTLED', 1]]);
    expect(report.findings[0]!.message).toContain('Runtime.ExitError');
    expect(report.invocations[0]!.exitCode).toBe(0);
  });

  it('reports a runtime exit at the line that called process.exit()', () => {
    const exitFrames = [makeRawFrame({ function: 'exit', file: '/opt/lhc/dist/harness.js', line: 1 }), makeRawFrame({ function: 'handler', line: 12, column: 11 })];
    const record = makeRunRecord({
      invocations: [makeInvocationRecord({ outcome: 'runtime-exit', responseText: undefined, exitCode: 3, exitFrames, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 3' } })],
    });
    const [finding] = run(record).findings;
    expect(finding).toMatchObject({ code: 'RUNTIME_EXIT', severity: 'error', invocation: 1, location: { file: 'handler.js', line: 12, column: 11 } });
    expect(finding!.message).toMatch(/exited with code 3.*Runtime\.ExitError/);
    expect(finding!.hint).toMatch(/^Do not call process\.exit\(\)/);
  });

  it('does not blame process.exit() for an exit nobody called it for', () => {
    const record = makeRunRecord({
      invocations: [makeInvocationRecord({ outcome: 'runtime-exit', responseText: undefined, exitCode: 86, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 86' } })],
    });
    const [finding] = run(record).findings;
    expect(finding!.code).toBe('RUNTIME_EXIT');
    expect(finding!.hint).not.toContain('Do not call process.exit()');
    expect(finding!.hint).toMatch(/without process\.exit\(\) being called/);
  });

  it('names the signal when the runtime process was killed', () => {
    const record = makeRunRecord({ invocations: [makeInvocationRecord({ outcome: 'runtime-exit', responseText: undefined, signal: 'SIGKILL' })] });
    const [finding] = run(record).findings;
    expect(finding!.code).toBe('RUNTIME_EXIT');
    expect(finding!.location).toBeNull();
    expect(finding!.message).toContain('killed by SIGKILL');
    expect(finding!.hint).toMatch(/sent the runtime process SIGKILL/);
  });

  it('reports a plain handler error as info, located from its trace', () => {
    const error = { errorType: 'TypeError', errorMessage: 'x is not a function\nsecond line', trace: ['TypeError: x is not a function', '    at handler (/work/app/handler.js:8:5)'] };
    const report = run(makeRunRecord({ invocations: [makeInvocationRecord({ outcome: 'error', responseText: undefined, completedBy: 'throw', error })] }));
    expect(report.findings).toEqual([
      expect.objectContaining({ code: 'HANDLER_ERROR', severity: 'info', invocation: 1, location: { file: 'handler.js', line: 8, column: 5 }, message: 'The invocation returned TypeError: x is not a function' }),
    ]);
    expect(report.verdict).toBe('pass');
    expect(report.invocations[0]!.error).toBe(error);
  });

  it('parses the posted body into response, keeping non-JSON text as is', () => {
    const report = run(makeRunRecord({
      invocations: [
        makeInvocationRecord({ index: 1, responseText: '{"a":[1,2]}' }),
        makeInvocationRecord({ index: 2, responseText: 'not json' }),
        makeInvocationRecord({ index: 3, responseText: undefined }),
      ],
    }));
    expect(report.invocations.map((i) => i.response)).toEqual([{ a: [1, 2] }, 'not json', null]);
    expect(report.findings).toEqual([]);
    expect(report.init).toEqual({ ok: true, durationMs: 41.2, error: null });
  });
});

describe('classify: verdict and order', () => {
  it.each<[Severity, FailOn, boolean]>([
    ['error', 'error', true], ['warning', 'error', false], ['info', 'error', false],
    ['error', 'warning', true], ['warning', 'warning', true], ['info', 'warning', false],
    ['error', 'never', false], ['warning', 'never', false], ['info', 'never', false],
  ])('a %s finding reaches --fail-on %s: %s', (severity, failOn, expected) => {
    expect(reaches(severity, failOn)).toBe(expected);
  });

  it('sets the verdict from the findings and --fail-on', () => {
    const warningOnly = makeRunRecord({ invocations: [makeInvocationRecord({ ignoredReturn: true })] });
    expect(run(warningOnly, 'nodejs22.x', 'error').verdict).toBe('pass');
    expect(run(warningOnly, 'nodejs22.x', 'warning').verdict).toBe('fail');
    const withError = makeRunRecord({ invocations: [makeInvocationRecord({ ...timedOut, deadline: deadline('unresponsive') })] });
    expect(run(withError, 'nodejs22.x', 'never').verdict).toBe('pass');
  });

  it('sorts findings by invocation, file, line, column, then code', () => {
    const trace = (file: string, line: number, column: number) => ['Error: x', `    at f (/work/app/${file}:${line}:${column})`];
    const error = (file: string, line: number, column: number, kind: 'unhandledRejection' | 'uncaughtException' = 'unhandledRejection') =>
      makeProcessErrorRecord({ kind, origin: 1, during: 2, afterResponse: true, error: { errorType: 'Error', errorMessage: 'x', trace: trace(file, line, column) } });
    const record = makeRunRecord({
      shape: { arity: 3, isAsync: false, isStreaming: false },
      invocations: [
        makeInvocationRecord({ index: 1, ignoredReturn: true, waitedForLoopMs: 5, heldBy: [interval] }),
        makeInvocationRecord({ index: 2, outcome: 'runtime-exit', responseText: undefined, exitCode: 128 }),
      ],
      processErrors: [error('b.js', 3, 1), error('a.js', 9, 1), error('a.js', 10, 1), error('a.js', 9, 2), error('a.js', 9, 2, 'uncaughtException')],
    });
    const order = run(record).findings.map((f) => `${f.invocation}:${f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '-'}:${f.code}`);
    expect(order).toEqual([
      'null:-:CALLBACK_HANDLER_DEPRECATED',
      '1:-:RETURN_VALUE_IGNORED',
      '1:a.js:9:1:UNHANDLED_REJECTION',
      '1:a.js:9:2:UNCAUGHT_EXCEPTION',
      '1:a.js:9:2:UNHANDLED_REJECTION',
      '1:a.js:10:1:UNHANDLED_REJECTION',
      '1:b.js:3:1:UNHANDLED_REJECTION',
      '1:handler.js:6:3:RESPONSE_DELAYED_BY_EVENT_LOOP',
    ]);
  });

  it('copies the target facts, output and timeline into the report', () => {
    const record = makeRunRecord({ output: { stdout: 'hi\n', stderr: '', truncated: true }, timeline: [{ atMs: 0, kind: 'init-start', invocation: null }] });
    const report = run(record, 'nodejs22.x');
    expect(report).toMatchObject({ target: 'handler.js#handler', runtime: 'nodejs22.x', timeoutMs: 3000, memoryMB: 128, output: record.output, timeline: record.timeline });
    expect(codes(record, 'nodejs22.x')).toEqual([]);
  });
});

describe('classify: a deprecated runtime', () => {
  const on = (runtime: RuntimeId, today: string) => classify(makeRunRecord({ invocations: [makeInvocationRecord({ index: 1 })] }), { ...info(runtime), today }, ctx, 'error');

  it('warns on nodejs20.x with AWS dates and the runtime to move to, never failing the check', () => {
    const report = on('nodejs20.x', '2026-12-03');
    expect(report.verdict).toBe('pass');
    const [finding] = report.findings;
    expect(finding).toMatchObject({ code: 'RUNTIME_DEPRECATED', severity: 'warning', invocation: null, location: null });
    expect(finding!.message).toBe('nodejs20.x has been deprecated since 2026-04-30: AWS no longer patches it, and no function can be created or updated on it; existing functions still run.');
    expect(finding!.hint).toMatch(/^Move to nodejs24\.x .*--runtime nodejs24\.x/);
  });

  it('says which block is still ahead', () => {
    expect(on('nodejs20.x', '2026-05-15').findings[0]!.message).toContain('new functions stop on 2026-08-31, updates on 2026-09-30');
    expect(on('nodejs20.x', '2026-09-01').findings[0]!.message).toContain('no function can be created on it, and updates stop on 2026-09-30');
  });

  it('is silent for a supported runtime, and speaks once its day has come', () => {
    expect(on('nodejs22.x', '2026-12-03').findings).toEqual([]);
    expect(on('nodejs24.x', '2026-12-03').findings).toEqual([]);
    expect(on('nodejs22.x', '2027-04-30').findings.map((finding) => finding.code)).toEqual(['RUNTIME_DEPRECATED']);
    expect(on('nodejs18.x', '2026-12-03').findings.map((finding) => finding.code)).toEqual(['RUNTIME_DEPRECATED']);
  });
});

describe('classify: a callback handler that never called back (semantics 2.1)', () => {
  const drained = { outcome: 'response', responseText: 'null', completedBy: 'empty-event-loop' } as const;
  const definedAt = makeRawFrame({ function: 'handler', line: 3, column: 19 });
  const shape = (arity: number, isAsync: boolean) => ({ arity, isAsync, isStreaming: false, definedAt });
  const summary = (record: RunRecord, runtime?: RuntimeId) => run(record, runtime).findings.map((f) => [f.code, f.invocation, f.location && `${f.location.file}:${f.location.line}`]);

  it('reports it at the handler definition when the loop drained and null was posted', () => {
    const record = makeRunRecord({ shape: shape(3, false), invocations: [makeInvocationRecord(drained)] });
    expect(summary(record)).toEqual([
      ['CALLBACK_HANDLER_DEPRECATED', null, 'handler.js:3'],
      ['CALLBACK_NEVER_CALLED', 1, 'handler.js:3'],
    ]);
    expect(run(record).findings[1]).toMatchObject({ severity: 'warning' });
  });

  it('leaves it out when the callback (or done) answered, for an async handler, for a pending thenable, and without a callback parameter', () => {
    expect(codes(makeRunRecord({ shape: shape(3, false), invocations: [makeInvocationRecord({ completedBy: 'callback' })] }))).not.toContain('CALLBACK_NEVER_CALLED');
    expect(codes(makeRunRecord({ shape: shape(3, false), invocations: [makeInvocationRecord({ completedBy: 'context.done' })] }))).not.toContain('CALLBACK_NEVER_CALLED');
    // An async handler draining unsettled gets Runtime.NodeJsExit: PROMISE_NEVER_SETTLED.
    const nodeJsExit = { outcome: 'error', responseText: undefined, completedBy: 'empty-event-loop', error: { errorType: 'Runtime.NodeJsExit', errorMessage: 'x' } } as const;
    expect(codes(makeRunRecord({ shape: shape(3, true), invocations: [makeInvocationRecord(nodeJsExit)] }))).toEqual(['CALLBACK_HANDLER_DEPRECATED', 'PROMISE_NEVER_SETTLED']);
    // A plain function returning a never-settling promise: PROMISE_NEVER_SETTLED, not this.
    expect(codes(makeRunRecord({ shape: shape(3, false), invocations: [makeInvocationRecord({ ...drained, drainedWithPromisePending: true })] }))).toEqual(['CALLBACK_HANDLER_DEPRECATED', 'PROMISE_NEVER_SETTLED']);
    // Two parameters, nothing returned: no callback to forget (and no value ignored).
    expect(codes(makeRunRecord({ shape: shape(2, false), invocations: [makeInvocationRecord(drained)] }))).toEqual([]);
  });

  it('does not apply on nodejs24.x, which rejects the handler at Init', () => {
    expect(codes(makeRunRecord({ shape: shape(3, false), invocations: [makeInvocationRecord(drained)] }), 'nodejs24.x')).not.toContain('CALLBACK_NEVER_CALLED');
  });
});

describe('classify: invocations after a failed Init', () => {
  const error = { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'x'", trace: [] };
  const metInit = (index: number) => makeInvocationRecord({ index, outcome: 'error', responseText: undefined, completedBy: 'init-error', error });

  it('reports the init error once, not a HANDLER_ERROR per invocation', () => {
    const record = makeRunRecord({ init: { ok: false, durationMs: 3, error, timedOut: false }, shape: null, invocations: [metInit(1), metInit(2)] });
    expect(run(record).findings.map((f) => [f.code, f.invocation])).toEqual([['INIT_ERROR', null]]);
  });

  it('reports a fresh environment whose Init failed as INIT_ERROR for that invocation', () => {
    const record = makeRunRecord({ invocations: [makeInvocationRecord({ ...timedOut, deadline: deadline('handler-pending') }), { ...metInit(2), environment: 2 }] });
    expect(run(record).findings.map((f) => [f.code, f.invocation])).toEqual([['TIMEOUT_HANDLER_PENDING', 1], ['INIT_ERROR', 2]]);
  });
});
