#!/usr/bin/env node
/**
 * Real PostgreSQL, Redis and MariaDB for the library tests: Debian's packages, started on free
 * loopback ports with throw-away data directories, stopped (and the directories removed)
 * afterwards. Used by the tests' own set-up (import startServers) and from a shell:
 *
 *   node scripts/servers/servers.mjs install          apt-get install what is missing
 *   node scripts/servers/servers.mjs start [STATE]    prints `export LHC_TEST_*_URL=…` lines
 *   node scripts/servers/servers.mjs stop [STATE]
 *
 * Every wait here is bounded: a server that does not come up fails the set-up, it never hangs it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePackages, mariadbPaths, postgresBinDir, redisServerPath } from './packages.mjs';

export { ensurePackages };

const READY_WITHIN_MS = 30_000;
const STOP_WITHIN_MS = 10_000;
const isRoot = process.getuid?.() === 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true, at most READY_WITHIN_MS; fails early if the process died. */
async function waitUntil(what, child, probe) {
  const until = Date.now() + READY_WITHIN_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited during start-up (${child.exitCode ?? child.signalCode})`);
    if (await probe()) return;
    await sleep(100);
  }
  throw new Error(`${what} was not ready within ${READY_WITHIN_MS} ms`);
}

/** Sends `request` on a fresh loopback connection; resolves with whether the reply matches. */
function probeTcp(port, request, expected) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (expected.test(reply)) done(true);
    });
  });
}

/**
 * initdb and postgres refuse to run as root: as root, run them as the `postgres` user the
 * package creates (spawn's uid/gid, like `runuser -u postgres`, but the pid we get is the
 * postmaster's own, so stopping it needs no signal forwarding).
 */
function postgresUser() {
  if (!isRoot) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function startPostgres() {
  const bin = postgresBinDir();
  const dataDir = mkdtempSync(join(tmpdir(), 'lhc-pg-'));
  const user = postgresUser();
  if (isRoot) chownSync(dataDir, user.uid, user.gid);
  chmodSync(dataDir, 0o700);
  // cwd: the postgres user may not be allowed into the caller's directory.
  try {
    const initArgs = ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'];
    execFileSync(join(bin, 'initdb'), initArgs, { ...user, cwd: dataDir, stdio: 'pipe', timeout: 60_000 });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${error.stderr?.toString().trim() || error.message}`);
  }
  const port = await freePort();
  const args = [
    '-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`,
    // A throw-away database: durability only costs time here.
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ];
  const child = spawn(join(bin, 'postgres'), args, { ...user, cwd: dataDir, stdio: 'ignore', detached: true });
  // The `start` command returns while the server runs on; its own process group keeps it out of the tests' signals.
  child.unref();
  // An SSLRequest answered with 'N' or 'S' means the postmaster accepts connections.
  const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  await waitUntil('postgres', child, () => probeTcp(port, sslRequest, /^[NS]/));
  // Ready for the postmaster is not yet ready for sessions: wait until a query can run.
  await waitUntil('postgres', child, () => pgAcceptsSessions(bin, port));
  return { name: 'postgres', pid: child.pid, dataDir, url: `postgres://postgres@127.0.0.1:${port}/postgres`, stopSignal: 'SIGQUIT' };
}

async function pgAcceptsSessions(bin, port) {
  try {
    execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-t', '1'], { stdio: 'ignore', timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

async function startRedis() {
  const dataDir = mkdtempSync(join(tmpdir(), 'lhc-redis-'));
  const port = await freePort();
  const child = spawn(redisServerPath(), [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning',
  ], { stdio: 'ignore', detached: true });
  child.unref();
  await waitUntil('redis-server', child, () => probeTcp(port, 'PING\r\n', /\+PONG/));
  return { name: 'redis', pid: child.pid, dataDir, url: `redis://127.0.0.1:${port}`, stopSignal: 'SIGTERM' };
}

/**
 * MariaDB with a throw-away data directory that `mariadb-install-db` fills (a few seconds),
 * its socket in the same directory, and a password-less root on 127.0.0.1. `--no-defaults`
 * keeps /etc/mysql's configuration (system paths, a socket in /run) out of it. As root,
 * mariadbd refuses to start unless told to run as root (`--user=root`).
 */
async function startMariadb() {
  const { server, installDb } = mariadbPaths();
  const dir = mkdtempSync(join(tmpdir(), 'lhc-mysql-'));
  const dataDir = join(dir, 'data');
  const asRoot = isRoot ? ['--user=root'] : [];
  try {
    const initArgs = ['--no-defaults', `--datadir=${dataDir}`, ...asRoot, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'];
    execFileSync(installDb, initArgs, { cwd: dir, stdio: 'pipe', timeout: 120_000 });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${error.stderr?.toString().trim() || error.message}`);
  }
  const port = await freePort();
  const args = [
    '--no-defaults', `--datadir=${dataDir}`, `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${join(dir, 'error.log')}`, `--port=${port}`, '--bind-address=127.0.0.1', '--skip-name-resolve', ...asRoot,
    // A throw-away database: durability only costs time here; connections leaked on purpose need room.
    '--innodb-flush-log-at-trx-commit=0', '--innodb-buffer-pool-size=32M', '--max-connections=500',
  ];
  const child = spawn(server, args, { cwd: dir, stdio: 'ignore', detached: true });
  child.unref();
  const started = { name: 'mysql', pid: child.pid, dataDir: dir, url: `mysql://root@127.0.0.1:${port}`, stopSignal: 'SIGTERM' };
  try {
    // The server greets every connection with its handshake (protocol version 10 after the
    // 4-byte packet header) only once it accepts sessions, which is "ready" for a client.
    await waitUntil('mariadbd', child, () => probeTcp(port, '', /^[\s\S]{4}\x0a\d/));
  } catch (error) {
    // The server writes why it did not start to its own log only, which goes with the directory.
    const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8').trim().split('\n').slice(-5).join('\n') : '';
    await stopServer(started);
    throw new Error(`${error.message}${log ? `\n${log}` : ''}`);
  }
  return started;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops one server by its pid (SIGQUIT is PostgreSQL's immediate shutdown: the data is thrown
 * away anyway; SIGTERM is MariaDB's clean one, well under a second here), then removes its data.
 */
export async function stopServer(server) {
  if (isAlive(server.pid)) {
    process.kill(server.pid, server.stopSignal);
    const until = Date.now() + STOP_WITHIN_MS;
    while (isAlive(server.pid) && Date.now() < until) await sleep(50);
    if (isAlive(server.pid)) process.kill(server.pid, 'SIGKILL');
  }
  rmSync(server.dataDir, { recursive: true, force: true });
}

const STARTERS = { postgres: startPostgres, redis: startRedis, mysql: startMariadb };

/**
 * Starts the servers asked for. Resolves with their URLs and a `stop()`. A server whose URL is
 * already in the environment (LHC_TEST_POSTGRES_URL, LHC_TEST_REDIS_URL, LHC_TEST_MYSQL_URL)
 * is used as it is. Unless `outliveCaller`, they are killed when the calling process exits
 * without stop().
 */
export async function startServers({ postgres = true, redis = true, mysql = true, outliveCaller = false } = {}) {
  const started = [];
  const wanted = Object.entries({ postgres, redis, mysql }).filter(([, yes]) => yes).map(([name]) => name);
  const urls = Object.fromEntries(wanted.map((name) => [name, process.env[`LHC_TEST_${name.toUpperCase()}_URL`]]));
  const toStart = wanted.filter((name) => !urls[name]);
  try {
    if (toStart.length > 0) ensurePackages(undefined, toStart);
    for (const name of toStart) started.push(await STARTERS[name]());
  } catch (error) {
    await Promise.all(started.map(stopServer));
    throw error;
  }
  for (const server of started) urls[server.name] = server.url;
  // If the caller dies without stop() (a crashed test worker), the servers go with it.
  const onExit = () => started.forEach((server) => isAlive(server.pid) && process.kill(server.pid, 'SIGKILL'));
  if (!outliveCaller) process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    await Promise.all(started.map(stopServer));
  };
  return { ...urls, servers: started, stop };
}

async function main([command, stateFile = join(tmpdir(), 'lhc-test-servers.json')]) {
  if (command === 'install') return ensurePackages();
  if (command === 'start') {
    const { servers, postgres, redis, mysql } = await startServers({ outliveCaller: true });
    writeFileSync(stateFile, JSON.stringify(servers));
    process.stdout.write(`export LHC_TEST_POSTGRES_URL=${postgres}\nexport LHC_TEST_REDIS_URL=${redis}\nexport LHC_TEST_MYSQL_URL=${mysql}\n`);
    return;
  }
  if (command === 'stop') {
    if (!existsSync(stateFile)) return;
    await Promise.all(JSON.parse(readFileSync(stateFile, 'utf8')).map(stopServer));
    rmSync(stateFile, { force: true });
    return;
  }
  throw new Error('usage: servers.mjs install | start [state-file] | stop [state-file]');
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`servers: ${error.message}\n`);
    process.exitCode = 1;
  });
}
