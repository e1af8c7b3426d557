import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Absolute path of the repository root (no trailing separator). */
export const repoRoot = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));

const binPath = path.join(repoRoot, 'bin', 'lambda-hang-check.js');

export interface RunCliOptions {
  /** Hard limit for the CLI process; it is SIGKILLed after that. Default 30 s. */
  timeoutMs?: number;
  /** Default: the repository root. */
  cwd?: string;
  input?: string;
  /** Added on top of the fixed environment. */
  env?: Record<string, string>;
  /** Arguments for node itself, before the bin path (e.g. `['--']`). */
  nodeArgs?: string[];
}

export interface RunCliResult {
  /** Exit code; null when the process was killed (see `signal`). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Parsed stdout, when the args ask for `--format json` and stdout is valid JSON. */
  json?: any;
  elapsedMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The environment every CLI run gets: ours minus whatever could change how Node or the tool
 * behaves (NODE_OPTIONS, vitest's and the tool's own variables), with colour off.
 */
function buildEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key.startsWith('VITEST') || key.startsWith('LHC_')) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

function wantsJson(args: string[]): boolean {
  return args.some(
    (arg, i) =>
      arg === '--format=json' || ((arg === '--format' || arg === '-f') && args[i + 1] === 'json'),
  );
}

function toResult(
  args: string[],
  status: number | null,
  signal: NodeJS.Signals | null,
  stdout: string,
  stderr: string,
  elapsedMs: number,
): RunCliResult {
  const result: RunCliResult = { status, signal, stdout, stderr, elapsedMs };
  if (wantsJson(args)) {
    try {
      result.json = JSON.parse(stdout);
    } catch {
      // Left undefined: the test asserting on `json` then shows stdout/stderr.
    }
  }
  return result;
}

/** Runs the built CLI synchronously: `node bin/lambda-hang-check.js ...args`. */
export function runCli(args: string[], opts: RunCliOptions = {}): RunCliResult {
  const started = performance.now();
  const child = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), binPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: buildEnv(opts.env),
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const elapsedMs = performance.now() - started;
  return toResult(args, child.status, child.signal, child.stdout ?? '', child.stderr ?? '', elapsedMs);
}

/**
 * Same contract as {@link runCli}, without blocking the test worker: `spawnSync` would make
 * `it.concurrent` rows run one after another.
 */
export function runCliAsync(args: string[], opts: RunCliOptions = {}): Promise<RunCliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), binPath, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: buildEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      resolve(toResult(args, status, signal, stdout, stderr, performance.now() - started));
    });
    child.stdin.end(opts.input ?? '');
  });
}

// ---------------------------------------------------------------------------------------------
// Table rows shared by the e2e suites. The expectations come from
// the shared lambda-runtime-semantics.md (beside the project), not from what the tool prints.

export type RuntimeId = 'nodejs18.x' | 'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x';
export type Outcome = 'response' | 'error' | 'timeout' | 'runtime-exit' | 'not-run';

export interface ErrorExpectation {
  errorType: string;
  /** Exact text, or a pattern. */
  errorMessage?: string | RegExp;
}

export interface InvocationExpectation {
  outcome: Outcome;
  /** Compared with toEqual when the key is present (so `response: null` is asserted too). */
  response?: unknown;
  error?: ErrorExpectation;
  exitCode?: number;
  minDurationMs?: number;
  maxDurationMs?: number;
}

export interface ResourceExpectation {
  /** The finding that must list the resource. */
  code: string;
  file: string;
  line: number;
  createdIn: 'init' | 'invocation';
  /** Invocation index, for resources created by an invocation. */
  invocation?: number;
  kind?: string;
}

export interface Row {
  /** A file target (`fixtures/x.js`), or a handler string when `handler` is true. */
  target: string;
  /** Resolve `target` as a Lambda handler string under fixtures/task-root. */
  handler?: boolean;
  runtime: RuntimeId;
  /** Function timeout in seconds: 1 where a timeout is expected, 2 otherwise. */
  timeout: 1 | 2;
  invocations: number;
  /** More CLI args (events, --memory, --freeze). */
  args?: string[];
  status: 0 | 1;
  /** Init must fail with this error; without it, init must succeed. */
  initError?: ErrorExpectation;
  /** One entry per invocation (ignored for init errors, which run nothing). */
  outcomes?: InvocationExpectation[];
  /** Exactly these finding codes (as a set) ... */
  codes: string[];
  /** ... plus, optionally, these: the semantics file and SPEC.md leave them open. */
  mayAlsoHave?: string[];
  resources?: ResourceExpectation[];
  /** Findings that must point at exactly this file and line (every finding of the code). */
  at?: Array<{ code: string; file: string; line: number }>;
  /** Extra assertions on results[0]. */
  check?: (result: any) => void;
}

export const TASK_ROOT = 'fixtures/task-root';

/** `[title, row]` pairs for `it.each(...)('%s', (_title, row) => …)`: readable, untruncated names. */
export function titled(rows: Row[]): [string, Row][] {
  return rows.map((row) => [`${row.handler ? `--handler ${row.target}` : row.target} on ${row.runtime}`, row]);
}

export function argsOf(row: Row): string[] {
  const target = row.handler ? ['--handler', row.target, '--task-root', TASK_ROOT] : [row.target];
  return [
    ...target,
    '--format', 'json',
    '--runtime', row.runtime,
    '--timeout', String(row.timeout),
    '--invocations', String(row.invocations),
    ...(row.args ?? []),
  ];
}

/** Expands one expectation over several runtime lines (only where they truly agree). */
export function onRuntimes(runtimes: RuntimeId[], row: Omit<Row, 'runtime'>): Row[] {
  return runtimes.map((runtime) => ({ ...row, runtime }));
}

function expectError(actual: any, expected: ErrorExpectation, what: string): void {
  expect(actual, `${what}: error`).toBeTruthy();
  expect(actual.errorType, `${what}: errorType`).toBe(expected.errorType);
  if (typeof expected.errorMessage === 'string') {
    expect(actual.errorMessage, `${what}: errorMessage`).toBe(expected.errorMessage);
  } else if (expected.errorMessage) {
    expect(actual.errorMessage, `${what}: errorMessage`).toMatch(expected.errorMessage);
  }
}

function expectInvocation(actual: any, expected: InvocationExpectation, what: string, timeoutS: number): void {
  expect(actual.outcome, `${what}: outcome`).toBe(expected.outcome);
  if ('response' in expected) expect(actual.response, `${what}: response`).toEqual(expected.response);
  if (expected.error) expectError(actual.error, expected.error, what);
  if (expected.exitCode !== undefined) expect(actual.exitCode, `${what}: exitCode`).toBe(expected.exitCode);
  if (expected.minDurationMs !== undefined) {
    expect(actual.durationMs, `${what}: durationMs`).toBeGreaterThanOrEqual(expected.minDurationMs);
  }
  if (expected.maxDurationMs !== undefined) {
    expect(actual.durationMs, `${what}: durationMs`).toBeLessThan(expected.maxDurationMs);
  }
  // Semantics §5: the service's message for a timeout, seconds with two decimals.
  if (expected.outcome === 'timeout' && actual.error) {
    expect(actual.error.errorMessage, `${what}: timeout message`).toBe(
      `Task timed out after ${timeoutS.toFixed(2)} seconds`,
    );
  }
  // Semantics §2.2/§3: the service names any runtime exit Runtime.ExitError.
  if (expected.outcome === 'runtime-exit' && actual.error) {
    expect(actual.error.errorType, `${what}: runtime-exit errorType`).toBe('Runtime.ExitError');
  }
}

/** Asserts a CLI run against a table row: status first, then the report. */
export function expectRow(run: RunCliResult, row: Row): void {
  const context = `stderr:\n${run.stderr.slice(0, 2000)}\nstdout:\n${run.stdout.slice(0, 2000)}`;
  expect(run.status, `exit status\n${context}`).toBe(row.status);
  expect(run.json, `stdout is the JSON report\n${context}`).toBeTruthy();
  expect(run.json.results, 'one result per target').toHaveLength(1);
  const result = run.json.results[0];
  expect(result.runtime).toBe(row.runtime);
  expect(result.timeoutMs).toBe(row.timeout * 1000);

  if (row.initError) {
    expect(result.init.ok, 'init.ok').toBe(false);
    expectError(result.init.error, row.initError, 'init');
    // Semantics 1.3: Lambda returns the init error to every request (it runs Init again for
    // each); after an Init timeout what a request sees depends on the retried Init.
    expect(result.invocations, 'invocations').toHaveLength(row.invocations);
    const timedOut = result.init.error.errorType === 'Runtime.InitTimeout';
    for (const invocation of result.invocations) {
      expect(invocation.outcome, 'invocation after a failed init').toBe(timedOut ? 'not-run' : 'error');
      if (!timedOut) expect(invocation.error, 'the init error, returned to the request').toEqual(result.init.error);
    }
  } else {
    expect(result.init.ok, `init.ok (init.error: ${JSON.stringify(result.init.error)})`).toBe(true);
    expect(result.invocations, 'invocations').toHaveLength(row.invocations);
    row.outcomes?.forEach((expected, i) =>
      expectInvocation(result.invocations[i], expected, `invocation ${i + 1}`, row.timeout),
    );
  }

  const optional = new Set(row.mayAlsoHave ?? []);
  const codes = [...new Set<string>(result.findings.map((f: any) => f.code))].sort();
  expect(codes.filter((code) => !optional.has(code)), 'finding codes').toEqual([...row.codes, ...deprecationCodes(row.runtime)].sort());

  for (const resource of row.resources ?? []) {
    const findings = result.findings.filter((f: any) => f.code === resource.code);
    const listed = findings.flatMap((f: any) => f.resources ?? []);
    const expected: Record<string, unknown> = {
      createdIn: resource.createdIn,
      location: expect.objectContaining({ file: resource.file, line: resource.line }),
    };
    if (resource.invocation !== undefined) expected.invocation = resource.invocation;
    if (resource.kind !== undefined) expected.kind = resource.kind;
    expect(listed, `${resource.code} lists ${resource.file}:${resource.line}`).toContainEqual(
      expect.objectContaining(expected),
    );
  }

  for (const { code, file, line } of row.at ?? []) {
    const locations = result.findings.filter((f: any) => f.code === code).map((f: any) => f.location && `${f.location.file}:${f.location.line}`);
    expect(locations.length, `${code} reported`).toBeGreaterThan(0);
    expect(new Set(locations), `${code} at ${file}:${line}`).toEqual(new Set([`${file}:${line}`]));
  }

  row.check?.(result);
}

/** The codes a fixture's first line promises: `// expect: A, B` or `// expect: none`. */
export function readExpectHeader(file: string): string[] | null {
  const firstLine = readFileSync(path.join(repoRoot, file), 'utf8').split('\n', 1)[0] ?? '';
  const match = /^\/\/ expect: (.*)$/.exec(firstLine.trim());
  if (!match) return null;
  const list = match[1]!.trim();
  return list === 'none' ? [] : list.split(',').map((code) => code.trim()).sort();
}

/**
 * The table-driven suite: one concurrent test per row, plus a check that each legacy row's
 * fixture states the same codes on its line 1.
 */
export function testRows(title: string, rows: Row[], options: { headers?: boolean } = {}): void {
  describe(title, () => {
    it.concurrent.each(titled(rows))(
      '%s',
      async (_title, row) => {
        expectRow(await runCliAsync(argsOf(row)), row);
      },
      40_000,
    );
  });
  if (options.headers === false) return;
  describe(`${title}: fixture headers`, () => {
    const legacyRows = rows.filter((row) => row.runtime === 'nodejs22.x');
    it.each(legacyRows.map((row): [string, string[]] => [row.target, row.codes]))('%s: line 1 lists the codes expected on nodejs22.x', (target, codes) => {
      expect(readExpectHeader(target)).toEqual([...codes].sort());
    });
  });
}

/**
 * What every check on a runtime past its deprecation date reports beside the row's own codes:
 * nodejs20.x was deprecated on 2026-04-30, so from then on always (RUNTIME_LIFECYCLE).
 */
export function deprecationCodes(runtime: RuntimeId): string[] {
  return runtime === 'nodejs18.x' || runtime === 'nodejs20.x' ? ['RUNTIME_DEPRECATED'] : [];
}
