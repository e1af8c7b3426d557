import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: the conformance scripts are plain .mjs without declarations
import { clientSteps, diffSteps, explain, isTimingDiff, readKnownDifferences, toolSteps } from '../../conformance/compare.mjs';

const step = (durationMs: number, waitedMs?: number) => ({ step: '#1', text: 'response {"ok":true}', durationMs, waitedMs });

describe('conformance timing comparison', () => {
  it('flags a tool that posts at once where the client waited for the loop', () => {
    expect(diffSteps([step(420)], [step(60, 0)])).toEqual([{ step: '#1 timing', client: 'posted late (420 ms)', tool: 'posted at once (60 ms)' }]);
  });

  it('flags a tool that waited for the loop where the client posted at once', () => {
    expect(diffSteps([step(40)], [step(400, 330)])).toHaveLength(1);
  });

  it('does not count a handler that only ran slower under instrumentation', () => {
    expect(diffSteps([step(143)], [step(724, 0)])).toEqual([]);
  });

  it('gives no such excuse to an invocation that ended on an empty loop', () => {
    expect(diffSteps([step(40)], [step(400, undefined)])).toHaveLength(1);
  });

  it('names timing differences apart from differing texts (only those earn a second run)', () => {
    const [timing] = diffSteps([step(420)], [step(60, 0)]);
    expect(isTimingDiff(timing)).toBe(true);
    const [text] = diffSteps([step(40)], [{ ...step(40, 0), text: 'response {"ok":false}' }]);
    expect(isTimingDiff(text)).toBe(false);
  });

  it('compares texts only for a case that opts out of timing', () => {
    expect(diffSteps([step(420)], [step(60, 0)], { compareTiming: false })).toEqual([]);
    expect(diffSteps([step(40)], [{ ...step(40, 0), text: 'timeout' }], { compareTiming: false })).toHaveLength(1);
  });

  it('leaves timings in the noisy middle alone', () => {
    expect(diffSteps([step(200)], [step(600, 400)])).toEqual([]);
  });
});

describe('conformance steps of a streamed response', () => {
  const body = `{"statusCode":201}${'\0'.repeat(8)}created`;
  const expected = `stream application/vnd.awslambda.http-integration-response ${JSON.stringify(body)}`;

  it('renders the client record as stream <content-type> <body as a JSON string>', () => {
    const run = {
      init: { ok: true, error: null },
      invocations: [
        { index: 1, outcome: 'response', durationMs: 12, streaming: true, responseContentType: 'application/vnd.awslambda.http-integration-response', response: body },
        { index: 2, outcome: 'response', durationMs: 3, response: { ok: true } },
      ],
    };
    expect(clientSteps(run, {}).map((s: { text: string }) => s.text)).toEqual(['ok', expected, 'response {"ok":true}']);
  });

  it('renders the tool report the same from its response and responseContentType fields', () => {
    const result = {
      init: { ok: true, error: null },
      invocations: [{ index: 1, outcome: 'response', durationMs: 15, responseContentType: 'application/vnd.awslambda.http-integration-response', response: body }],
    };
    expect(toolSteps(result, {})[1].text).toBe(expected);
  });
});

describe('conformance: when the next event is asked for after a streamed response', () => {
  const stream = (nextWaitMs?: number) => ({ step: '#1', text: 'stream application/octet-stream "done"', durationMs: 5, waitedMs: 0, nextWaitMs });

  it('flags a tool that asks at once where the legacy client waited for the empty loop', () => {
    expect(diffSteps([stream(300)], [stream(0)])).toEqual([{ step: '#1 next', client: 'asked for the next event late (300 ms)', tool: 'asked for the next event at once (0 ms)' }]);
  });

  it('agrees when both waited, or when the client record has no next request to compare', () => {
    expect(diffSteps([stream(305)], [stream(301)])).toEqual([]);
    expect(diffSteps([stream(undefined)], [stream(0)])).toEqual([]);
  });
});

describe('conformance: a 4.x client, which never waits for the loop', () => {
  const options = { clientWaitsForLoop: false };
  const streamStep = (durationMs: number, nextWaitMs?: number) => ({ step: '#1', text: 'stream application/octet-stream "x"', durationMs, waitedMs: 0, nextWaitMs });

  it('does not take its own latency for a rule', () => {
    expect(diffSteps([step(387)], [step(3, 0)], options)).toEqual([]);
    expect(diffSteps([streamStep(5, 346)], [streamStep(5, 0)], options)).toEqual([]);
  });

  it('still flags a tool that waited where the client did not', () => {
    expect(diffSteps([step(40)], [step(400, 330)], options)).toHaveLength(1);
    expect(diffSteps([streamStep(5, 2)], [streamStep(5, 320)], options)).toHaveLength(1);
  });
});

describe('conformance: the table of known differences', () => {
  const rows = readKnownDifferences(fileURLToPath(new URL('../../conformance/known-differences.md', import.meta.url)));
  const rowsOf = (id: string, runtime: string) => rows.filter((row: { id: string; runtime: string }) => row.id === id && row.runtime === runtime);

  it('explains every outcome of the legacy client racing /init/error against /next, as CI saw it', () => {
    const client = [
      { step: 'init', text: 'ok' },
      { step: '#1', text: 'runtime-exit Runtime exited with error: exit status 128' },
      { step: '#2', text: 'error Runtime.UnhandledPromiseRejection: Error: config fetch failed' },
    ];
    const tool = [{ step: 'init', text: 'init-error Runtime.UnhandledPromiseRejection: Error: config fetch failed' }];
    for (const runtime of ['nodejs20.x', 'nodejs22.x']) {
      const { unexplained, stale } = explain(diffSteps(client, tool), rowsOf('fixtures/conformance/init-unhandled-rejection.js', runtime));
      expect(unexplained).toEqual([]);
      expect(stale).toEqual([]);
    }
  });

  it('still fails an outcome no row names', () => {
    const client = [{ step: 'init', text: 'ok' }, { step: '#1', text: 'response {"ok":false}' }];
    const tool = [{ step: 'init', text: 'init-error Runtime.UnhandledPromiseRejection: Error: config fetch failed' }];
    const { unexplained } = explain(diffSteps(client, tool), rowsOf('fixtures/conformance/init-unhandled-rejection.js', 'nodejs20.x'));
    expect(unexplained).toEqual([{ step: '#1', client: 'response {"ok":false}', tool: '(none)' }]);
  });
});
