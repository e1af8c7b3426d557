// The conformance test's Runtime API emulator, driven by a stand-in runtime (fake-runtime.mjs):
// the headers it hands out, the freeze between invocations, the deadline, runtime exits and
// init errors, each followed by a fresh runtime where Lambda starts one.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runUnderRuntimeApi, type EmulatorOptions } from '../../conformance/runtime-api-emulator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fake';

function run(mode: string, options: Partial<EmulatorOptions> = {}) {
  return runUnderRuntimeApi({
    command: process.execPath,
    args: [path.join(here, 'fake-runtime.mjs')],
    env: { PATH: process.env.PATH, FAKE_MODE: mode },
    cwd: here,
    timeoutMs: 2000,
    invocations: 2,
    events: [{}],
    freezeMs: 100,
    functionArn: ARN,
    ...options,
  });
}

describe('Runtime API emulator', () => {
  it('hands out events with the Runtime API headers and keeps a warm runtime', async () => {
    const result = await run('respond', { events: [{ n: 1 }, { n: 2 }] });
    expect(result.init).toMatchObject({ ok: true });
    expect(result.environments).toBe(1);
    expect(result.invocations.map((i) => i.outcome)).toEqual(['response', 'response']);
    const [first, second] = result.invocations.map((i) => i.response as any);
    expect(first).toMatchObject({ count: 1, event: { n: 1 }, headers: { arn: ARN } });
    expect(second).toMatchObject({ count: 2, event: { n: 2 } });
    expect(first.headers.traceId).toMatch(/^Root=1-/);
    expect(first.headers.deadlineMs - first.now).toBeGreaterThan(1000);
    expect(first.headers.deadlineMs - first.now).toBeLessThanOrEqual(2000);
  });

  it('freezes the runtime between invocations: its timers do not run while frozen', async () => {
    const result = await run('respond', { freezeMs: 600 });
    const second = result.invocations[1]!.response as any;
    // 600 ms frozen would be ~30 ticks of a 20 ms interval if it ran; overdue, it fires once at the thaw.
    expect(second.ticks).toBeLessThan(8);
  });

  it('kills the runtime at the deadline and starts a fresh one for the next invocation', async () => {
    const result = await run('respond', { timeoutMs: 1000, events: [{ action: 'sleep' }, {}] });
    expect(result.invocations[0]).toMatchObject({ outcome: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' } });
    expect(result.invocations[1]).toMatchObject({ outcome: 'response', environment: 2, response: { count: 1 } });
  });

  it('reports a runtime exit as Runtime.ExitError and re-inits', async () => {
    const result = await run('respond', { events: [{ action: 'exit', code: 3 }, { action: 'exit', code: 0 }, { action: 'kill' }], invocations: 3 });
    expect(result.invocations.map((i) => [i.outcome, i.error?.errorMessage])).toEqual([
      ['runtime-exit', 'Runtime exited with error: exit status 3'],
      ['runtime-exit', 'Runtime exited without providing a reason'],
      ['runtime-exit', 'Runtime exited with error: signal: killed'],
    ]);
    expect(result.environments).toBe(3);
  });

  it('keeps the runtime warm after an ordinary invocation error', async () => {
    const result = await run('respond', { events: [{ action: 'error' }, {}] });
    expect(result.invocations[0]).toMatchObject({ outcome: 'error', error: { errorType: 'TypeError', errorMessage: 'bad input #1' } });
    expect(result.invocations[1]).toMatchObject({ outcome: 'response', environment: 1, response: { count: 2 } });
  });

  it('answers a buffered response over 6,291,556 bytes with 413 and fails the invocation with Function.ResponseSizeTooLarge', async () => {
    const result = await run('respond', { events: [{ action: 'too-large' }, {}] });
    expect(result.invocations[0]).toMatchObject({
      outcome: 'error',
      error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes).' },
    });
    expect(result.invocations[1]).toMatchObject({
      outcome: 'response',
      environment: 1,
      response: { lastAnswer: { status: 413, body: { errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).', errorType: 'RequestEntityTooLarge' } } },
    });
  });

  it('records a streamed response: content type, exact bytes, when it ended and when /next came', async () => {
    const result = await run('respond', { events: [{ action: 'stream' }, {}] });
    const [first, second] = result.invocations;
    const body = `{"statusCode":201}${'\0'.repeat(8)}chunk #1`;
    expect(first).toMatchObject({ outcome: 'response', streaming: true, responseContentType: 'application/vnd.awslambda.http-integration-response', response: body });
    expect(Buffer.from(first!.responseBase64!, 'base64')).toEqual(Buffer.from(body));
    // The body ended after the 150 ms pause; the headers came with the prelude, before it.
    expect(first!.durationMs).toBeGreaterThanOrEqual(140);
    expect(first!.streamStartedMs!).toBeLessThan(first!.durationMs - 100);
    expect(first!.nextMs!).toBeGreaterThanOrEqual(first!.durationMs);
    expect(second).toMatchObject({ outcome: 'response', environment: 1, response: { count: 2 } });
    expect(second!.streaming).toBeUndefined();
    expect(second!.responseContentType).toBeUndefined();
  });

  it('records error trailers of a streamed response as an error that came mid-stream, and stays warm', async () => {
    const result = await run('respond', { events: [{ action: 'stream-error' }, {}], settleLast: true });
    const [first, second] = result.invocations;
    expect(first).toMatchObject({ outcome: 'error', streaming: true, midStream: true, error: { errorType: 'Error', errorMessage: 'failed mid-stream', errorTypeHeader: 'Error' } });
    expect(first!.streamedBody).toBe(`{"statusCode":201}${'\0'.repeat(8)}chunk #1`);
    expect(second).toMatchObject({ outcome: 'response', environment: 1 });
    expect(typeof second!.nextMs).toBe('number');
  });

  it('times out a streamed response whose body never ends, keeping what was streamed', async () => {
    const result = await run('respond', { timeoutMs: 1000, events: [{ action: 'stream-unfinished' }, {}] });
    const [first, second] = result.invocations;
    expect(first).toMatchObject({ outcome: 'timeout', streaming: true, streamEnded: false, responseContentType: 'application/vnd.awslambda.http-integration-response' });
    expect(first!.streamedBody).toBe(`{"statusCode":201}${'\0'.repeat(8)}chunk #1`);
    expect(second).toMatchObject({ outcome: 'response', environment: 2, response: { count: 1 } });
  });

  it('records an init error posted to /init/error, or an exit during Init', async () => {
    const posted = await run('init-error');
    expect(posted.init).toMatchObject({ ok: false, error: { errorType: 'Runtime.HandlerNotFound' }, exitCode: 129 });
    expect(posted.invocations).toEqual([]);
    const exited = await run('exit-at-init');
    expect(exited.init).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 5' } });
  });
});
