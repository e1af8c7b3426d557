import { notRun } from '../../src/runner/run-record.js';
import type { CheckReport, Finding, InvocationReport, Resource, TargetReport, TimelineEvent } from '../../src/types.js';
import type { RawFrame, RawResource } from '../../src/runner/protocol.js';
import type { InvocationRecord, ProcessErrorRecord, RunRecord } from '../../src/runner/run-record.js';

/** In-memory report pieces for reporter and classifier tests: defaults describe one leaky interval. */
export function makeResource(overrides: Partial<Resource> = {}): Resource {
  return {
    asyncId: 17,
    type: 'Timeout',
    kind: 'interval',
    ref: true,
    createdIn: 'invocation',
    invocation: 1,
    summary: 'setInterval every 1000 ms',
    location: { file: 'fixtures/callback-interval.js', line: 4, column: 3 },
    via: null,
    stack: [{ function: 'handler', file: 'fixtures/callback-interval.js', line: 4, column: 3 }],
    ...overrides,
  };
}

export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP',
    severity: 'error',
    invocation: 1,
    message: 'callback(null, …) was called, but a ref\'d interval kept the event loop alive past the 3 s deadline.',
    location: { file: 'fixtures/callback-interval.js', line: 4, column: 3 },
    resources: [makeResource()],
    hint: 'Call clearInterval() before the callback, or set context.callbackWaitsForEmptyEventLoop = false.',
    ...overrides,
  };
}

export function makeInvocation(overrides: Partial<InvocationReport> = {}): InvocationReport {
  return {
    index: 1,
    requestId: '00000000-0000-4000-8000-000000000001',
    outcome: 'response',
    durationMs: 12,
    response: { statusCode: 200 },
    error: null,
    exitCode: null,
    lingering: [],
    environment: 1,
    completedBy: 'promise',
    waitedForLoopMs: null,
    ...overrides,
  };
}

export function makeTargetReport(overrides: Partial<TargetReport> = {}): TargetReport {
  return {
    target: 'fixtures/callback-interval.js#handler',
    runtime: 'nodejs22.x',
    timeoutMs: 3000,
    memoryMB: 128,
    verdict: 'pass',
    init: { ok: true, durationMs: 41.2, error: null },
    invocations: [makeInvocation()],
    findings: [],
    output: { stdout: '', stderr: '', truncated: false },
    timeline: [],
    ...overrides,
  };
}

export function makeReport(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    schemaVersion: 1,
    tool: { name: 'lambda-hang-check', version: '0.1.0' },
    node: 'v20.20.2',
    results: [makeTargetReport()],
    ...overrides,
  };
}

/** Raw runner records for classifier tests: a clean one-invocation run unless overridden. */
export function makeRawFrame(overrides: Partial<RawFrame> = {}): RawFrame {
  return { function: 'handler', file: '/work/app/handler.js', line: 4, column: 3, ...overrides };
}

export function makeRawResource(overrides: Partial<RawResource> = {}): RawResource {
  return {
    asyncId: 17,
    type: 'Timeout',
    kind: 'interval',
    ref: true,
    origin: 1,
    summary: 'setInterval every 1000 ms',
    frames: [makeRawFrame()],
    parentFrames: [],
    ...overrides,
  };
}

export function makeInvocationRecord(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  const index = overrides.index ?? 1;
  return {
    ...notRun(index, 1),
    requestId: `00000000-0000-4000-8000-00000000000${index}`,
    outcome: 'response',
    durationMs: 12,
    responseText: '{"statusCode":200}',
    completedBy: 'promise',
    startedAtNs: String(index * 1_000_000_000),
    ...overrides,
  };
}

export function makeProcessErrorRecord(overrides: Partial<ProcessErrorRecord> = {}): ProcessErrorRecord {
  return {
    kind: 'unhandledRejection',
    origin: 1,
    during: 1,
    environment: 1,
    afterResponse: false,
    error: { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at later (/work/app/handler.js:9:11)'] },
    ...overrides,
  };
}

export function makeRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    init: { ok: true, durationMs: 41.23, error: null, timedOut: false },
    shape: { arity: 2, isAsync: true, isStreaming: false },
    invocations: [makeInvocationRecord()],
    processErrors: [],
    executions: [],
    timeline: [],
    output: { stdout: '', stderr: '', truncated: false },
    ...overrides,
  };
}

/** Init, invocation 1 answering, a 100 ms freeze, then invocation 2 closed by `last`. */
export function makeTimeline(last: TimelineEvent): TimelineEvent[] {
  return [
    { atMs: 0, kind: 'init-start', invocation: null },
    { atMs: 40, kind: 'init-end', invocation: null },
    { atMs: 41, kind: 'invoke', invocation: 1 },
    { atMs: 45, kind: 'response', invocation: 1 },
    { atMs: 46, kind: 'freeze', invocation: 1 },
    { atMs: 147, kind: 'thaw', invocation: 2 },
    { atMs: 147, kind: 'invoke', invocation: 2 },
    last,
  ];
}
