/**
 * Debian's PostgreSQL, Redis and MariaDB packages: where their server binaries are, and
 * installing the ones missing (CI starts from a machine with only Node.js and npm).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const isRoot = process.getuid?.() === 0;

/** The directory of PostgreSQL's server binaries (Debian keeps them out of PATH), or null. */
export function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

const findBinary = (names, dirs = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) => {
  for (const name of names) for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
};

export const redisServerPath = () => findBinary(['redis-server']);

/** MariaDB's server and its data-directory initialiser (older packages name them after MySQL). */
export function mariadbPaths() {
  const server = findBinary(['mariadbd', 'mysqld']);
  const installDb = findBinary(['mariadb-install-db', 'mysql_install_db']);
  return server && installDb ? { server, installDb } : null;
}

/** Each test server's Debian package, and whether its binaries are already there. */
const PACKAGES = {
  postgres: { name: 'postgresql', isInstalled: () => postgresBinDir() !== null },
  redis: { name: 'redis-server', isInstalled: () => redisServerPath() !== null },
  mysql: { name: 'mariadb-server', isInstalled: () => mariadbPaths() !== null },
};

/**
 * Installs the Debian packages of the servers asked for (`postgres`, `redis`, `mysql`; all by
 * default) that are missing: CI starts from a bare machine.
 */
export function ensurePackages(log = (line) => process.stderr.write(`${line}\n`), servers = Object.keys(PACKAGES)) {
  const missing = servers.filter((server) => !PACKAGES[server].isInstalled()).map((server) => PACKAGES[server].name);
  if (missing.length === 0) return;
  if (!isRoot) throw new Error(`some test servers are missing; install them first: sudo apt-get install -y ${missing.join(' ')}`);
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // The packages' install scripts would start system-wide servers on the default ports; a
  // policy-rc.d that answers 101 ("action forbidden") keeps them from doing so.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 300_000 });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'ignore', env, timeout: 600_000 });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}
