// Wall time of checking 20 fixture handlers with --jobs 1 and with --jobs 2, and the ratio.
// A benchmark, not a test: numbers depend on the machine. Run after `npm run build`:
//   node bench/jobs.mjs [runs]      (default 1 run of each; the best run counts)
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 1);

// Twenty handlers that answer, throw, time out, leave work pending or fail Init: the mix a project has.
const HANDLERS = [
  'async-clean.js', 'async-custom-error.js', 'async-pending-timer.js', 'async-three-params.js',
  'callback-clean.js', 'callback-interval.js', 'callback-short-timer.js', 'circular-result.js',
  'cjs-handler.cjs', 'context-done-with-timer.js', 'context-dump.js', 'environment-echo.js',
  'esm-handler.mjs', 'handler-missing-export.js', 'init-throw-range-error.js', 'multi-export.js',
  'reject-object.js', 'sync-return.js', 'sync-throw.js', 'warm-state.js',
].map((file) => `fixtures/${file}`);

function timeCheck(jobs) {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    ['bin/lambda-hang-check.js', ...HANDLERS, '--jobs', String(jobs), '--timeout', '1', '--invocations', '2', '--format', 'json', '--fail-on', 'never'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
  );
  const elapsedMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`--jobs ${jobs} exited ${child.status}: ${child.stderr}`);
  const targets = JSON.parse(child.stdout).results.length;
  if (targets !== HANDLERS.length) throw new Error(`expected ${HANDLERS.length} results, got ${targets}`);
  return elapsedMs;
}

const best = (jobs) => Math.min(...Array.from({ length: runs }, () => timeCheck(jobs)));
const one = best(1);
const two = best(2);
console.log(`${HANDLERS.length} handlers, ${availableParallelism()} cores, best of ${runs} run(s)`);
console.log(`--jobs 1: ${(one / 1000).toFixed(2)} s`);
console.log(`--jobs 2: ${(two / 1000).toFixed(2)} s`);
console.log(`ratio (jobs 1 / jobs 2): ${(one / two).toFixed(2)}`);
