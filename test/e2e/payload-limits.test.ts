// Lambda's payload limits (README "Payload limits"): a response over 6,291,556 bytes (200 MB
// streamed) fails the invocation with Function.ResponseSizeTooLarge, and the environment stays
// warm (both client lines ask for the next event after the 413: conformance/README.md); an
// event over 6 MB cannot be sent at all, one over 1 MB only synchronously. Large payloads
// cross the harness's pipes in linear time, and a deeply nested event runs as on Lambda.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onRuntimes, runCliAsync, testRows, type Row } from '../helpers/run-cli.js';

const P = 'fixtures/payload';
const tooLarge = (bytes: number, limit: number) => ({
  outcome: 'error' as const,
  error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${limit} bytes).` },
});
const warm = (result: any): void => {
  expect(result.invocations.map((i: any) => i.environment), 'the environment stays warm after the 413').toEqual([1, 1]);
};

// JSON of an 8 MiB string: the string and its two quotes.
const EIGHT_MIB = 8 * 1024 * 1024 + 2;
const rows: Row[] = [
  ...onRuntimes(['nodejs22.x', 'nodejs24.x'], {
    target: 'fixtures/conformance/response-too-large.js', timeout: 2, invocations: 2, status: 1,
    outcomes: [tooLarge(EIGHT_MIB, 6291556), tooLarge(EIGHT_MIB, 6291556)],
    codes: ['RESPONSE_TOO_LARGE'],
    at: [{ code: 'RESPONSE_TOO_LARGE', file: 'fixtures/conformance/response-too-large.js', line: 3 }],
    check: warm,
  }),
  {
    target: `${P}/callback-response-too-large.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 1,
    // {"items":"…"}: 7 MiB and 12 bytes of JSON around it.
    outcomes: [tooLarge(7 * 1024 * 1024 + 12, 6291556), tooLarge(7 * 1024 * 1024 + 12, 6291556)],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'RESPONSE_TOO_LARGE'],
    at: [{ code: 'RESPONSE_TOO_LARGE', file: `${P}/callback-response-too-large.js`, line: 3 }],
    check: warm,
  },
  // The limit itself is allowed.
  ...onRuntimes(['nodejs22.x', 'nodejs24.x'], {
    target: `${P}/response-at-limit.js`, timeout: 2, invocations: 2, status: 0, codes: [],
    outcomes: [{ outcome: 'response', response: 'x'.repeat(6291554) }, { outcome: 'response', response: 'x'.repeat(6291554) }],
  }),
  // Was TIMEOUT_EVENT_LOOP_BLOCKED: the harness sat in its write of 40 MB while the parent
  // rescanned its buffer for a newline on every chunk.
  ...onRuntimes(['nodejs22.x', 'nodejs24.x'], {
    target: `${P}/response-40mb.mjs`, timeout: 2, invocations: 2, status: 1, args: ['--memory', '2048'],
    outcomes: [tooLarge(40 * 1024 * 1024 + 11, 6291556), tooLarge(40 * 1024 * 1024 + 11, 6291556)],
    codes: ['RESPONSE_TOO_LARGE'],
    at: [{ code: 'RESPONSE_TOO_LARGE', file: `${P}/response-40mb.mjs`, line: 3 }],
    check: warm,
  }),
  // Only the handler's own values can make a report message that large: they are cut for the
  // report, so the message stays under the parent's limit (it used to be dropped in silence).
  ...onRuntimes(['nodejs22.x', 'nodejs24.x'], {
    target: `${P}/huge-error-message.js`, timeout: 2, invocations: 2, status: 0, args: ['--memory', '2048'],
    codes: ['HANDLER_ERROR'],
    at: [{ code: 'HANDLER_ERROR', file: `${P}/huge-error-message.js`, line: 4 }],
    check: (result) => {
      for (const invocation of result.invocations) {
        expect(invocation.outcome).toBe('error');
        expect(invocation.environment).toBe(1);
        expect(invocation.error.errorMessage).toBe(`${'m'.repeat(1024 * 1024)}… (${40 * 1024 * 1024} characters in all; cut by lambda-hang-check)`);
      }
    },
  }),
  // Counted, not kept: the harness holds the first MiB of a streamed body only.
  ...onRuntimes(['nodejs22.x', 'nodejs24.x'], {
    target: `${P}/streamed-too-large.js`, timeout: 2, invocations: 1, status: 1,
    outcomes: [tooLarge(201 * 1024 * 1024, 200 * 1024 * 1024)],
    codes: ['RESPONSE_TOO_LARGE'],
    // Where awslambda.streamifyResponse was given the handler.
    at: [{ code: 'RESPONSE_TOO_LARGE', file: `${P}/streamed-too-large.js`, line: 4 }],
  }),
];

testRows('responses over Lambda\'s payload limits', rows);

describe('events and Lambda\'s payload limits', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhc-payload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A JSON string event of exactly `bytes` bytes. */
  const eventOf = (bytes: number): string => JSON.stringify('e'.repeat(bytes - 2));

  it('refuses an event over 6,291,456 bytes with one line and exit 2, from a file or standard input', async () => {
    const file = path.join(dir, 'over-6mb.json');
    writeFileSync(file, eventOf(6 * 1024 * 1024 + 1));
    const run = await runCliAsync(['fixtures/async-clean.js', '--event', file]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`lambda-hang-check: event file '${file}' is 6291457 bytes, over the 6291456 bytes (6 MB) Lambda accepts for a synchronous invocation: Lambda would refuse the request before the handler runs\n`);
    const piped = await runCliAsync(['fixtures/async-clean.js', '--event', '-'], { input: eventOf(6 * 1024 * 1024 + 1) });
    expect(piped.status).toBe(2);
    expect(piped.stderr.split('\n')).toHaveLength(2);
    expect(piped.stderr).toBe('lambda-hang-check: the event on standard input is over the 6291456 bytes (6 MB) Lambda accepts for a synchronous invocation: Lambda would refuse the request before the handler runs\n');
  });

  it('runs an event of exactly 6,291,456 bytes, with a note that asynchronous invocations would reject it', async () => {
    const file = path.join(dir, 'exactly-6mb.json');
    writeFileSync(file, eventOf(6 * 1024 * 1024));
    const run = await runCliAsync(['fixtures/async-clean.js', '--event', file, '--format', 'json', '--invocations', '1']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.json.results[0].invocations[0].outcome).toBe('response');
    expect(run.stderr).toBe(`lambda-hang-check: note: event file '${file}' is 6291456 bytes, over the 1048576 bytes (1 MB) of an asynchronous invocation: S3, SNS, EventBridge or SQS could not deliver it; checked as a synchronous invocation\n`);
  });

  it('says nothing about an event of 1 MB or less', async () => {
    const run = await runCliAsync(['fixtures/async-clean.js', '--event', '-', '--invocations', '1'], { input: eventOf(1024 * 1024) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('applies the same limits to a function\'s own event (--event Name=file)', async () => {
    const over = path.join(dir, 'orders-over.json');
    writeFileSync(over, eventOf(6 * 1024 * 1024 + 1));
    const refused = await runCliAsync(['--template', 'fixtures/events-project/template.yaml', '--event', `OrdersFunction=${over}`]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`lambda-hang-check: event file '${over}' is 6291457 bytes, over the 6291456 bytes (6 MB) Lambda accepts for a synchronous invocation: Lambda would refuse the request before the handler runs\n`);
    const noted = path.join(dir, 'orders-2mb.json');
    writeFileSync(noted, eventOf(2 * 1024 * 1024));
    const run = await runCliAsync(['--template', 'fixtures/events-project/template.yaml', '--event', `OrdersFunction=${noted}`, '--invocations', '1']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe(`lambda-hang-check: note: event file '${noted}' is 2097152 bytes, over the 1048576 bytes (1 MB) of an asynchronous invocation: S3, SNS, EventBridge or SQS could not deliver it; checked as a synchronous invocation\n`);
  });

  // Both runtime clients JSON.parse the body of /next, which takes any depth; only
  // JSON.stringify overflows the stack (at a few thousand levels).
  it.each(['nodejs22.x', 'nodejs24.x'])('hands a 100,000-deep event to the handler on %s, as the runtime client does', async (runtime) => {
    const depth = 100_000;
    const run = await runCliAsync([`${P}/deep-event.js`, '--runtime', runtime, '--event', '-', '--format', 'json', '--invocations', '2'], { input: '['.repeat(depth) + ']'.repeat(depth) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.json.results[0].invocations.map((i: any) => i.response)).toEqual([{ depth }, { depth }]);
    expect(run.json.results[0].findings).toEqual([]);
  });
});

// The parent reads at most 64 MiB per message from fd 4 (protocol.ts): a longer line is
// neither buffered without bound nor dropped in silence, it ends the environment, and says so.
testRows('a line on the report pipe past the largest message', [
  {
    target: `${P}/endless-line-on-fd4.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 1,
    outcomes: [{ outcome: 'runtime-exit' }],
    codes: ['RUNTIME_EXIT'],
    check: (result) => {
      expect(result.findings[0].message).toMatch(/^A message on file descriptor 4, which lambda-hang-check reads its harness's reports from, passed 67108864 bytes \(\d+ seen\) without ending; the check ended the process there/);
      expect(result.findings[0].hint).toBe('Write nothing to file descriptors 3 and 4: on Lambda they belong to the runtime, here to the check.');
    },
  },
]);
