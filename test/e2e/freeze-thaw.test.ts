import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deprecationCodes, runCliAsync } from '../helpers/run-cli.js';
import { validateTrace } from '../helpers/trace-format.js';

type Finding = { code: string; invocation: number | null; location: { file: string; line: number } | null; resources: { kind: string; summary: string; location: { line: number } | null; invocation?: number }[] };

// Every check on nodejs20.x also carries RUNTIME_DEPRECATED (asserted in the rows below, and by semantics.test.ts): not what these tests are about.
const codesOf = (json: any): string[] => json.results[0].findings.filter((f: Finding) => f.code !== 'RUNTIME_DEPRECATED').map((f: Finding) => `${f.code}#${f.invocation}`);
const findingOf = (json: any, code: string, invocation: number): Finding =>
  json.results[0].findings.find((f: Finding) => f.code === code && f.invocation === invocation);

describe.each(['nodejs22.x', 'nodejs24.x'])('freeze and thaw on %s', (runtime) => {
  const check = (fixture: string, ...args: string[]) =>
    runCliAsync(['--format', 'json', '--runtime', runtime, '--timeout', '2', ...args, `fixtures/freeze/${fixture}`]);

  it('reports a 200 ms timer pending at the freeze of invocation 1 and running in invocation 2', async () => {
    const run = await check('pending-timer-200.js', '--invocations', '2', '--freeze', '300');
    expect(run.status).toBe(0);
    const pending = findingOf(run.json, 'PENDING_AT_FREEZE', 1);
    const ran = findingOf(run.json, 'RAN_AFTER_THAW', 2);
    for (const finding of [pending, ran]) {
      expect(finding.resources[0]).toMatchObject({ kind: 'timer', invocation: 1, summary: 'setTimeout 200 ms → recordMetric' });
      expect(finding.resources[0]!.location).toMatchObject({ file: 'fixtures/freeze/pending-timer-200.js', line: 4 });
    }
  });

  it('reports one more interval per request as RESOURCE_GROWTH at the creating line', async () => {
    const run = await check('interval-per-request.js', '--invocations', '3');
    expect(run.status).toBe(0);
    const growth = findingOf(run.json, 'RESOURCE_GROWTH', 3);
    expect(growth.location).toMatchObject({ file: 'fixtures/freeze/interval-per-request.js', line: 4 });
    expect(growth.resources).toHaveLength(3);
    expect(growth.resources.map((r) => r.invocation).sort()).toEqual([1, 2, 3]);
  });

  it('charges a rejection left behind by invocation 1 to it, and fails invocation 2 with the runtime exit', async () => {
    const run = await check('rejection-after-response.js', '--invocations', '3', '--freeze', '200');
    expect(run.status).toBe(1);
    const [first, second, third] = run.json.results[0].invocations;
    expect(first.outcome).toBe('response');
    expect(second).toMatchObject({ outcome: 'runtime-exit', exitCode: runtime === 'nodejs24.x' ? 1 : 128, error: { errorType: 'Runtime.ExitError' } });
    expect(third).toMatchObject({ outcome: 'response', response: { count: 1 }, environment: 2 });
    const rejection = findingOf(run.json, 'UNHANDLED_REJECTION', 1);
    expect(rejection.location).toMatchObject({ file: 'fixtures/freeze/rejection-after-response.js', line: 8 });
    expect(codesOf(run.json)).not.toContain('RUNTIME_EXIT#2');
  });
});

describe('work left in flight', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A slow server of the test's own, on loopback: answers each request after 100 ms, while
    // the environment is frozen or, if the connection only completes at the thaw, while
    // invocation 2 still runs.
    server = createServer((_request, response) => {
      setTimeout(() => response.end('ok'), 100);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(['nodejs22.x', 'nodejs24.x'])('reports an un-awaited HTTP request frozen mid-flight, and its response landing in invocation 2 (%s)', async (runtime) => {
    const run = await runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '2', '--freeze', '600', '--env', `SLOW_URL=${url}`, '-e', '{}', '-e', '{"send":false,"waitMs":500}', 'fixtures/freeze/unawaited-http.js']);
    expect(run.status).toBe(0);
    const pending = findingOf(run.json, 'PENDING_AT_FREEZE', 1);
    const socket = pending.resources.find((r) => r.kind === 'socket')!;
    expect(socket.summary).toMatch(/^HTTP GET 127\.0\.0\.1:\d+\/track\?id=1 in flight$/);
    expect(socket.location).toMatchObject({ line: 7 });
    const ran = findingOf(run.json, 'RAN_AFTER_THAW', 2);
    // The response is read on the request's socket, then parsed in its HTTP exchange's context:
    // either is the request of invocation 1 landing in invocation 2.
    const landed = ran.resources.filter((r) => r.invocation === 1 && /^HTTP (GET|response to GET) 127\.0\.0\.1:\d+\/track\?id=1/.test(r.summary));
    expect(landed, JSON.stringify(ran.resources.map((r) => [r.kind, r.summary]))).not.toEqual([]);
  });
});

it.each(['nodejs20.x', 'nodejs22.x', 'nodejs24.x'])('a connection kept from one request and used by the next: the next one\'s answers are its own work, not RAN_AFTER_THAW (%s)', async (runtime) => {
  const run = await runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '3', '-e', '{"n":1}', '-e', '{"n":2}', '-e', '{"n":3}', 'fixtures/freeze/kept-connection-reused.js']);
  expect(run.status).toBe(0);
  expect(run.json.results[0].invocations.map((i: { response: unknown }) => i.response)).toEqual([{ echo: 'ping 1' }, { echo: 'ping 2' }, { echo: 'ping 3' }]);
  // Open at the first freeze, as any socket left open is; never reported as running late.
  expect(codesOf(run.json)).toEqual(['PENDING_AT_FREEZE#1']);
  expect(findingOf(run.json, 'PENDING_AT_FREEZE', 1).resources[0]).toMatchObject({ kind: 'socket', invocation: 1, location: { line: 10 } });
});

it('a callbackWaitsForEmptyEventLoop = false handler: its interval keeps ticking in every later invocation', async () => {
  const run = await runCliAsync(['--format', 'json', '--runtime', 'nodejs22.x', '-n', '3', 'fixtures/freeze/nowait-interval-ticks.js']);
  expect(run.status).toBe(0);
  expect(run.json.results[0].invocations.map((i: { outcome: string }) => i.outcome)).toEqual(['response', 'response', 'response']);
  expect(codesOf(run.json)).toEqual(expect.arrayContaining(['PENDING_AT_FREEZE#1', 'RAN_AFTER_THAW#2', 'RAN_AFTER_THAW#3']));
  expect(findingOf(run.json, 'RAN_AFTER_THAW', 3).resources[0]).toMatchObject({ kind: 'interval', invocation: 1, location: { line: 9 } });
});

it('writes a trace that is valid trace-event JSON and shows the timer crossing the freeze', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhc-trace-'));
  try {
    const file = path.join(dir, 'trace.json');
    const run = await runCliAsync(['--format', 'json', '--runtime', 'nodejs22.x', '-n', '2', '--freeze', '300', '--trace', file, 'fixtures/freeze/pending-timer-200.js']);
    expect(run.status).toBe(0);
    const trace = JSON.parse(readFileSync(file, 'utf8'));
    expect(validateTrace(trace)).toEqual([]);
    const events = trace.traceEvents as { name: string; cat: string; ph: string; ts: number; dur?: number }[];
    const frozen = events.find((e) => e.name === 'frozen')!;
    expect(frozen.dur).toBeGreaterThanOrEqual(250_000);
    const timer = events.find((e) => e.cat === 'resource' && e.ph === 'X' && e.name.includes('recordMetric'))!;
    // The timer's span starts before the freeze and ends at or after the thaw.
    expect(timer.ts).toBeLessThanOrEqual(frozen.ts);
    expect(timer.ts + timer.dur!).toBeGreaterThanOrEqual(frozen.ts + frozen.dur!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});


describe('a request that failed, or a socket closed, is not work left pending', () => {
  // Each socket of a failed request is destroyed as the error is delivered; Node lists it as
  // active until the close phase of that loop iteration, when nothing of it is left to freeze.
  const rows = [
    { fixture: 'failed-request-http.js', event: '{}', answer: { statusCode: 502, body: 'ECONNREFUSED' } },
    { fixture: 'failed-request-http.js', event: '{"lookupFails":true}', answer: { statusCode: 502, body: 'ENOTFOUND' } },
    { fixture: 'failed-request-sdk.js', event: '{}', answer: { statusCode: 503, body: 'ECONNREFUSED' } },
    // Not a failure, the same rule: a datagram socket closed before answering is listed until its close completes.
    { fixture: 'closed-udp-socket.js', event: '{}', answer: { statusCode: 200 } },
  ];
  describe.each(['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const)('on %s', (runtime) => {
    it.each(rows)('$fixture with $event answers and reports nothing', async ({ fixture, event, answer }) => {
      const run = await runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '3', '-e', event, `fixtures/freeze/${fixture}`]);
      expect(run.status).toBe(0);
      const result = run.json.results[0];
      expect(result.invocations.map((invocation: any) => invocation.response)).toEqual([answer, answer, answer]);
      expect(result.findings.map((finding: Finding) => finding.code)).toEqual(deprecationCodes(runtime));
    });
  });

  it.each(['nodejs20.x', 'nodejs22.x'])('a callback handler: callback(err) is posted at once, callback(null, …) once the loop is empty, and neither leaves anything pending (%s)', async (runtime) => {
    const failed = await runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '3', 'fixtures/freeze/failed-request-callback.js']);
    expect(failed.status).toBe(0);
    expect(failed.json.results[0].invocations.map((invocation: any) => invocation.error?.errorMessage)).toEqual(Array(3).fill('connect ECONNREFUSED 127.0.0.1:1'));
    expect(codesOf(failed.json).sort()).toEqual(['CALLBACK_HANDLER_DEPRECATED#null', 'HANDLER_ERROR#1', 'HANDLER_ERROR#2', 'HANDLER_ERROR#3']);
    const answered = await runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '3', '-e', '{"answer":"success"}', 'fixtures/freeze/failed-request-callback.js']);
    expect(answered.status).toBe(0);
    expect(answered.json.results[0].invocations.map((invocation: any) => invocation.response.body)).toEqual(Array(3).fill('ECONNREFUSED'));
    // The wait for the empty loop is only the failed socket's close: nothing held the response.
    expect(codesOf(answered.json)).toEqual(['CALLBACK_HANDLER_DEPRECATED#null']);
  });

  it('callback(null, …) from the timer that fires is not held back by that timer', async () => {
    const run = await runCliAsync(['--format', 'json', '--runtime', 'nodejs22.x', '-n', '2', 'fixtures/freeze/callback-from-own-timer.js']);
    expect(run.status).toBe(0);
    expect(run.json.results[0].invocations.map((invocation: any) => invocation.outcome)).toEqual(['response', 'response']);
    expect(codesOf(run.json)).toEqual(['CALLBACK_HANDLER_DEPRECATED#null']);
  });
});
