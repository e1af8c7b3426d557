#!/usr/bin/env node
/**
 * The real-world corpus (issue 11): vendored handlers of public projects, each case checked
 * with the built CLI against what a Lambda expert expects (projects/<slug>/cases.json).
 *
 *   node test/real-world/run.mjs [--project <slug>]... [--case <substring>]... [--verbose]
 *
 * Installs each project's dependencies once per lockfile (install.mjs), starts only the
 * services the selected cases name (services.mjs), runs the cases one after another, and
 * prints one line per case, then `real-world: N passed, N failed` (`, N known gaps`) alone on
 * the last line. Exit 1 on any failure, 2 if it could not run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { caseArguments, caseStatus, compareReport, placeholderValues, servicesNeeded, validateCases } from './compare.mjs';
import { ensureDependencies } from './install.mjs';
import { startServices } from './services.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const bin = path.join(root, 'bin', 'lambda-hang-check.js');
/** A guard only: the CLI itself ends every target within its timeout plus a grace. */
const DEFAULT_SPAWN_TIMEOUT_MS = 180_000;

const { values: flags } = parseArgs({
  options: {
    project: { type: 'string', multiple: true },
    case: { type: 'string', multiple: true },
    verbose: { type: 'boolean', short: 'v' },
  },
});

const log = (line) => process.stderr.write(`real-world: ${line}\n`);
let current = null;
let services = null;

process.once('SIGINT', () => interrupt('SIGINT'));
process.once('SIGTERM', () => interrupt('SIGTERM'));

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`real-world: ${error.message}`);
  process.exitCode = 2;
} finally {
  await services?.stop();
}

async function main() {
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const projects = loadProjects();
  const selected = projects
    .map((project) => ({ ...project, cases: project.cases.filter((c) => !flags.case || flags.case.some((text) => c.name.includes(text))) }))
    .filter((project) => project.cases.length > 0);
  if (selected.length === 0) throw new Error('no case matches the given --project / --case');

  // Each case runs its handlers on its runtime's own Node major, as on Lambda: put the majors in
  // the tool's cache first (nothing to do once cached), so no case is checked on another one.
  const runtimes = spawnSync(process.execPath, [bin, 'install-runtime', 'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x'], { encoding: 'utf8' });
  if (runtimes.status !== 0) throw new Error(`install-runtime failed: ${runtimes.stderr.trim()}`);
  for (const project of selected) ensureDependencies(project.dir, log);
  services = await startServices(servicesNeeded(selected.flatMap((project) => project.cases)), log);
  const values = placeholderValues(services.urls);

  const counts = { passed: 0, failed: 0, gaps: 0 };
  for (const project of selected) {
    for (const testCase of project.cases) {
      const started = performance.now();
      const run = await runCase(project, testCase, values);
      const diffs = run.problem ? [run.problem] : compareReport(testCase.expect, run.status, run.report);
      const status = caseStatus(testCase, diffs);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${status.padEnd(9)} ${project.slug} › ${testCase.name} (${seconds} s)`);
      if (status === 'ok') {
        counts.passed += 1;
        if (testCase.knownGap) console.log(`          known gap no longer seen, remove it from cases.json: ${testCase.knownGap}`);
        continue;
      }
      if (status === 'known gap') counts.gaps += 1;
      else counts.failed += 1;
      if (testCase.knownGap) console.log(`          ${testCase.knownGap}`);
      for (const diff of diffs) console.log(`          ${diff}`);
      if ((flags.verbose || !run.report) && run.stderr.trim()) console.log(indent(`stderr: ${run.stderr.trim().split('\n').slice(-15).join('\n')}`));
    }
  }
  const gaps = counts.gaps > 0 ? `, ${counts.gaps} known gap${counts.gaps === 1 ? '' : 's'}` : '';
  console.log(`real-world: ${counts.passed} passed, ${counts.failed} failed${gaps}`);
  return counts.failed > 0 ? 1 : 0;
}

/** projects/<slug>/cases.json, validated; a malformed file stops the run before anything starts. */
function loadProjects() {
  const projectsDir = path.join(here, 'projects');
  const slugs = readdirSync(projectsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const unknown = (flags.project ?? []).filter((slug) => !slugs.includes(slug));
  if (unknown.length > 0) throw new Error(`no project ${unknown.join(', ')} (known: ${slugs.join(', ')})`);
  return slugs
    .filter((slug) => !flags.project || flags.project.includes(slug))
    .map((slug) => {
      const dir = path.join(projectsDir, slug);
      const file = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8'));
      const problems = validateCases(file);
      if (problems.length > 0) throw new Error(`${slug}/cases.json: ${problems.join('; ')}`);
      return { slug, dir, cases: file.cases };
    });
}

/** Spawns the built CLI for one case; resolves with its status, parsed report and stderr. */
function runCase(project, testCase, values) {
  let args;
  try {
    args = caseArguments(testCase, values);
  } catch (error) {
    return Promise.resolve({ problem: error.message, stderr: '' });
  }
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key.startsWith('LHC_') || key.startsWith('VITEST') || key === 'GITHUB_ACTIONS') continue;
    env[key] = value;
  }
  Object.assign(env, { NO_COLOR: '1', FORCE_COLOR: '0' });
  return new Promise((resolve) => {
    // Its own process group, so a hard timeout takes the CLI and anything it left with it.
    const child = spawn(process.execPath, [bin, ...args], { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const limitMs = testCase.spawnTimeoutMs ?? DEFAULT_SPAWN_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, limitMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      current = null;
      if (timedOut) return resolve({ problem: `the CLI did not finish within ${limitMs} ms (killed)`, stderr });
      let report;
      try {
        report = JSON.parse(stdout);
      } catch {
        report = undefined;
      }
      resolve({ status: status ?? signal, report, stderr });
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function interrupt(signal) {
  if (current) killGroup(current);
  await services?.stop();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function indent(text) {
  return text.split('\n').map((line) => `          ${line}`).join('\n');
}
