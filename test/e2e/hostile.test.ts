// Hostile handlers (SPEC.md "Guarantees"): whatever the handler does, the CLI ends within its
// timeouts plus a grace, exits with the code that says what happened, prints a report that
// parses, and leaves no process behind. One row per fixture under fixtures/hostile/ (line 1
// of each names the codes it must produce), plus the older blocked-loop and OOM fixtures.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { survivorsOf } from '../helpers/processes.js';
import { readExpectHeader, runCliAsync, type RunCliResult, type RuntimeId } from '../helpers/run-cli.js';
import { reportErrors } from '../helpers/validators.js';

interface HostileCase {
  fixture: string;
  runtime: RuntimeId;
  timeout: number;
  invocations: number;
  args?: string[];
  status: 0 | 1;
  /** Where a finding must point, when the issue names the line. */
  line?: { code: string; line: number };
  check?: (result: any, run: RunCliResult, marker: string) => void;
}

const H = 'fixtures/hostile';
/** Lambda's Init limit (semantics §5): an Init that never ends costs this much on top. */
const INIT_LIMIT_S = 10;
/** Start-up, re-inits, inspector and kill: generous, machines are noisy. */
const GRACE_MS = 20_000;

const cases: HostileCase[] = [
  // A blocked event loop ------------------------------------------------------------------------
  { fixture: 'fixtures/busy-loop.js', runtime: 'nodejs22.x', timeout: 1, invocations: 1, status: 1, line: { code: 'TIMEOUT_EVENT_LOOP_BLOCKED', line: 5 } },
  {
    fixture: `${H}/init-busy-loop.js`, runtime: 'nodejs22.x', timeout: 1, invocations: 1, status: 1,
    line: { code: 'INIT_TIMEOUT', line: 12 },
    check: (result, run) => {
      expect(result.init.error.errorType).toBe('Runtime.InitTimeout');
      expect(run.elapsedMs, 'Init is given its full 10 s').toBeGreaterThanOrEqual(INIT_LIMIT_S * 1000);
      // What a request sees after an Init timeout depends on Lambda's retried Init: not guessed.
      expect(result.invocations.map((invocation: any) => invocation.outcome)).toEqual(['not-run']);
      expect(reportErrors(run.json)).toEqual([]);
    },
  },
  { fixture: `${H}/timer-busy-loop.js`, runtime: 'nodejs22.x', timeout: 1, invocations: 1, status: 1, line: { code: 'TIMEOUT_EVENT_LOOP_BLOCKED', line: 6 } },
  {
    fixture: `${H}/flood-then-spin.js`, runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 1,
    line: { code: 'TIMEOUT_EVENT_LOOP_BLOCKED', line: 8 },
    check: (result) => expect(result.output.truncated).toBe(true),
  },

  // Process deaths, with their cause -------------------------------------------------------------
  {
    fixture: `${H}/exit-at-init.js`, runtime: 'nodejs22.x', timeout: 1, invocations: 1, status: 1,
    line: { code: 'INIT_ERROR', line: 3 },
    check: (result) => expect(result.init.error).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 5' }),
  },
  {
    fixture: `${H}/sigkill-self.js`, runtime: 'nodejs22.x', timeout: 1, invocations: 1, status: 1,
    check: (result) => expect(result.invocations[0].error).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: signal: killed' }),
  },
  {
    fixture: `${H}/sigsegv-self.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 1, status: 1,
    check: (result) => expect(result.invocations[0].error.errorMessage).toBe('Runtime exited with error: signal: segmentation fault'),
  },
  {
    fixture: `${H}/stack-overflow.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 2, args: ['--event', '{}', '--event', '{"safe":true}'], status: 0,
    check: (result) => {
      expect(result.invocations[0]).toMatchObject({ outcome: 'error', error: { errorType: 'RangeError', errorMessage: 'Maximum call stack size exceeded' } });
      // An invocation error, not a crash: the same environment answers the next request.
      expect(result.invocations[1]).toMatchObject({ outcome: 'response', response: { count: 2 } });
    },
  },
  {
    // Near the heap limit V8 collects garbage over and over: a long timeout, so memory runs out first.
    fixture: 'fixtures/out-of-memory.js', runtime: 'nodejs22.x', timeout: 15, invocations: 1, status: 1,
    check: (result) => expect(result.invocations[0].outcome).toBe('runtime-exit'),
  },

  // Child processes ----------------------------------------------------------------------------
  {
    fixture: `${H}/detached-children.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 0,
    check: (result, _run, marker) => {
      const summaries = result.findings.flatMap((f: any) => f.resources.map((r: any) => r.summary));
      expect(summaries).toContainEqual(expect.stringMatching(new RegExp(`^child process pid \\d+: .*detached-children\\.js --sleep ${marker}$`)));
    },
  },
  { fixture: `${H}/double-fork.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 0 },
  // A child sharing the handler's stdout/stderr outlives it: every way the handler's process ends
  // must end that child too and release the pipes, or the CLI waits on them forever.
  { fixture: `${H}/inherit-stdio-exit.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 1, line: { code: 'RUNTIME_EXIT', line: 9 } },
  { fixture: `${H}/inherit-stdio-exit-at-init.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 1, line: { code: 'INIT_ERROR', line: 7 } },
  { fixture: `${H}/inherit-stdio-rejection.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 1, line: { code: 'UNHANDLED_REJECTION', line: 9 } },
  {
    fixture: `${H}/inherit-stdio-sigkill.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 1, status: 1,
    check: (result) => expect(result.invocations[0].error.errorMessage).toBe('Runtime exited with error: signal: killed'),
  },
  {
    fixture: `${H}/inherit-stdio-never-settles.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 1, status: 1,
    check: (result) => expect(result.invocations[0]).toMatchObject({ outcome: 'runtime-exit', exitCode: 0 }),
  },

  // The report survives -------------------------------------------------------------------------
  {
    fixture: `${H}/flood-output.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 0,
    check: (result, run) => {
      expect(result.invocations.map((i: any) => i.response)).toEqual([{ ok: true }, { ok: true }]);
      expect(result.output.truncated).toBe(true);
      expect(result.output.stdout.length + result.output.stderr.length).toBeLessThan(256 * 1024);
      expect(run.stdout.length, 'the report stays small').toBeLessThan(512 * 1024);
    },
  },
  {
    fixture: `${H}/escape-sequences.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 0,
    check: (result, run) => {
      expect(result.invocations[0].error.errorType).toMatch(/^Name\u001b\[2J/);
      // Valid JSON that shows no raw control characters to a terminal that `cat`s it.
      expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    },
  },
  ...(['nodejs22.x', 'nodejs24.x'] as const).map((runtime): HostileCase => ({
    fixture: `${H}/remove-all-listeners.js`, runtime, timeout: 2, invocations: 1, status: 1,
    line: { code: 'UNCAUGHT_EXCEPTION', line: 8 },
    // The runtime client's own handlers are gone too: Node's default crash.
    check: (result) => expect(result.invocations[0]).toMatchObject({ outcome: 'runtime-exit', exitCode: 1 }),
  })),
  {
    fixture: `${H}/remove-all-listeners-callback.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 1,
    check: (result) => expect(result.invocations[0]).toMatchObject({ outcome: 'runtime-exit', error: { errorMessage: 'Runtime exited without providing a reason' } }),
  },
  {
    fixture: `${H}/patched-globals.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 0,
    // Legacy client: result.then(…) throws inside its try, which is callback(error).
    check: (result) => expect(result.invocations.map((i: any) => i.error?.errorMessage)).toEqual(['Promise.prototype.then is disabled', 'Promise.prototype.then is disabled']),
  },
  {
    fixture: `${H}/patched-globals.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 2, status: 0,
    // 4.x awaits (no .then lookup) and then cannot stringify the response.
    check: (result) => expect(result.invocations.map((i: any) => i.error?.errorType)).toEqual(['Runtime.JSONStringifyError', 'Runtime.JSONStringifyError']),
  },
  {
    fixture: `${H}/exit-code.js`, runtime: 'nodejs24.x', timeout: 2, invocations: 1, status: 1,
    check: (result) => expect(result.invocations[0]).toMatchObject({ outcome: 'runtime-exit', exitCode: 7, error: { errorMessage: 'Runtime exited with error: exit status 7' } }),
  },
  {
    fixture: `${H}/exit-code.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 1,
    check: (result) => expect(result.invocations[0].error.errorType).toBe('Runtime.NodeJsExit'),
  },
  {
    fixture: `${H}/junk-on-fds.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 0,
    check: (result) => {
      expect(result.init.ok).toBe(true);
      expect(result.invocations.map((i: any) => i.response)).toEqual([{ ok: true }, { ok: true }]);
    },
  },
  {
    fixture: `${H}/closes-fds.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 1,
    check: (result) => expect(result.findings[0].message).toMatch(/closed or replaced file descriptor 3 or 4/),
  },
  {
    // Without a cap and a regular-file check, the CLI reads /dev/zero until memory runs out.
    fixture: `${H}/names-dev-zero.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 0,
    check: (result) => expect(result.findings[0].resources[0].location).toMatchObject({ file: expect.stringMatching(/(^|\/)dev\/zero$/), line: 1 }),
  },
  {
    // The harness's own exit code when a handler takes its pipes away: here the handler's, and said so.
    fixture: `${H}/really-exit-86.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 1, status: 1,
    check: (result) => {
      expect(result.invocations[0]).toMatchObject({ outcome: 'runtime-exit', exitCode: 86 });
      expect(result.findings[0].message).toBe('The runtime process exited with code 86 during invocation 1: Lambda reports Runtime.ExitError.');
      expect(result.findings[0].hint).toMatch(/without process\.exit\(\) being called/);
    },
  },
  {
    fixture: `${H}/many-pending.js`, runtime: 'nodejs22.x', timeout: 2, invocations: 2, status: 0,
    line: { code: 'PENDING_AT_FREEZE', line: 8 },
    check: (result, run) => {
      const timers = result.findings.flatMap((f: any) => f.resources);
      expect(timers).toContainEqual(expect.objectContaining({ kind: 'timer', count: 5000 }));
      expect(run.stdout.length, 'alike resources are grouped').toBeLessThan(100 * 1024);
    },
  },
  {
    fixture: `${H}/many-pending-timeout.js`, runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 1,
    line: { code: 'TIMEOUT_HANDLER_PENDING', line: 7 },
    check: (result) => expect(result.findings[0].resources).toContainEqual(expect.objectContaining({ kind: 'timer', count: 5000 })),
  },
];

async function expectNoSurvivors(marker: string): Promise<void> {
  if (process.platform !== 'linux') return;
  expect(await survivorsOf(marker), 'processes started by the case still alive').toEqual([]);
}

const title = (row: HostileCase): string => `${row.fixture.replace(/^fixtures\//, '')} on ${row.runtime}`;

describe('hostile handlers: never hang, never lose the report, never leave a process behind', () => {
  it.concurrent.each(cases.map((row) => [title(row), row] as const))('%s', async (_title, row) => {
    const marker = `lhc-hostile-${randomUUID()}`;
    const initBudgetS = row.fixture.includes('init-') ? INIT_LIMIT_S : 0;
    const budgetMs = (row.timeout * row.invocations + initBudgetS) * 1000 + GRACE_MS;
    const args = [
      row.fixture, '--format', 'json', '--runtime', row.runtime,
      '--timeout', String(row.timeout), '--invocations', String(row.invocations),
      '--env', `HOSTILE_MARKER=${marker}`, ...(row.args ?? []),
    ];
    const run = await runCliAsync(args, { timeoutMs: budgetMs + 10_000 });
    try {
      const context = `stderr:\n${run.stderr.slice(0, 2000)}\nstdout:\n${run.stdout.slice(0, 2000)}`;
      expect(run.signal, `the CLI was killed by the test's hard limit\n${context}`).toBeNull();
      expect(run.elapsedMs, 'ended within its timeouts plus a grace').toBeLessThan(budgetMs);
      expect(run.status, `exit status\n${context}`).toBe(row.status);
      expect(run.json, `stdout is the JSON report\n${context}`).toBeTruthy();
      const result = run.json.results[0];
      const codes = [...new Set<string>(result.findings.map((f: any) => f.code))].sort();
      expect(codes, 'finding codes, as line 1 of the fixture says').toEqual(readExpectHeader(row.fixture));
      if (row.line) {
        const finding = result.findings.find((f: any) => f.code === row.line!.code);
        expect(finding?.location, `${row.line.code} location`).toMatchObject({ file: row.fixture, line: row.line.line });
      }
      row.check?.(result, run, marker);
    } finally {
      await expectNoSurvivors(marker);
    }
  });

  it.concurrent('text report of escape sequences: shown as visible escapes, never raw', async () => {
    const run = await runCliAsync([`${H}/escape-sequences.js`, '--runtime', 'nodejs22.x', '--timeout', '2', '--invocations', '1'], { timeoutMs: 30_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Name\\x1b[2J\\x1b[31m\\x1b]0;pwned\\x07\\u202e\\x9b31m\\x0d\\x08PASS');
    expect(run.stdout).toContain('setTimeout 60000 ms → cb\\x1b[2J');
    // No ESC, BEL, CR, BS, C1 CSI or bidi override reaches the terminal.
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    // A forged "PASS" line in the message stays inside its own line.
    expect(run.stdout.split('\n').filter((line) => line.startsWith('PASS '))).toHaveLength(1);
  });
});
