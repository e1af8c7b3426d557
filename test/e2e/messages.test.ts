// What the reports say, in words: export names for a missing handler, multi-line errors,
// grouped findings and the counts that follow them, invocations after a failed Init, and
// sentences about an invocation that answered with an error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCliAsync } from '../helpers/run-cli.js';
import { reportErrors } from '../helpers/validators.js';

const out = mkdtempSync(path.join(tmpdir(), 'lhc-messages-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const initErrorOf = (json: any) => json.results[0].findings.find((f: any) => f.code === 'INIT_ERROR');

describe('Runtime.HandlerNotFound: what the module exports, and how to name it', () => {
  it('for a file target: file#name or --export, while the posted error stays the runtime\'s', async () => {
    const run = await runCliAsync(['fixtures/handler-missing-export.js', '--format', 'json', '--invocations', '1', '--runtime', 'nodejs22.x']);
    expect(run.status, run.stderr).toBe(1);
    expect(run.json.results[0].init.error.errorMessage).toBe('handler-missing-export.handler is undefined or not exported');
    const finding = initErrorOf(run.json);
    expect(finding.message).toBe('Init failed with Runtime.HandlerNotFound: handler-missing-export.handler is undefined or not exported. The module exports: main().');
    expect(finding.hint).toBe('Name its one function: `fixtures/handler-missing-export.js#main` (or `--export main`).');
  });

  it('for an ES module on nodejs24.x, and for a value that is not a function', async () => {
    const esm = await runCliAsync(['fixtures/esm-handler.mjs#nope', '--format', 'json', '--invocations', '1', '--runtime', 'nodejs24.x']);
    expect(esm.status, esm.stderr).toBe(1);
    expect(initErrorOf(esm.json).hint).toBe('Name its one function: `fixtures/esm-handler.mjs#handler` (or `--export handler`).');
    const notFunction = await runCliAsync(['fixtures/handler-not-a-function.js', '--format', 'json', '--invocations', '1', '--runtime', 'nodejs22.x']);
    expect(notFunction.status, notFunction.stderr).toBe(1);
    expect(initErrorOf(notFunction.json).message).toMatch(/is not a function\. The module exports no function; its exports: handler\.$/);
  });

  it('for --handler: the handler string to use', async () => {
    const run = await runCliAsync(['--handler', 'multi-export.nope', '--task-root', 'fixtures', '--format', 'json', '--invocations', '1', '--runtime', 'nodejs22.x']);
    expect(run.status, run.stderr).toBe(1);
    expect(initErrorOf(run.json).message).toMatch(/The module exports: api\(\), jobs\.$/);
    expect(initErrorOf(run.json).hint).toBe('Name its one function: `--handler multi-export.api`.');
  });

  it("for a template function: the Handler to set", async () => {
    const template = path.join(out, 'template.yaml');
    const codeUri = path.join(repoRoot, 'fixtures/events-project/src');
    writeFileSync(template, `Resources:\n  EchoFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      CodeUri: ${codeUri}\n      Handler: echo.main\n`);
    const run = await runCliAsync(['--template', template, '--format', 'json', '--invocations', '1']);
    expect(run.status, run.stderr).toBe(1);
    expect(initErrorOf(run.json).hint).toBe("Name its one function: set the function's handler to `echo.handler`.");
  });
});

describe('invocations after a failed Init', () => {
  it('are errors with the init error, as Lambda answers each request, said once in the text', async () => {
    const json = await runCliAsync(['fixtures/init-require-missing-package.js', '--format', 'json', '--invocations', '2', '--runtime', 'nodejs22.x']);
    expect(json.status, json.stderr).toBe(1);
    expect(reportErrors(json.json)).toEqual([]);
    const [result] = json.json.results;
    expect(result.invocations.map((i: any) => [i.outcome, i.completedBy, i.error.errorType])).toEqual([
      ['error', 'init-error', 'Runtime.ImportModuleError'],
      ['error', 'init-error', 'Runtime.ImportModuleError'],
    ]);
    expect(result.findings.map((f: any) => f.code)).toEqual(['INIT_ERROR']);

    const text = await runCliAsync(['fixtures/init-require-missing-package.js', '--invocations', '2', '--runtime', 'nodejs22.x']);
    expect(text.status, text.stderr).toBe(1);
    const lines = text.stdout.split('\n');
    // The require stack under the message, indented, never a literal \n.
    expect(lines).toContain("  init failed: Runtime.ImportModuleError: Error: Cannot find module 'lhc-fixture-missing-package'");
    expect(lines).toContain('      Require stack:');
    expect(lines).toContain('  #1–#2 error: the init error, which Lambda returns to each request (it runs Init again for the next)');
    expect(text.stdout).not.toContain('\\n');
    expect(lines.at(-2)).toBe('1 target: 1 failed, 0 passed; 1 error');
  });
});

describe('grouped findings and the counts that follow them', () => {
  it('shows the same handler error of every invocation once, and says the error was posted', async () => {
    const run = await runCliAsync(['fixtures/error-with-pending-interval.js', '--invocations', '2', '--runtime', 'nodejs22.x', '--timeout', '2']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('info  HANDLER_ERROR  The invocation returned an error (invocations 1, 2)\n    The invocation returned Error: payment declined\n    at fixtures/error-with-pending-interval.js:5:9');
    expect(run.stdout).toMatch(/PENDING_AT_FREEZE {2}Work was still pending when the result was posted \(invocations 1, 2\)\n {4}The error of invocation 1 was posted while an interval it started was still pending;/);
    expect(run.stdout.match(/HANDLER_ERROR {2}/g)).toHaveLength(1);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 target: 0 failed, 1 passed; 1 warning, 1 info');
  });

  it('shows a response held back in every invocation once, its durations as a range, and the --output summary counts the same', async () => {
    const report = path.join(out, 'delayed.json');
    const run = await runCliAsync(['fixtures/callback-short-timer.js', '--invocations', '3', '--runtime', 'nodejs22.x', '--timeout', '2', '--format', 'json', '--output', report]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('lambda-hang-check: 1 target: 0 failed, 1 passed; 2 warnings\n');
    const text = await runCliAsync(['fixtures/callback-short-timer.js', '--invocations', '3', '--runtime', 'nodejs22.x', '--timeout', '2']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/RESPONSE_DELAYED_BY_EVENT_LOOP {2}Callback response held back by pending work \(invocations 1, 2, 3\)\n {4}The response was held back \d+(–\d+)? ms after callback/);
    expect(text.stdout).toContain("fix: The response waited for a timer to finish.");
  });
});

describe('usage errors over several lines', () => {
  it("indents commander's suggestion under the message", async () => {
    const run = await runCliAsync(['fixtures/async-clean.js', '--formt', 'json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("lambda-hang-check: unknown option '--formt'\n  (Did you mean --format?)\n");
  });
});
