// `npm run bench`: what lambda-hang-check costs, measured side by side with plain Node and
// with the tools people use today, in one run. Prints ratios and writes bench/RESULTS.md and
// bench/results.json. A benchmark, never a test: the numbers depend on the machine.
//   node bench/run.mjs [--reps N] [--only overhead,startup,memory,scale]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] || 5);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : ['overhead', 'startup', 'memory', 'scale'];

const workload = (name) => `bench/workloads/${name}.mjs`;
const INVOKE_ONCE = 'bench/workloads/invoke-once.mjs';

/** Each variant runs the handler once and reports the process's wall time and the handler's peak RSS. */
const VARIANTS = {
  node: (file) => ({ args: [INVOKE_ONCE, file], result: (out) => JSON.parse(out) }),
  'lambda-hang-check': (file) => ({
    args: ['bin/lambda-hang-check.js', file, '--invocations', '1', '--timeout', '300', '--format', 'json', '--fail-on', 'never'],
    result: (out) => JSON.parse(out).results[0].invocations[0].response,
  }),
  'why-is-node-running': (file) => ({ args: ['--import', 'why-is-node-running/include', INVOKE_ONCE, file], result: (out) => JSON.parse(out) }),
  wtfnode: (file) => ({ args: ['--require', 'wtfnode', INVOKE_ONCE, file], result: (out) => JSON.parse(out) }),
  // Floors, to tell the tool's own costs from those of its design: any attribution by async
  // chain pays for a hook on every resource; any checker that runs the handler in a child of
  // a Node CLI pays for two Node start-ups.
  'async-hook floor': (file) => ({ args: ['--import', './bench/workloads/tagging-hook.mjs', INVOKE_ONCE, file], result: (out) => JSON.parse(out) }),
  'two node start-ups': (file) => ({ before: ['-e', '0'], args: [INVOKE_ONCE, file], result: (out) => JSON.parse(out) }),
};

function runOnce(variant, file) {
  const { before, args: nodeArgs, result } = VARIANTS[variant](file);
  const started = performance.now();
  if (before) spawnSync(process.execPath, before, { cwd: root });
  const child = spawnSync(process.execPath, nodeArgs, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`${variant} on ${file} exited ${child.status}: ${child.stderr.slice(0, 500)}`);
  const lastLine = variant === 'lambda-hang-check' ? child.stdout : child.stdout.trim().split('\n').at(-1);
  return { wallMs, maxRssKB: result(lastLine).maxRssKB };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

/** Interleaves the variants in every repetition, so drift on a shared machine hits all alike. */
function compare(file, variants) {
  const samples = Object.fromEntries(variants.map((v) => [v, []]));
  runOnce('node', file); // warm the file cache
  for (let rep = 0; rep < reps; rep++) for (const variant of variants) samples[variant].push(runOnce(variant, file));
  return Object.fromEntries(
    variants.map((v) => [v, { wallMs: median(samples[v].map((s) => s.wallMs)), maxRssKB: median(samples[v].map((s) => s.maxRssKB)) }]),
  );
}

function scale() {
  const handlers = [
    'async-clean.js', 'async-custom-error.js', 'async-pending-timer.js', 'async-three-params.js',
    'callback-clean.js', 'callback-interval.js', 'callback-short-timer.js', 'circular-result.js',
    'cjs-handler.cjs', 'context-done-with-timer.js', 'context-dump.js', 'environment-echo.js',
    'esm-handler.mjs', 'handler-missing-export.js', 'init-throw-range-error.js', 'multi-export.js',
    'reject-object.js', 'sync-return.js', 'sync-throw.js', 'warm-state.js',
  ].map((file) => `fixtures/${file}`);
  const time = (jobs) => {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['bin/lambda-hang-check.js', ...handlers, '--jobs', String(jobs), '--timeout', '1', '--format', 'json', '--fail-on', 'never'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (child.status !== 0 || JSON.parse(child.stdout).results.length !== handlers.length) throw new Error(`--jobs ${jobs} failed: ${child.stderr}`);
    return performance.now() - started;
  };
  const runs = Math.max(1, Math.min(reps, 3));
  const one = median(Array.from({ length: runs }, () => time(1)));
  const two = median(Array.from({ length: runs }, () => time(2)));
  return { handlers: handlers.length, jobs1Ms: one, jobs2Ms: two, speedup: one / two };
}

const results = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memoryGB: Math.round(totalmem() / 2 ** 30), reps, at: new Date().toISOString().slice(0, 10) };
const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};

if (only.includes('overhead')) {
  const r = compare(workload('heavy'), ['node', 'lambda-hang-check', 'why-is-node-running', 'wtfnode', 'async-hook floor']);
  results.overhead = Object.fromEntries(Object.entries(r).map(([v, m]) => [v, { ...m, ratio: ratio(m.wallMs, r.node.wallMs) }]));
  say('## Overhead: 200,000 awaits, 20,000 setTimeout(0), 2,000 readFile (wall time, median)\n');
  say('| run by | wall | ratio to node |\n|---|---|---|');
  for (const [v, m] of Object.entries(results.overhead)) say(`| ${v} | ${Math.round(m.wallMs)} ms | ${m.ratio.toFixed(2)}× |`);
  say('');
}
if (only.includes('startup')) {
  const r = compare(workload('trivial'), ['node', 'lambda-hang-check', 'two node start-ups']);
  results.startup = { ...r, ratio: ratio(r['lambda-hang-check'].wallMs, r.node.wallMs), floorRatio: ratio(r['two node start-ups'].wallMs, r.node.wallMs) };
  say('## Start-up: a trivial handler, one invocation (wall time, median)\n');
  say('| run by | wall | ratio to node |\n|---|---|---|');
  for (const v of ['node', 'lambda-hang-check', 'two node start-ups']) say(`| ${v} | ${Math.round(r[v].wallMs)} ms | ${ratio(r[v].wallMs, r.node.wallMs).toFixed(2)}× |`);
  say('');
}
if (only.includes('memory')) {
  const churn = compare(workload('churn'), ['node', 'lambda-hang-check']);
  const heavy = compare(workload('heavy'), ['node', 'lambda-hang-check']);
  results.memory = {
    churn: { ...churn, ratio: ratio(churn['lambda-hang-check'].maxRssKB, churn.node.maxRssKB) },
    heavy: { ...heavy, ratio: ratio(heavy['lambda-hang-check'].maxRssKB, heavy.node.maxRssKB) },
  };
  say("## Memory: peak RSS of the handler's process (median)\n");
  say('| workload | node | lambda-hang-check | ratio |\n|---|---|---|---|');
  for (const [name, m] of Object.entries(results.memory)) {
    say(`| ${name === 'churn' ? '1,000,000 short-lived timers and promises' : 'the overhead workload'} | ${Math.round(m.node.maxRssKB / 1024)} MB | ${Math.round(m['lambda-hang-check'].maxRssKB / 1024)} MB | ${m.ratio.toFixed(2)}× |`);
  }
  say('');
}
if (only.includes('scale')) {
  results.scale = scale();
  say('## Scale: 20 fixture handlers, 2 invocations each (wall time, median)\n');
  say(`| --jobs 1 | --jobs 2 | speed-up |\n|---|---|---|\n| ${(results.scale.jobs1Ms / 1000).toFixed(2)} s | ${(results.scale.jobs2Ms / 1000).toFixed(2)} s | ${results.scale.speedup.toFixed(2)}× |\n`);
}

// The targets of issue 8, judged on this run's numbers; why they are missed is in docs/design.md.
const judged = [];
const judge = (name, value, target, lowerIsBetter = true) => {
  if (value === undefined) return;
  const met = lowerIsBetter ? value <= target : value >= target;
  judged.push(`| ${name} | ${value.toFixed(2)}× | ${lowerIsBetter ? '≤' : '≥'} ${target}× | ${met ? 'met' : 'missed'} |`);
};
judge('overhead', results.overhead?.['lambda-hang-check'].ratio, 1.3);
judge('start-up', results.startup?.ratio, 1.5);
judge('memory, 1,000,000 short-lived timers and promises', results.memory?.churn.ratio, 1.3);
// "Close to 2×" on 2 cores: the CLI and the reporting are serial, so 1.7× counts.
judge('--jobs 2 speed-up', results.scale?.speedup, 1.7, false);
if (judged.length > 0) {
  say('## Against the targets\n');
  say('| measure | this run | target | |\n|---|---|---|---|');
  for (const line of judged) say(line);
  say('\nWhere a target is missed, docs/design.md ("What it costs") says by how much and why.');
}

const header = `# Benchmark results\n\nNode ${results.node}, ${results.cpu}, ${results.cores} cores, ${results.memoryGB} GiB; median of ${reps} run(s), ${results.at}. Produced by \`npm run bench\` (bench/run.mjs).\n\n`;
writeFileSync(new URL('RESULTS.md', import.meta.url), header + lines.join('\n') + '\n');
writeFileSync(new URL('results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
