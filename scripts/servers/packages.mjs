/**
 * Debian's PostgreSQL and Redis packages: where their server binaries are, and installing them
 * when missing (CI starts from a machine with only Node.js and npm).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = ['postgresql', 'redis-server'];
const isRoot = process.getuid?.() === 0;

/** The directory of PostgreSQL's server binaries (Debian keeps them out of PATH), or null. */
export function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

export function redisServerPath() {
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/sbin']) if (existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  return null;
}

/** Installs the servers' Debian packages when a binary is missing (CI starts from a bare machine). */
export function ensurePackages(log = (line) => process.stderr.write(`${line}\n`)) {
  if (postgresBinDir() && redisServerPath()) return;
  if (!isRoot) throw new Error(`PostgreSQL or Redis is missing; install them first: sudo apt-get install -y ${PACKAGES.join(' ')}`);
  log(`installing ${PACKAGES.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // The packages' install scripts would start system-wide servers on the default ports; a
  // policy-rc.d that answers 101 ("action forbidden") keeps them from doing so.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 300_000 });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], { stdio: 'ignore', env, timeout: 600_000 });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}
