// Bad command-line input (SPEC.md "Exit codes"): the check cannot run, so exit code 2, one line
// on stderr starting `lambda-hang-check: `, no stack, nothing on stdout, and no handler started.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lhc-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const malformedEvent = path.join(dir, 'malformed.json');
writeFileSync(malformedEvent, '{"orderId": 42,');
const notAHandler = path.join(dir, 'notes.txt');
writeFileSync(notAHandler, 'not a handler');

const CLEAN = 'fixtures/async-clean.js';

/** [title, args, what the one line must say] */
const cases: [string, string[], RegExp][] = [
  ['a target that does not exist', ['fixtures/no-such-handler.js'], /target not found: fixtures\/no-such-handler\.js/],
  ['a target that is a directory', ['fixtures'], /is a directory/],
  ['a target without a handler extension', [notAHandler], /not a handler file \(expected \.js/],
  ['no target at all', [], /no target given/],
  ['an empty export name', [`${CLEAN}#`], /empty export name/],
  ['an event file that does not exist', [CLEAN, '--event', path.join(dir, 'missing.json')], /cannot read event file .*ENOENT/],
  ['an event path that cannot be read as a file', [CLEAN, '--event', dir], /cannot read event file .*EISDIR/],
  ['a malformed event file', [CLEAN, '--event', malformedEvent], /event file .* is not valid JSON/],
  ['malformed inline event JSON', [CLEAN, '--event', '{"a":'], /inline --event is not valid JSON/],
  ['--timeout 0', [CLEAN, '--timeout', '0'], /--timeout must be a whole number from 1 to 900 seconds, not '0'/],
  ['--timeout abc', [CLEAN, '--timeout', 'abc'], /--timeout must be a whole number from 1 to 900 seconds, not 'abc'/],
  ['--timeout 901', [CLEAN, '--timeout', '901'], /--timeout must be a whole number from 1 to 900 seconds, not '901'/],
  ['--timeout 1.5', [CLEAN, '--timeout', '1.5'], /--timeout must be a whole number/],
  ['--invocations 0', [CLEAN, '--invocations', '0'], /--invocations must be a whole number/],
  ['--memory 64', [CLEAN, '--memory', '64'], /--memory must be a whole number from 128/],
  ['an unknown flag', [CLEAN, '--no-such-flag'], /unknown option '--no-such-flag'/],
  ['a flag without its value', [CLEAN, '--timeout'], /argument missing/],
  ['--runtime nodejs12.x', [CLEAN, '--runtime', 'nodejs12.x'], /unknown runtime 'nodejs12\.x'/],
  ['an unknown --format', [CLEAN, '--format', 'xml'], /Allowed choices are text, json/],
  ['an unknown --fail-on', [CLEAN, '--fail-on', 'sometimes'], /--fail-on must be one of/],
  ['--env without =', [CLEAN, '--env', 'NOEQUALS'], /--env expects KEY=VALUE, not 'NOEQUALS'/],
  ['--env with an empty name', [CLEAN, '--env', '=value'], /--env expects KEY=VALUE/],
  ['both a target and --handler', [CLEAN, '--handler', 'app.handler'], /either handler files or --handler/],
  ['--task-root that does not exist', ['--handler', 'app.handler', '--task-root', path.join(dir, 'nope')], /--task-root .* is not a directory/],
];

function expectUsageError(run: Awaited<ReturnType<typeof runCliAsync>>, message: RegExp): void {
  const lines = run.stderr.trimEnd().split('\n');
  expect(run.status, `exit status; stderr:\n${run.stderr}`).toBe(2);
  expect(lines, 'one line on stderr').toHaveLength(1);
  expect(lines[0]).toMatch(/^lambda-hang-check: /);
  expect(lines[0]).toMatch(message);
  expect(run.stderr, 'no stack').not.toMatch(/\n\s+at /);
  expect(run.stdout, 'nothing on stdout').toBe('');
}

describe('bad command-line input: exit 2, one line, no stack', () => {
  it.concurrent.each(cases)('%s', async (_title, args, message) => {
    expectUsageError(await runCliAsync(args, { timeoutMs: 15_000 }), message);
  });

  it.concurrent('--format json does not turn a usage error into JSON on stdout', async () => {
    expectUsageError(await runCliAsync(['fixtures/no-such-handler.js', '--format', 'json'], { timeoutMs: 15_000 }), /target not found/);
  });

  // Node itself (20, 22 and 24) looks for `--env-file` anywhere on its command line, even after
  // the script, and exits 9 with "node: <file>: not found" before the CLI runs, unless a `--`
  // comes first (docs/node-internals.md). So this case runs the bin as `node -- bin/…`.
  it.concurrent('a missing --env-file (node started with --)', async () => {
    const run = await runCliAsync([CLEAN, '--env-file', path.join(dir, 'missing.env')], { timeoutMs: 15_000, nodeArgs: ['--'] });
    expectUsageError(run, /cannot read --env-file .*ENOENT/);
  });

  it.concurrent('a malformed --env-file', async () => {
    const envFile = path.join(dir, 'bad.env');
    writeFileSync(envFile, 'GOOD=1\nthis line is not an assignment\n');
    const run = await runCliAsync([CLEAN, '--env-file', envFile], { timeoutMs: 15_000 });
    expectUsageError(run, /--env-file .* line 2 is not KEY=VALUE/);
  });

  it.concurrent('--verbose does not add a stack to a usage error', async () => {
    expectUsageError(await runCliAsync([CLEAN, '--timeout', '0', '--verbose'], { timeoutMs: 15_000 }), /--timeout must be/);
  });
});

describe('a run that checked nothing', () => {
  it('exits 2 with one line saying why when every function of a template was skipped, and still writes the report', async () => {
    const project = mkdtempSync(path.join(dir, 'python-only-'));
    writeFileSync(
      path.join(project, 'template.yaml'),
      ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  Api:', '    Type: AWS::Serverless::Function', '    Properties: { CodeUri: src/, Handler: app.handler, Runtime: python3.12 }', ''].join('\n'),
    );
    const run = await runCliAsync(['--template', path.join(project, 'template.yaml'), '--format', 'json'], { timeoutMs: 15_000 });
    expect(run.status).toBe(2);
    expect(run.json.results.map((result: any) => result.verdict)).toEqual(['skipped']);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^lambda-hang-check: nothing was checked: every function was skipped \(Api \(.*\): runtime python3\.12 is not Node\.js\)$/);
  });
});
