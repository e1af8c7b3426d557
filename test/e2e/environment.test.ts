import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';

const fixture = 'fixtures/environment-echo.js';

describe('the simulated environment', () => {
  it('passes events from a file, inline JSON and standard input, the last one repeating', async () => {
    const fromFile = await runCliAsync(['-f', 'json', '-t', '2', '-n', '3', '-e', 'fixtures/events/order.json', '-e', '{"step":2}', fixture]);
    expect(fromFile.status).toBe(0);
    const responses = fromFile.json.results[0].invocations.map((i: { response: { event: unknown } }) => i.response.event);
    expect(responses).toEqual([{ orderId: 42 }, { step: 2 }, { step: 2 }]);

    const fromStdin = await runCliAsync(['-f', 'json', '-t', '2', '-n', '1', '-e', '-', fixture], { input: '{"piped":true}' });
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.json.results[0].invocations[0].response.event).toEqual({ piped: true });
  });

  it('sets the function environment from --env and --env-file, and nothing of the tool leaks into it', async () => {
    const run = await runCliAsync(['-f', 'json', '-t', '2', '-n', '1', '--env', 'GREETING=hi=there', '--env-file', 'fixtures/events/function.env', fixture]);
    expect(run.status).toBe(0);
    expect(run.json.results[0].invocations[0].response).toMatchObject({
      greeting: 'hi=there',
      fromFile: 'yes',
      quoted: 'a b',
      functionName: 'environment-echo',
      memorySize: '128',
      handlerEnv: 'environment-echo.handler',
      region: 'us-east-1',
      tz: 'UTC',
      metadataDisabled: 'true',
      toolConfigLeaked: false,
      hasProcessSend: false,
    });
  });

  it('counts getRemainingTimeInMillis down from --timeout and builds a fresh context per invocation', async () => {
    const run = await runCliAsync(['-f', 'json', '-t', '2', '-n', '2', fixture]);
    expect(run.status).toBe(0);
    const [first, second] = run.json.results[0].invocations.map((i: { response: unknown }) => i.response);
    expect(first.remainingBelowTimeout).toBe(true);
    expect(first.countdownMs).toBeGreaterThanOrEqual(40);
    expect(first.sameContext).toBe(false);
    expect(second.sameContext).toBe(false);
  });

  it('sizes the heap for --memory as Lambda does', async () => {
    const small = await runCliAsync(['-f', 'json', '-t', '2', '-n', '1', '--memory', '128', fixture]);
    const large = await runCliAsync(['-f', 'json', '-t', '2', '-n', '1', '--memory', '1024', fixture]);
    const limit = (run: typeof small) => run.json.results[0].invocations[0].response.heapLimitMB;
    expect(small.json.results[0].memoryMB).toBe(128);
    expect(large.json.results[0].invocations[0].response.memorySize).toBe('1024');
    // 90 % of the memory goes to the old generation, and the young generation (three semi-spaces) comes on top.
    expect(limit(small)).toBeGreaterThan(110);
    expect(limit(small)).toBeLessThan(160);
    expect(limit(large)).toBeGreaterThan(900);
    expect(limit(large)).toBeLessThan(1200);
  });
});
