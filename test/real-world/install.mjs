/**
 * Dependencies of a vendored project, installed once per lockfile: `npm ci` runs in a cache
 * directory named after the sha256 of the project's package-lock.json, and the project sees
 * the result through a `node_modules` symlink (gitignored). A second run installs nothing.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const INSTALL_TIMEOUT_MS = 10 * 60_000;
const DONE_MARKER = '.installed';

/** `$XDG_CACHE_HOME` or `~/.cache`, then lambda-hang-check/real-world. */
export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'lambda-hang-check', 'real-world');
}

/**
 * Makes the project's dependencies visible to it. Resolves with `{ installed, dir }`:
 * `installed` false when the cache already had them (or the project has no lockfile).
 */
export function ensureDependencies(projectDir, log) {
  const lockfile = path.join(projectDir, 'package-lock.json');
  if (!existsSync(lockfile)) return { installed: false, dir: null };
  const hash = createHash('sha256').update(readFileSync(lockfile)).digest('hex');
  const dir = path.join(cacheRoot(), hash);
  let installed = false;
  if (!existsSync(path.join(dir, DONE_MARKER))) {
    installInto(dir, projectDir, log);
    installed = true;
  }
  linkNodeModules(projectDir, path.join(dir, 'node_modules'));
  return { installed, dir };
}

/**
 * `npm ci` in a fresh temporary directory beside the final one, renamed into place when it
 * succeeded, so an interrupted install never looks complete.
 */
function installInto(dir, projectDir, log) {
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(projectDir, file), path.join(staging, file));
  log(`installing dependencies of ${path.basename(projectDir)} (npm ci)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: staging,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const why = result.error?.message ?? (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    throw new Error(`npm ci failed for ${path.basename(projectDir)}: ${why}`);
  }
  // A project without dependencies still gets a directory, so its link never dangles.
  mkdirSync(path.join(staging, 'node_modules'), { recursive: true });
  writeFileSync(path.join(staging, DONE_MARKER), new Date().toISOString() + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}

/** Points `<project>/node_modules` at the cache; replaces an older link, never a real directory. */
function linkNodeModules(projectDir, target) {
  const link = path.join(projectDir, 'node_modules');
  let stat = null;
  try {
    stat = lstatSync(link);
  } catch {
    // Not there yet.
  }
  if (stat && !stat.isSymbolicLink()) throw new Error(`${link} is a real directory: remove it, the runner links the cached install there`);
  if (stat && readlinkSync(link) === target) return;
  if (stat) rmSync(link);
  symlinkSync(target, link, 'dir');
}
