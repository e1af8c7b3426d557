import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';

const check = (...args: string[]) => runCliAsync(['--format', 'json', '--timeout', '2', '--invocations', '1', ...args]);

describe('choosing the export', () => {
  it('takes file#export, --export with a nested path, and reports a missing export as the runtime does', async () => {
    const [api, nightly, missing] = await Promise.all([
      check('fixtures/multi-export.js#api'),
      check('--export', 'jobs.nightly', 'fixtures/multi-export.js'),
      check('fixtures/multi-export.js#nope'),
    ]);
    expect(api.status).toBe(0);
    expect(api.json.results[0].target).toBe('fixtures/multi-export.js#api');
    expect(api.json.results[0].invocations[0].response).toEqual({ from: 'api', path: null });
    expect(nightly.status).toBe(0);
    expect(nightly.json.results[0].invocations[0].response).toEqual({ from: 'jobs.nightly' });
    expect(missing.status).toBe(1);
    expect(missing.json.results[0].init.error).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'multi-export.nope is undefined or not exported',
    });
  });
});

describe('TypeScript targets', () => {
  it('compiles the same handler for checks running side by side without one loading another half-written', async () => {
    // Each check compiles to the same cached path; written in place, a child could load a
    // truncated file and find no handler (seen in CI as Runtime.HandlerNotFound).
    const runs = await Promise.all(
      Array.from({ length: 10 }, () => runCliAsync(['fixtures/typescript-interval.ts', '--runtime', 'nodejs22.x', '--format', 'json', '-n', '1', '--timeout', '1'])),
    );
    for (const run of runs) expect(run.json.results[0].init).toMatchObject({ ok: true });
  });

  it('maps a resource created in an imported .ts file back to that file and line (.mts)', async () => {
    const run = await check('fixtures/typescript/handler.mts');
    expect(run.status).toBe(0);
    const finding = run.json.results[0].findings.find((f: { code: string }) => f.code === 'PENDING_AT_FREEZE');
    expect(finding.resources[0]).toMatchObject({ kind: 'interval', createdIn: 'invocation', invocation: 1 });
    expect(finding.resources[0].location).toMatchObject({ file: 'fixtures/typescript/clock.ts', line: 5 });
  });

  it('loads a CommonJS .cts handler with the rules of each runtime line', async () => {
    const [legacy, v24] = await Promise.all([
      check('--runtime', 'nodejs22.x', 'fixtures/typescript/legacy.cts'),
      check('--runtime', 'nodejs24.x', 'fixtures/typescript/legacy.cts'),
    ]);
    expect(legacy.status).toBe(0);
    expect(legacy.json.results[0].invocations[0].response).toEqual({ ok: true });
    expect(v24.status).toBe(1);
    expect(v24.json.results[0].init.error.errorType).toBe('Runtime.CallbackHandlerDeprecated');
  });

  it('reports TypeScript that does not compile as Runtime.UserCodeSyntaxError at its line', async () => {
    const run = await check('fixtures/typescript/broken.ts');
    expect(run.status).toBe(1);
    const [result] = run.json.results;
    expect(result.init.error.errorType).toBe('Runtime.UserCodeSyntaxError');
    const finding = result.findings.find((f: { code: string }) => f.code === 'INIT_ERROR');
    expect(finding.location).toMatchObject({ file: 'fixtures/typescript/broken.ts', line: 5 });
    expect(result.invocations[0]).toMatchObject({ outcome: 'error', completedBy: 'init-error', error: { errorType: 'Runtime.UserCodeSyntaxError' } });
  });
});

describe('bundled JavaScript with a source map', () => {
  it.each([
    ['a linked .map file', 'fixtures/bundled/build/handler.js'],
    ['an inline data: URL', 'fixtures/bundled/build-inline/handler.js'],
  ])('reports at the TypeScript lines the bundle was built from (%s)', async (_, bundle) => {
    const run = await check(bundle);
    expect(run.status, run.stderr).toBe(0);
    const finding = run.json.results[0].findings.find((f: { code: string }) => f.code === 'PENDING_AT_FREEZE');
    expect(finding.location).toEqual({ file: 'fixtures/bundled/src/audit.ts', line: 9, column: 3 });
    expect(finding.resources[0].stack.slice(0, 2)).toEqual([
      { function: 'scheduleAudit', file: 'fixtures/bundled/src/audit.ts', line: 9, column: 3 },
      { function: 'handler', file: 'fixtures/bundled/src/handler.ts', line: 6, column: 3 },
    ]);
  });

  it('checks a CDK app\'s synthesised function from its asset, named after its construct, at its source lines', async () => {
    const run = await runCliAsync(['--template', 'fixtures/cdk-project/cdk.out/ShopStack.template.json', '--format', 'json', '--invocations', '1']);
    expect(run.status, run.stderr).toBe(1);
    const [orders] = run.json.results;
    expect([orders.target, orders.runtime, orders.timeoutMs, orders.verdict]).toEqual(['ShopStack/OrdersFunction (index.handler)', 'nodejs20.x', 1000, 'fail']);
    expect(orders.handlerFile).toMatch(/^fixtures\/cdk-project\/cdk\.out\/asset\.[0-9a-f]{64}\/index\.js$/);
    const timeout = orders.findings.find((f: { code: string }) => f.code === 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
    expect(timeout.resources[0].location).toEqual({ file: 'fixtures/cdk-project/lib/functions/orders.ts', line: 3, column: 1 });
  });
});

describe('layers', () => {
  it.each([
    ['a SAM template (a LayerVersion with a local ContentUri; a layer ARN is left out)', 'fixtures/layers-project/template.yaml', 'nodejs22.x'],
    ['a serverless.yml (the service\'s own layer, by its SharedLambdaLayer logical ID)', 'fixtures/layers-project/serverless.yml', 'nodejs24.x'],
  ])('finds a package only the layer has, through NODE_PATH as under /opt (%s)', async (_, template, runtime) => {
    const run = await runCliAsync(['--template', template, '--format', 'json', '--invocations', '1']);
    expect(run.status, run.stderr).toBe(0);
    const [result] = run.json.results;
    expect(result.runtime).toBe(runtime);
    // The layer's nodejs/node<major>/node_modules and nodejs/node_modules, then the task root.
    expect(result.invocations[0].response).toEqual({ message: 'hello, layers, from the shared layer', nodePath: 3 });
  });

  it('lets an ES module import a package only the layer has, as Lambda\'s runtimes search NODE_PATH for ES modules too', async () => {
    const run = await runCliAsync(['--template', 'fixtures/layers-project/template.yaml', '--format', 'json', '--invocations', '1']);
    expect(run.status, run.stderr).toBe(0);
    const esm = run.json.results.filter((result: any) => result.target.startsWith('GreetEsm'));
    expect(esm.map((result: any) => [result.runtime, result.invocations[0].response])).toEqual([
      ['nodejs22.x', { message: 'hello, ES modules, from the shared layer', node: '22' }],
      ['nodejs20.x', { message: 'hello, ES modules, from the shared layer', node: '20' }],
    ]);
  });

  it('fails Init without its layer, as on Lambda', async () => {
    const run = await check('fixtures/layers-project/src/app.js');
    expect(run.status).toBe(1);
    expect(run.json.results[0].init.error).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: expect.stringContaining("Cannot find module 'shared-greeting'") });
  });
});
