// `--event <FunctionName>=<file|json|->`: an event for one function of a template, beside the
// plain `--event` every other function gets.
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';

const TEMPLATE = 'fixtures/events-project/template.yaml';
const responses = (json: any) => Object.fromEntries(json.results.map((result: any) => [result.target.split(' ')[0], result.invocations.map((i: any) => i.response.event)]));

describe('--event FunctionName=<file>', () => {
  it('gives one function its own events, in order, and the others the plain ones', async () => {
    const run = await runCliAsync([
      '--template', TEMPLATE, '--format', 'json', '--invocations', '3',
      '--event', 'OrdersFunction=fixtures/events/order.json',
      '--event', 'OrdersFunction={"orderId":43}',
      '--event', '{"plain":true}',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(responses(run.json)).toEqual({
      // The last event of a function repeats, as the plain form's does.
      OrdersFunction: [{ orderId: 42 }, { orderId: 43 }, { orderId: 43 }],
      ReportsFunction: [{ plain: true }, { plain: true }, { plain: true }],
    });
  });

  it('takes inline JSON and standard input after the name; functions without an event get {}', async () => {
    const run = await runCliAsync(['--template', TEMPLATE, '--format', 'json', '--invocations', '1', '--event', 'ReportsFunction=-'], { input: '{"reportId":7}' });
    expect(run.status, run.stderr).toBe(0);
    expect(responses(run.json)).toEqual({ OrdersFunction: [{}], ReportsFunction: [{ reportId: 7 }] });
  });

  it('rejects a function the template does not have, naming those it has', async () => {
    const run = await runCliAsync(['--template', TEMPLATE, '--event', 'Orders=fixtures/events/order.json']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`lambda-hang-check: --event Orders=…: --template '${TEMPLATE}' has no function 'Orders'; its functions: OrdersFunction, ReportsFunction\n`);
  });

  it('rejects the Name= form without --template; inline JSON with "=" stays an event', async () => {
    const named = await runCliAsync(['fixtures/async-clean.js', '--event', 'OrdersFunction=fixtures/events/order.json']);
    expect(named.status).toBe(2);
    expect(named.stderr).toBe("lambda-hang-check: --event OrdersFunction=…: an event for one function needs --template (and no event file 'OrdersFunction=…' exists)\n");
    const inline = await runCliAsync(['fixtures/events-project/src/echo.js', '--format', 'json', '--invocations', '1', '--event', '{"filter":"a=b"}']);
    expect(inline.status, inline.stderr).toBe(0);
    expect(inline.json.results[0].invocations[0].response.event).toEqual({ filter: 'a=b' });
  });
});
