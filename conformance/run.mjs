#!/usr/bin/env node
/**
 * The differential conformance test (issue 7): every case runs (a) under the real runtime
 * interface client, driven by the Runtime API emulator, and (b) under the built
 * lambda-hang-check with the same runtime, events, timeout, invocations and freeze; the
 * outcomes, error types and response bodies must agree per invocation, except for the rows of
 * known-differences.md.
 *
 *   node conformance/run.mjs [--runtime nodejs22.x,nodejs24.x] [--only text] [--jobs n] [--verbose]
 *
 * Prints, per runtime line, one line per case and then `N passed, N failed` alone on a line;
 * exits 1 on any unexplained difference (or a stale known difference), 2 if it could not run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCases } from './cases.mjs';
import { clientSteps, describeResponseDiff, diffSteps, explain, isTimingDiff, readKnownDifferences, toolSteps } from './compare.mjs';
import { functionArn, functionEnv, heapFlags, LINES } from './runtime-lines.mjs';
import { runUnderRuntimeApi } from './runtime-api-emulator.mjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: flags } = parseArgs({
  options: {
    runtime: { type: 'string' },
    only: { type: 'string', multiple: true },
    jobs: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
});

const jobs = Math.max(1, Number(flags.jobs ?? process.env.LHC_CONFORMANCE_JOBS ?? availableParallelism()));
const wanted = (flags.runtime ?? process.env.LHC_CONFORMANCE_RUNTIMES ?? LINES.map((line) => line.runtime).join(',')).split(',');
const lines = LINES.filter((line) => wanted.includes(line.runtime));
if (lines.length === 0) {
  console.error(`conformance: no runtime line among '${wanted.join(',')}' (known: ${LINES.map((l) => l.runtime).join(', ')})`);
  process.exit(2);
}
const toolBin = snapshotTool();
const known = readKnownDifferences(path.join(root, 'conformance', 'known-differences.md'));
const { cases: allCases, skipped } = buildCases(root);
const cases = flags.only ? allCases.filter((c) => flags.only.some((text) => c.id.includes(text))) : allCases;

if (!flags.only) for (const skip of skipped) console.log(`skipped ${skip.id}: ${skip.reason}`);
let failedTotal = 0;
for (const line of lines) {
  failedTotal += await runLine(line);
}
// Each line's block ends with its `N passed, N failed`, so the last line of the output is one.
process.exitCode = failedTotal > 0 ? 1 : 0;

async function runLine(line) {
  const { packageDir, nodeBin } = installClient(line);
  const node = path.join(nodeBin, 'node');
  const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`== ${line.runtime}: aws-lambda-ric@${line.ric} on Node ${nodeVersion}, ${cases.length} cases, ${jobs} at a time`);
  const lineStarted = performance.now();
  let passed = 0;
  let failed = 0;
  let explainedCount = 0;
  /** One side-by-side run of a case: the real client and the tool, compared step by step. */
  const compareOnce = async (testCase) => {
    const [client, tool] = await Promise.all([
      runClient(testCase, line, node, packageDir).catch((error) => ({ failure: String(error?.stack ?? error) })),
      runTool(testCase, line, node),
    ]);
    if (tool.failure || client.failure) return { client, tool };
    const rows = known.filter((row) => row.id === testCase.id && row.runtime === line.runtime);
    const clientView = clientSteps(client, testCase);
    const toolView = toolSteps(tool.result, testCase);
    return { client, tool, clientView, toolView, ...explain(diffSteps(clientView, toolView, { clientWaitsForLoop: line.runtime !== 'nodejs24.x', compareTiming: testCase.timing !== false }), rows) };
  };
  await mapWithConcurrency(cases, jobs, async (testCase) => {
    const caseStarted = performance.now();
    let run = await compareOnce(testCase);
    // When load alone made one side late (every difference is one of timing, and the texts
    // all agree), the case runs once more; the second run decides, and the line says so.
    let retriedFor = null;
    if (run.unexplained?.length && !run.stale.length && run.unexplained.every(isTimingDiff)) {
      retriedFor = run.unexplained;
      run = await compareOnce(testCase);
    }
    const { client, tool, clientView, toolView, explained, unexplained, stale } = run;
    const seconds = ((performance.now() - caseStarted) / 1000).toFixed(1);
    if (tool.failure || client.failure) {
      failed++;
      console.log(`FAIL  ${testCase.id} (${seconds} s): ${tool.failure ? `the tool did not run: ${tool.failure}` : `the emulator failed: ${client.failure}`}`);
      return;
    }
    const retryNote = retriedFor ? `  (run twice: the first run differed in timing only, ${retriedFor.map((d) => `${d.step}: client ${d.client} / tool ${d.tool}`).join('; ')})` : '';
    if (unexplained.length || stale.length) {
      failed++;
      console.log(`FAIL  ${testCase.id} (${seconds} s)  ${testCase.description}${retryNote}`);
      for (const diff of unexplained) {
        const keys = describeResponseDiff(diff.client, diff.tool);
        if (keys) console.log(`      ${diff.step}  response fields differ: ${keys.join('; ')}`);
        else console.log(`      ${diff.step}  client: ${diff.client}\n      ${' '.repeat(diff.step.length)}  tool:   ${diff.tool}`);
      }
      for (const row of stale) console.log(`      stale known difference ${row.step}: client ${row.client} / tool ${row.tool} was not observed`);
      printDetail(clientView, toolView, client);
      return;
    }
    passed++;
    if (explained.length) {
      explainedCount++;
      console.log(`known ${testCase.id} (${seconds} s)  ${explained.map((row) => `${row.step}: client ${row.client} / tool ${row.tool}`).join('; ')}${retryNote}`);
    } else {
      console.log(`ok    ${testCase.id} (${seconds} s)${retryNote}`);
    }
    if (flags.verbose) printDetail(clientView, toolView, client);
  });
  console.log(`${line.runtime}: ${explainedCount} of the passed cases agree only through a row of conformance/known-differences.md; ${((performance.now() - lineStarted) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

function printDetail(clientView, toolView, client) {
  const show = (view) => view.map((s) => `${s.step} ${s.text}${typeof s.durationMs === 'number' ? ` [${Math.round(s.durationMs)} ms]` : ''}`).join(' | ');
  console.log(`      client: ${show(clientView)}`);
  console.log(`      tool:   ${show(toolView)}`);
  if (client.log.length) console.log(`      emulator: ${client.log.join('; ')}`);
  const output = `${client.stdout}\n${client.stderr}`.trim().split('\n');
  const tail = output.slice(-6).map((text) => (text.length > 200 ? `${text.slice(0, 200)}…` : text)).join('\n        ');
  if (tail) console.log(`      client output (last lines):\n        ${tail}`);
}

/**
 * A copy of the built tool (bin, dist, package.json) taken once at the start, under
 * node_modules/.cache so that its packages still resolve: every case runs the same build even
 * if dist/ is rebuilt while the run goes on.
 */
function snapshotTool() {
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
    console.error('conformance: dist/ is missing; run `npm run build` first (npm run test:conformance does)');
    process.exit(2);
  }
  const copy = path.join(root, 'node_modules', '.cache', 'lambda-hang-check-conformance');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  for (const entry of ['bin', 'dist', 'package.json']) cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
  return path.join(copy, 'bin', 'lambda-hang-check.js');
}

/** Builds (or finds in the cache) the client for this line; returns its package and node. */
function installClient(line) {
  const run = spawnSync(path.join(root, 'scripts', 'install-ric.sh'), [line.ric, String(line.nodeMajor)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) {
    console.error(`conformance: scripts/install-ric.sh ${line.ric} ${line.nodeMajor} failed (status ${run.status})`);
    process.exit(2);
  }
  const packageDir = run.stdout.trim().split('\n').at(-1);
  const nodeBin = readFileSync(path.join(packageDir, '..', '..', 'node-bin'), 'utf8').trim();
  return { packageDir, nodeBin };
}

async function runClient(testCase, line, node, packageDir) {
  const taskRoot = path.join(root, testCase.taskRoot);
  const env = functionEnv({ runtime: line.runtime, functionName: testCase.functionName, handler: testCase.handler, taskRoot });
  const entry = line.entry(packageDir, testCase.handler);
  return runUnderRuntimeApi({
    command: node,
    args: [...line.nodeFlags, ...heapFlags(), ...entry.args],
    env,
    cwd: taskRoot,
    timeoutMs: testCase.timeoutS * 1000,
    invocations: testCase.invocations,
    events: testCase.events,
    freezeMs: testCase.freezeMs,
    functionArn: functionArn(testCase.functionName),
  });
}

/** The built CLI under the same Node, with the same settings; returns results[0] of its JSON. */
function runTool(testCase, line, node) {
  const target =
    testCase.kind === 'file'
      ? [testCase.exportPath === 'handler' ? testCase.file : `${testCase.file}#${testCase.exportPath}`]
      : ['--handler', testCase.handler, '--task-root', testCase.taskRoot];
  const args = [
    toolBin,
    ...target,
    '--format', 'json',
    '--runtime', line.runtime,
    '--timeout', String(testCase.timeoutS),
    '--invocations', String(testCase.invocations),
    '--freeze', String(testCase.freezeMs),
    '--fail-on', 'never',
    ...testCase.events.flatMap((event) => ['--event', JSON.stringify(event)]),
  ];
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key.startsWith('LHC_') || key.startsWith('npm_')) continue;
    env[key] = value;
  }
  Object.assign(env, { NO_COLOR: '1', FORCE_COLOR: '0' });
  const limitMs = (testCase.timeoutS * testCase.invocations + 10 + 30) * 1000;
  return new Promise((resolve) => {
    const child = spawn(node, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      try {
        const report = JSON.parse(stdout);
        resolve({ result: report.results[0] });
      } catch {
        resolve({ failure: `exit ${status ?? signal}; ${stderr.trim().split('\n').slice(0, 8).join(' / ') || 'no JSON on stdout'}` });
      }
    });
  });
}

async function mapWithConcurrency(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
