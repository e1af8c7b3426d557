import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';
import { reportErrors, sarifErrors } from '../helpers/validators.js';

const TEMPLATE = 'fixtures/sam-project/template.yaml';
const out = mkdtempSync(path.join(tmpdir(), 'lhc-sam-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const checkTemplate = (...args: string[]) => runCliAsync(['--template', TEMPLATE, '--invocations', '1', ...args]);

describe('a SAM project, checked with one command', () => {
  it('runs each Node.js function with its own settings and lists the others as skipped', async () => {
    const run = await checkTemplate('--format', 'json');
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    expect(reportErrors(run.json)).toEqual([]);
    const settings = run.json.results.map((r: any) => [r.target, r.runtime, r.timeoutMs, r.memoryMB, r.verdict]);
    expect(settings).toEqual([
      ['HelloFunction (fixtures/sam-project/src/hello/app.handler)', 'nodejs22.x', 2000, 256, 'pass'],
      ['OrdersFunction (fixtures/sam-project/src/orders/index.handler)', 'nodejs20.x', 1000, 512, 'fail'],
      ['TypeScriptFunction (fixtures/sam-project/src/typescript/app.lambdaHandler)', 'nodejs24.x', 3000, 256, 'pass'],
      ['ReportsFunction (fixtures/sam-project/src/reports/reports.handler)', 'nodejs22.x', 4000, 1024, 'pass'],
      ['PythonFunction (fixtures/sam-project/src/python/app.handler)', 'python3.12', 10000, 256, 'skipped'],
      ['ContainerFunction', 'image', 2000, 256, 'skipped'],
    ]);
    const [hello, orders, typescript, reports, python] = run.json.results;

    // Globals merged with the function's own variables; intrinsics resolved where a template can, placeholders where only a stack could.
    expect(hello.invocations[0].response).toEqual({
      env: {
        STAGE: 'test',
        LOG_LEVEL: 'debug',
        SHARED: 'from-globals',
        TABLE: '<!Ref OrdersTable>',
        TABLE_ARN: '<!GetAtt OrdersTable.Arn>',
        GREETING: 'hello from us-east-1 on test',
        QUEUE_URL: '<!ImportValue shared-queue-url>',
        MODE: '<!If …>',
        ZONES: '<!Join …>',
        FIRST: 'a',
        ENCODED: 'aGVsbG8=',
        SUBNET: '<!Select …>',
        ALARMS: '<!Ref AlarmEmail>',
        UNSET: null,
      },
      functionName: 'HelloFunction',
      memorySize: '256',
    });
    expect(orders.findings.map((f: any) => f.code)).toContain('TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
    expect(orders.invocations[0].error.errorMessage).toBe('Task timed out after 1.00 seconds');
    // Checked from the TypeScript source esbuild would bundle, the finding mapped to the imported .ts file.
    expect(typescript.invocations[0].response).toEqual({ message: 'hello, typescript', shared: 'overridden' });
    expect(typescript.handlerFile).toBe('fixtures/sam-project/src/typescript/app.ts');
    const pending = typescript.findings.find((f: any) => f.code === 'PENDING_AT_FREEZE');
    expect(pending.resources[0].location).toMatchObject({ file: 'fixtures/sam-project/src/typescript/greeting.ts', line: 7 });
    expect(reports.invocations[0].response).toEqual({ bucket: 'test-reports-123456789012', memorySize: '1024' });
    expect(python.skipReason).toBe('runtime python3.12 is not Node.js');
    expect(python.invocations).toEqual([]);
  });

  it('lets command-line flags override every function\'s own settings', async () => {
    const run = await checkTemplate('--format', 'json', '--runtime', 'nodejs22.x', '--timeout', '2', '--memory', '1024', '--env', 'SHARED=flag');
    expect(run.status, run.stderr).toBe(1);
    const checked = run.json.results.filter((r: any) => r.verdict !== 'skipped');
    expect(checked.map((r: any) => [r.runtime, r.timeoutMs, r.memoryMB])).toEqual(Array(4).fill(['nodejs22.x', 2000, 1024]));
    expect(checked[0].invocations[0].response.env.SHARED).toBe('flag');
  });

  it('writes SARIF that validates, JUnit that parses and GitHub annotations, each with --output', async () => {
    const files = { sarif: path.join(out, 'r.sarif'), junit: path.join(out, 'r.xml'), github: path.join(out, 'r.txt') };
    for (const [format, file] of Object.entries(files)) {
      const run = await checkTemplate('--format', format, '--output', file);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toBe('');
      // The third warning is RUNTIME_DEPRECATED of the nodejs20.x function.
      expect(run.stderr).toBe('lambda-hang-check: 6 targets: 1 failed, 3 passed, 2 skipped; 1 error, 3 warnings\n');
    }
    const sarif = JSON.parse(readFileSync(files.sarif, 'utf8'));
    expect(sarifErrors(sarif)).toEqual([]);
    const located = sarif.runs[0].results.map((r: any) => `${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`);
    expect(located).toContain('TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP fixtures/sam-project/src/orders/index.js:3');
    expect(located).toContain('PENDING_AT_FREEZE fixtures/sam-project/src/typescript/greeting.ts:7');

    const xml = readFileSync(files.junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    expect(junit.testsuites).toMatchObject({ tests: '6', failures: '1', skipped: '2' });
    expect(junit.testsuites.testsuite[1].testcase.failure.type).toBe('TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');

    const lines = readFileSync(files.github, 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice)( [a-zA-Z]+=[^,:\r\n]*(,[a-zA-Z]+=[^,:\r\n]*)*)?::[^\r\n]*$/);
    expect(lines).toContainEqual(expect.stringMatching(/^::error file=fixtures\/sam-project\/src\/orders\/index\.js,line=3,col=1,title=TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP::OrdersFunction/));
  });

  it('reports a template that does not parse as could-not-run, in one line', async () => {
    const run = await runCliAsync(['--template', 'fixtures/sam-project/src/python/app.py']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^lambda-hang-check: --template 'fixtures\/sam-project\/src\/python\/app\.py' (does not parse|is not a template|has no Resources)/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
