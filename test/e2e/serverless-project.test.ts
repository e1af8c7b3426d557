import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';
import { reportErrors } from '../helpers/validators.js';

const CONFIG = 'fixtures/serverless-project/serverless.yml';

const checkService = (...args: string[]) => runCliAsync(['--template', CONFIG, '--invocations', '1', ...args]);

describe('a Serverless Framework service, checked with one command', () => {
  it('runs each Node.js function with the settings it would deploy with and lists the others as skipped', async () => {
    const run = await checkService('--format', 'json');
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    expect(reportErrors(run.json)).toEqual([]);
    const settings = run.json.results.map((r: any) => [r.target, r.runtime, r.timeoutMs, r.memoryMB, r.verdict]);
    expect(settings).toEqual([
      ['hello (fixtures/serverless-project/src/hello.handler)', 'nodejs22.x', 2000, 256, 'pass'],
      ['orders (fixtures/serverless-project/src/orders.handler)', 'nodejs20.x', 1000, 1024, 'fail'],
      ['typed (fixtures/serverless-project/src/typed.handler)', 'nodejs24.x', 2000, 1024, 'pass'],
      ['python (fixtures/serverless-project/app.handler)', 'python3.12', 2000, 1024, 'skipped'],
      ['container', 'image', 2000, 1024, 'skipped'],
    ]);
    const [hello, orders, typed] = run.json.results;

    // The provider's variables under the function's own; variables resolved where a check can, placeholders where only a deploy could.
    expect(hello.invocations[0].response).toEqual({
      env: {
        STAGE: 'test',
        TABLE: 'shop-test-orders',
        REGION: 'eu-west-1',
        SECRET: '<${ssm:/shop/secret}>',
        GREETING: 'hello from config.json',
        FALLBACK: 'from-fallback',
        OWN: 'mine',
      },
      functionName: 'shop-test-hello',
      memorySize: '256',
    });

    const timeout = orders.findings.find((f: any) => f.code === 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
    expect(timeout.resources[0].location).toMatchObject({ file: 'fixtures/serverless-project/src/orders.js', line: 3 });
    expect(orders.invocations[0].error.errorMessage).toBe('Task timed out after 1.00 seconds');

    // Only the TypeScript source exists: checked from it, the finding at its line.
    expect(typed.handlerFile).toBe('fixtures/serverless-project/src/typed.ts');
    const pending = typed.findings.find((f: any) => f.code === 'PENDING_AT_FREEZE');
    expect(pending.resources[0].location).toMatchObject({ file: 'fixtures/serverless-project/src/typed.ts', line: 8 });
  });

  it('lets command-line flags override every function\'s own settings', async () => {
    const run = await checkService('--format', 'json', '--runtime', 'nodejs22.x', '--timeout', '3', '--memory', '512', '--env', 'OWN=flag');
    expect(run.status, run.stderr).toBe(1);
    const checked = run.json.results.filter((r: any) => r.verdict !== 'skipped');
    expect(checked.map((r: any) => [r.runtime, r.timeoutMs, r.memoryMB])).toEqual(Array(3).fill(['nodejs22.x', 3000, 512]));
    expect(checked[0].invocations[0].response.env.OWN).toBe('flag');
  });

  it('reports a service for another cloud as a usage error, in one line', async () => {
    const run = await runCliAsync(['--template', 'fixtures/serverless-project/other-cloud.yml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("lambda-hang-check: --template 'fixtures/serverless-project/other-cloud.yml': provider.name is 'azure'; only AWS Lambda services are checked\n");
  });
});
