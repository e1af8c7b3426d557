// Response streaming (lambda-runtime-semantics.md 2.3; the real clients' behaviour, fixture by
// fixture, is in conformance/streaming.md): one row per fixture under fixtures/streaming/ and
// runtime line. A streamed response is reported as text with its Content-Type.
import { expect } from 'vitest';
import { onRuntimes, testRows, type Row } from '../helpers/run-cli.js';

const S = 'fixtures/streaming';
const BOTH = ['nodejs22.x', 'nodejs24.x'] as const;
const OCTETS = 'application/octet-stream';
const PRELUDE = JSON.stringify({ statusCode: 201, headers: { 'content-type': 'text/plain', 'x-fixture': 'http-response-stream' } });

/** Every invocation answered with this streamed body and content type. */
const streamed = (body: string, contentType = OCTETS) => (result: any): void => {
  for (const invocation of result.invocations) {
    expect(invocation.outcome).toBe('response');
    expect(invocation.response).toBe(body);
    expect(invocation.responseContentType).toBe(contentType);
  }
};

const clean = (file: string, body: string, contentType?: string): Row[] =>
  onRuntimes([...BOTH], { target: `${S}/${file}`, timeout: 2, invocations: 2, status: 0, codes: [], check: streamed(body, contentType) });

const failed = (file: string, error: { errorType: string; errorMessage?: string }, line: number | null): Row[] =>
  onRuntimes([...BOTH], {
    target: `${S}/${file}`, timeout: 2, invocations: 2, status: 0,
    outcomes: [{ outcome: 'error', error }, { outcome: 'error', error }],
    codes: ['HANDLER_ERROR'],
    check: (result) => {
      expect(result.invocations.map((i: any) => i.environment), 'the environment stays warm').toEqual([1, 1]);
      if (line !== null) expect(result.findings[0].location).toMatchObject({ file: `${S}/${file}`, line });
    },
  });

const rows: Row[] = [
  ...clean('two-chunks.js', 'hello world'),
  ...clean('http-response-stream.js', `${PRELUDE}${'\u0000'.repeat(8)}created`, 'application/vnd.awslambda.http-integration-response'),
  // The prelude goes out with the first write() only: a bare end(data) sends the body alone.
  ...clean('http-end-without-write.js', 'only via end', 'application/vnd.awslambda.http-integration-response'),
  ...clean('set-content-type.js', 'plain text', 'text/plain'),
  ...clean('write-object.js', '{"a":1}'),
  ...clean('returns-value.js', 'streamed'),
  ...clean('not-async.js', 'sync'),
  // AWS's own examples: pipeline() ends the stream once the source is drained.
  ...clean('pipeline.js', 'one two three', 'text/plain'),
  ...onRuntimes([...BOTH], {
    target: `${S}/large-body.js`, timeout: 2, invocations: 1, status: 0, codes: [],
    check: (result) => {
      const [invocation] = result.invocations;
      expect(invocation.outcome).toBe('response');
      expect(invocation.responseTruncated).toBe(true);
      expect(invocation.response).toBe('x'.repeat(1024 * 1024));
    },
  }),
  ...onRuntimes([...BOTH], {
    target: `${S}/end-after-resolve.js`, timeout: 2, invocations: 1, status: 0, codes: [],
    outcomes: [{ outcome: 'response', response: 'first last', minDurationMs: 190 }],
  }),

  ...failed('reject-before-write.js', { errorType: 'TypeError', errorMessage: 'bad event' }, 4),
  ...failed('sync-throw-before-write.js', { errorType: 'RangeError', errorMessage: 'thrown synchronously' }, 4),
  ...failed('write-then-reject.js', { errorType: 'Error', errorMessage: 'failed mid-stream' }, 5),
  ...failed('set-content-type-too-late.js', { errorType: 'Runtime.InvalidStreamingOperation', errorMessage: 'Cannot set content-type, too late.' }, 5),
  // The legacy client fails with the bare string; 4.x with an Error.
  {
    target: `${S}/not-async-without-end.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'string', errorMessage: 'Streaming does not support non-async handlers.' } }],
    codes: ['HANDLER_ERROR'],
  },
  {
    target: `${S}/not-async-without-end.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'Error', errorMessage: 'Streaming does not support non-async handlers.' } }],
    codes: ['HANDLER_ERROR'],
  },

  // A body that never ends: the client waits for it until the deadline, whatever the line.
  ...['resolve-without-end.js', 'resolve-without-writing.js'].flatMap((file) =>
    onRuntimes([...BOTH], {
      target: `${S}/${file}`, timeout: 1, invocations: 2, status: 1,
      outcomes: [{ outcome: 'timeout' }, { outcome: 'timeout' }],
      codes: ['STREAM_NOT_ENDED'],
      check: (result) => {
        expect(result.invocations.map((i: any) => i.environment), 'a timeout resets the environment').toEqual([1, 2]);
        // Pointed at the handler that streams: where awslambda.streamifyResponse wrapped it.
        expect(result.findings[0].location).toMatchObject({ file: `${S}/${file}`, line: 3 });
      },
    }),
  ),

  // After the body: the legacy client asks for the next event only once the loop is empty.
  {
    target: `${S}/end-with-pending-timer.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 0, codes: [],
    check: (result) => {
      streamed('done')(result);
      expect(result.output.stdout.match(/timer fired/g), 'each timer ran before the freeze').toHaveLength(2);
      // The 300 ms timer was set just before the body ended; the next request waited for it.
      for (const invocation of result.invocations) expect(invocation.waitedForLoopMs).toBeGreaterThanOrEqual(250);
    },
  },
  {
    target: `${S}/end-with-pending-timer.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 2, status: 0,
    codes: ['PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: `${S}/end-with-pending-timer.js`, line: 4, createdIn: 'invocation', invocation: 1, kind: 'timer' }],
    check: (result) => {
      streamed('done')(result);
      expect(result.invocations.map((i: any) => i.waitedForLoopMs), '4.x asks for the next event at once').toEqual([null, null]);
    },
  },
  {
    target: `${S}/end-with-interval.js`, runtime: 'nodejs22.x', timeout: 1, invocations: 2, status: 1,
    codes: ['TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'],
    resources: [{ code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', file: `${S}/end-with-interval.js`, line: 4, createdIn: 'invocation', invocation: 1, kind: 'interval' }],
    check: (result) => {
      streamed('done')(result);
      expect(result.invocations.map((i: any) => i.environment), 'the environment is reset at the deadline').toEqual([1, 2]);
      expect(result.findings[0].hint).toContain('clearInterval() it before ending the response stream');
    },
  },
  {
    target: `${S}/end-with-interval.js`, runtime: 'nodejs24.x', timeout: 1, invocations: 2, status: 0,
    codes: ['PENDING_AT_FREEZE'], mayAlsoHave: ['RAN_AFTER_THAW'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: `${S}/end-with-interval.js`, line: 4, createdIn: 'invocation', invocation: 1, kind: 'interval' }],
    check: (result) => {
      streamed('done')(result);
      expect(result.invocations.map((i: any) => i.environment), 'the environment stays warm').toEqual([1, 1]);
    },
  },
  ...onRuntimes([...BOTH], {
    target: `${S}/nowait-interval.js`, timeout: 1, invocations: 2, status: 0,
    codes: ['PENDING_AT_FREEZE', 'RAN_AFTER_THAW'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: `${S}/nowait-interval.js`, line: 5, createdIn: 'invocation', invocation: 1, kind: 'interval' }],
    check: streamed('done'),
  }),

  // An exception mid-stream: the legacy client posts it and exits 129, 4.x just exits 1.
  {
    target: `${S}/uncaught-mid-stream.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 1,
    outcomes: [{ outcome: 'error', error: { errorType: 'Error', errorMessage: 'uncaught mid-stream' } }, { outcome: 'error', error: { errorType: 'Error', errorMessage: 'uncaught mid-stream' } }],
    codes: ['UNCAUGHT_EXCEPTION'],
    check: (result) => expect(result.invocations.map((i: any) => i.environment)).toEqual([1, 2]),
  },
  {
    target: `${S}/uncaught-mid-stream.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 2, status: 1,
    outcomes: [{ outcome: 'runtime-exit', exitCode: 1 }, { outcome: 'runtime-exit', exitCode: 1 }],
    codes: ['UNCAUGHT_EXCEPTION'],
  },
];

testRows('response streaming, as the runtime clients run it', rows);
