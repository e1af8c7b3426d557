import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCliAsync } from '../helpers/run-cli.js';
import { reportErrors } from '../helpers/validators.js';

const out = mkdtempSync(path.join(tmpdir(), 'lhc-many-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const quick = ['--timeout', '1', '--invocations', '1'];

describe('several targets and globs', () => {
  it('expands a quoted glob, runs targets in parallel and reports them in the order given', async () => {
    const run = await runCliAsync(['fixtures/sync-throw.js', 'fixtures/{async-clean,cjs-handler,esm-handler}.*', 'fixtures/typescript/*.mts', '--jobs', '2', '--format', 'json', ...quick]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.json.results.map((r: any) => r.target)).toEqual([
      'fixtures/sync-throw.js#handler',
      'fixtures/async-clean.js#handler',
      'fixtures/cjs-handler.cjs#handler',
      'fixtures/esm-handler.mjs#handler',
      'fixtures/typescript/handler.mts#handler',
    ]);
  });

  it('fails with exit 2 and one line when a glob matches no handler', async () => {
    const run = await runCliAsync(['fixtures/**/*.nothing']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^lambda-hang-check: no handler file matches 'fixtures\/\*\*\/\*\.nothing'\n/);
  });
});

describe('--fail-on over all targets', () => {
  it('sets the verdicts and the exit code from all targets together', async () => {
    const targets = ['fixtures/async-clean.js', 'fixtures/async-pending-timer.js', 'fixtures/sync-throw.js', '--format', 'json', ...quick];
    // One after another: the machine is shared with other suites' timing-sensitive runs.
    const error = await runCliAsync([...targets, '--fail-on', 'error']);
    const warning = await runCliAsync([...targets, '--fail-on', 'warning']);
    const never = await runCliAsync([...targets, '--fail-on', 'never']);
    const failing = await runCliAsync(['fixtures/async-clean.js', 'fixtures/unhandled-rejection.js', ...quick]);
    const failingNever = await runCliAsync(['fixtures/async-clean.js', 'fixtures/unhandled-rejection.js', '--fail-on', 'never', ...quick]);
    const verdicts = (run: { json?: any }) => run.json.results.map((r: any) => r.verdict);
    expect([error.status, verdicts(error)]).toEqual([0, ['pass', 'pass', 'pass']]);
    expect([warning.status, verdicts(warning)]).toEqual([1, ['pass', 'fail', 'pass']]);
    expect([never.status, verdicts(never)]).toEqual([0, ['pass', 'pass', 'pass']]);
    expect(failing.status).toBe(1);
    expect(failingNever.status).toBe(0);
  });
});

describe('real --format json output', () => {
  it('validates against schema/report.schema.json for every kind of outcome', async () => {
    const run = await runCliAsync([
      'fixtures/callback-mixed-resources.js', 'fixtures/init-throw-range-error.js', 'fixtures/process-exit.js',
      'fixtures/unhandled-rejection.js', 'fixtures/async-timer-runs-on-thaw.js', 'fixtures/busy-loop.js',
      'fixtures/warm-state.js', 'fixtures/callback-short-timer.js', 'fixtures/typescript/broken.ts', 'fixtures/sync-return.js',
      '--template', 'fixtures/sam-project/template.yaml',
      // The legacy line, whatever Node runs the tests: its outcomes include a posted 'error'.
      '--runtime', 'nodejs22.x', '--format', 'json', '--timeout', '1', '--invocations', '2', '--jobs', '2',
    ], { timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(1);
    expect(reportErrors(run.json)).toEqual([]);
    const outcomes = new Set(run.json.results.flatMap((r: any) => r.invocations.map((i: any) => i.outcome)));
    // A TypeScript file that does not compile fails Init: its invocations are errors, as Lambda returns the
    // init error to each request. `not-run` (after an Init timeout, 10 s) is validated in hostile.test.ts.
    expect([...outcomes].sort()).toEqual(['error', 'response', 'runtime-exit', 'timeout']);
  });
});

describe('stderr, files and CI environments', () => {
  it('writes no progress to a stderr that is not a TTY', async () => {
    const run = await runCliAsync(['fixtures/async-clean.js', 'fixtures/sync-throw.js', '--format', 'json', ...quick]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('shows progress on a TTY: N of M done and a countdown, erased before the report', () => {
    const command = `${process.execPath} bin/lambda-hang-check.js fixtures/async-clean.js fixtures/busy-loop.js --timeout 2 --invocations 1 --format json --output ${path.join(out, 'tty.json')}`;
    // script(1) gives the CLI a pseudo-terminal, as a developer's shell would.
    const tty = spawnSync('script', ['-qefc', command, '/dev/null'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(tty.status).toBe(1);
    expect(tty.stdout).toMatch(/\d of 2 done · (.*, )?fixtures\/busy-loop\.js#handler \d\.\d s left/);
    expect(tty.stdout).toContain('\u001b[2K2 of 2 done');
    expect(tty.stdout).toMatch(/\r\u001b\[2Klambda-hang-check: 2 targets: 1 failed, 1 passed; /);
  });

  it('writes every format to --output and leaves stdout empty', async () => {
    const formats = ['text', 'json', 'junit', 'sarif', 'github'];
    for (const format of formats) {
      const run = await runCliAsync(['fixtures/async-pending-timer.js', '--format', format, '--output', path.join(out, `out.${format}`), ...quick]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe('');
      expect(readFileSync(path.join(out, `out.${format}`), 'utf8')).toContain('PENDING_AT_FREEZE');
    }
  });

  it('adds GitHub annotations on stderr under GITHUB_ACTIONS=true, keeping stdout the report', async () => {
    const env = { GITHUB_ACTIONS: 'true' };
    const json = await runCliAsync(['fixtures/async-pending-timer.js', '--format', 'json', ...quick], { env });
    const github = await runCliAsync(['fixtures/async-pending-timer.js', '--format', 'github', ...quick], { env });
    expect(json.json.results[0].verdict).toBe('pass');
    expect(json.stderr).toMatch(/^::warning file=fixtures\/async-pending-timer\.js,line=\d+,col=\d+,title=PENDING_AT_FREEZE::/);
    expect(github.stdout).toBe(json.stderr);
    expect(github.stderr).toBe('');
  });

  it('writes a Chrome trace with --trace', async () => {
    const file = path.join(out, 'trace.json');
    const run = await runCliAsync(['fixtures/async-clean.js', '--trace', file, '--format', 'json', ...quick]);
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).traceEvents.length).toBeGreaterThan(0);
  });

  it('reports an --output it cannot write as could-not-run', async () => {
    const run = await runCliAsync(['fixtures/async-clean.js', '--output', path.join(out, 'missing-dir', 'r.json'), ...quick]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^lambda-hang-check: cannot write --output '.*r\.json': ENOENT\n$/);
  });
});
