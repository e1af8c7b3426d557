/**
 * pg, ioredis, mysql2, the old mysql driver and node-redis against a real PostgreSQL, Redis and MariaDB, started on loopback by
 * the project's own script (scripts/servers/servers.mjs: installs Debian's packages if they are missing,
 * throw-away data directories, free ports) and stopped afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type Servers } from '../../scripts/servers/servers.mjs';
import type { RuntimeId } from '../helpers/run-cli.js';
import { RUNTIMES, checkFixtures, expectLibraryRow, type LibraryRow } from './libraries-expect.js';

const CALLBACK_ON_24 = ['CALLBACK_HANDLER_DEPRECATED', 'INIT_ERROR'];
const pg = (name: string) => `fixtures/libraries/pg/${name}.js`;
const redis = (name: string) => `fixtures/libraries/redis/${name}.js`;
const mysql = (name: string) => `fixtures/libraries/mysql/${name}.js`;
/** The `mysql` package (mysql2's are in fixtures/libraries/mysql). */
const mysqljs = (name: string) => `fixtures/libraries/mysqljs/${name}.js`;
const nodeRedis = (name: string) => `fixtures/libraries/node-redis/${name}.js`;
/** No MongoDB server here: these reach a closed loopback port. */
const mongodb = (name: string) => `fixtures/libraries/mongodb/${name}.js`;

const ROWS: LibraryRow[] = [
  {
    fixture: pg('pool-callback'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'], 'nodejs24.x': CALLBACK_ON_24 },
    named: {
      code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP',
      text: 'pg Pool created at fixtures/libraries/pg/pool-callback.js:6, via node_modules/pg-pool/index.js:',
      line: 6,
      resourceLine: 9,
      hint: ['callbackWaitsForEmptyEventLoop = false', 'allowExitOnIdle: true', 'Do not call pool.end()'],
    },
  },
  {
    fixture: pg('pool-async'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'pg Pool created at fixtures/libraries/pg/pool-async.js:7', line: 7, resourceLine: 10, severity: 'info', hint: ['idleTimeoutMillis', "pool.on('error'"] },
  },
  {
    fixture: pg('pool-callback-nowait'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': CALLBACK_ON_24 },
    // No RAN_AFTER_THAW: the immediate the runtime posts the answer from, scheduled inside the
    // pool's callback, is the tool's own, not this request's work.
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'pg Pool created at fixtures/libraries/pg/pool-callback-nowait.js:6', line: 6, severity: 'info', hint: ['idleTimeoutMillis'] },
  },
  {
    fixture: pg('client-per-request'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'pg Client created at fixtures/libraries/pg/client-per-request.js:7', line: 7, resourceLine: 8, severity: 'warning', hint: ['await client.end()'] },
  },
  { fixture: pg('client-per-request-fixed'), codes: {} },
  {
    fixture: pg('client-module'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'pg Client created at fixtures/libraries/pg/client-module.js:6', line: 6, resourceLine: 7, severity: 'warning', hint: ['idleTimeoutMillis', "pool.on('error'"] },
  },
  {
    fixture: pg('pool-connect-leak'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'] },
    // An error at the line that checked the client out: the pool runs dry after `max` requests.
    named: {
      code: 'IDLE_CONNECTION_AT_FREEZE',
      text: 'pg Pool created at fixtures/libraries/pg/pool-connect-leak.js:6, via node_modules/pg-pool/index.js:',
      line: 9,
      resourceLine: 9,
      severity: 'error',
      hint: ['finally { client.release(); }', 'connectionTimeoutMillis'],
    },
  },
  {
    fixture: pg('pool-connect-leak-callback'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'], 'nodejs24.x': CALLBACK_ON_24 },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'pg Pool created at fixtures/libraries/pg/pool-connect-leak-callback.js:6', line: 10, resourceLine: 10, severity: 'error', hint: ['client.release()'] },
  },
  {
    fixture: pg('pool-connect-exhausted'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE', 'TIMEOUT_HANDLER_PENDING'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE', 'TIMEOUT_HANDLER_PENDING'] },
    // The leak's outcome: with `max: 2`, the third pool.connect() waits until the deadline.
    named: { code: 'TIMEOUT_HANDLER_PENDING', text: 'pg Pool created at fixtures/libraries/pg/pool-connect-exhausted.js:6', line: 9, resourceLine: 9, hint: ['connectionTimeoutMillis', 'finally { client.release(); }'] },
  },
  {
    fixture: pg('pool-connect-fixed'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'pg Pool created at fixtures/libraries/pg/pool-connect-fixed.js:6', line: 6, resourceLine: 9, severity: 'info', hint: ['idleTimeoutMillis'] },
  },
  {
    fixture: redis('callback'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'], 'nodejs24.x': CALLBACK_ON_24 },
    named: { code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', text: 'ioredis Redis created at fixtures/libraries/redis/callback.js:6, via node_modules/ioredis/', line: 6, resourceLine: 6, hint: ['callbackWaitsForEmptyEventLoop = false', 'Do not quit() a client you reuse'] },
  },
  {
    fixture: redis('async'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'ioredis Redis created at fixtures/libraries/redis/async.js:6', line: 6, resourceLine: 6, severity: 'warning', hint: ['commandTimeout', 'maxRetriesPerRequest'] },
  },
  // `await redis.quit()` resolves a moment before the socket closes: not a leak.
  { fixture: redis('per-request-fixed'), codes: {} },
  {
    fixture: mysql('pool-callback'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'], 'nodejs24.x': CALLBACK_ON_24 },
    named: {
      code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP',
      text: 'mysql2 Pool created at fixtures/libraries/mysql/pool-callback.js:6, via node_modules/mysql2/lib/base/pool.js:',
      line: 6,
      resourceLine: 9,
      hint: ['callbackWaitsForEmptyEventLoop = false', 'Do not call pool.end()', '"Pool is closed."'],
    },
  },
  {
    fixture: mysql('pool-async'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    // No idle timer by default: a warning, not pg's info.
    named: {
      code: 'IDLE_CONNECTION_AT_FREEZE',
      text: 'mysql2 Pool created at fixtures/libraries/mysql/pool-async.js:7, via node_modules/mysql2/lib/promise/pool.js:',
      line: 7,
      resourceLine: 10,
      severity: 'warning',
      hint: ['`maxIdle` below `connectionLimit`', 'idleTimeout', 'enableKeepAlive` does not help'],
    },
  },
  {
    fixture: mysql('pool-idle-timeout'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'mysql2 Pool created at fixtures/libraries/mysql/pool-idle-timeout.js:7', line: 7, resourceLine: 10, severity: 'info', hint: ['Nothing to change while `idleTimeout`'] },
  },
  {
    fixture: mysql('pool-callback-nowait'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': CALLBACK_ON_24 },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'mysql2 Pool created at fixtures/libraries/mysql/pool-callback-nowait.js:6', line: 6, resourceLine: 10, severity: 'warning', hint: ['maxIdle'] },
  },
  {
    fixture: mysql('connection-per-request'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'mysql2 Connection created at fixtures/libraries/mysql/connection-per-request.js:7', line: 7, resourceLine: 7, severity: 'warning', hint: ['await connection.end()', 'Too many connections'] },
  },
  {
    fixture: mysql('connection-per-request-callback'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'], 'nodejs24.x': CALLBACK_ON_24 },
    named: {
      code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP',
      text: 'mysql2 Connection created at fixtures/libraries/mysql/connection-per-request-callback.js:7, via node_modules/mysql2/lib/create_connection.js:',
      line: 7,
      resourceLine: 7,
      hint: ['await connection.end()', 'callbackWaitsForEmptyEventLoop = false'],
    },
  },
  // `await connection.end()` resolves a moment before the socket closes: not a leak either.
  { fixture: mysql('connection-per-request-fixed'), codes: {} },
  {
    fixture: mysql('connection-module'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'mysql2 Connection created at fixtures/libraries/mysql/connection-module.js:6', line: 6, resourceLine: 6, severity: 'warning', hint: ["connection.on('error', …)", 'prefer a pool'] },
  },
  {
    fixture: mysqljs('pool-callback'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'], 'nodejs24.x': CALLBACK_ON_24 },
    named: {
      code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP',
      text: 'mysql Pool created at fixtures/libraries/mysqljs/pool-callback.js:6, via node_modules/mysql/lib/Pool.js:',
      line: 6,
      resourceLine: 9,
      hint: ['callbackWaitsForEmptyEventLoop = false', 'no idle timeout', '"Pool is closed."'],
    },
  },
  {
    fixture: mysqljs('pool-callback-nowait'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': CALLBACK_ON_24 },
    // Info: the pool pings an idle connection before handing it out.
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'mysql Pool created at fixtures/libraries/mysqljs/pool-callback-nowait.js:6', line: 6, resourceLine: 10, severity: 'info', hint: ["fails the pool's ping"] },
  },
  {
    fixture: mysqljs('pool-async'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'mysql Pool created at fixtures/libraries/mysqljs/pool-async.js:7', line: 7, resourceLine: 11, severity: 'info', hint: ["fails the pool's ping"] },
  },
  {
    fixture: mysqljs('connection-module'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'mysql Connection created at fixtures/libraries/mysqljs/connection-module.js:6, via node_modules/mysql/lib/Connection.js:', line: 6, resourceLine: 10, severity: 'warning', hint: ["connection.on('error', …)", 'Cannot enqueue Query after fatal error.'] },
  },
  {
    fixture: mysqljs('connection-per-request'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE', 'RESOURCE_GROWTH'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'mysql Connection created at fixtures/libraries/mysqljs/connection-per-request.js:7', line: 7, resourceLine: 9, severity: 'warning', hint: ['`connection.end()`', 'Too many connections'] },
  },
  { fixture: mysqljs('connection-per-request-fixed'), codes: {} },
  {
    fixture: nodeRedis('callback'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'], 'nodejs24.x': CALLBACK_ON_24 },
    named: { code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', text: 'redis client created at fixtures/libraries/node-redis/callback.js:6, via node_modules/@redis/client/', line: 6, resourceLine: 8, hint: ['callbackWaitsForEmptyEventLoop = false', '"The client is closed"'] },
  },
  {
    fixture: nodeRedis('callback-nowait'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': CALLBACK_ON_24 },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'redis client created at fixtures/libraries/node-redis/callback-nowait.js:6', line: 6, resourceLine: 8, severity: 'warning', hint: ["client.on('error', …)"] },
  },
  {
    fixture: nodeRedis('async'),
    codes: { 'nodejs22.x': ['IDLE_CONNECTION_AT_FREEZE'], 'nodejs24.x': ['IDLE_CONNECTION_AT_FREEZE'] },
    named: { code: 'IDLE_CONNECTION_AT_FREEZE', text: 'redis client created at fixtures/libraries/node-redis/async.js:7', line: 7, resourceLine: 9, severity: 'warning', hint: ["client.on('error', …)", 'Socket closed unexpectedly'] },
  },
  // `await client.close()` resolves a moment before the socket closes: not a leak.
  { fixture: nodeRedis('per-request-fixed'), codes: {} },
  {
    fixture: nodeRedis('unreachable'),
    codes: { 'nodejs22.x': ['TIMEOUT_HANDLER_PENDING'], 'nodejs24.x': ['TIMEOUT_HANDLER_PENDING'] },
    named: { code: 'TIMEOUT_HANDLER_PENDING', text: 'redis client created at fixtures/libraries/node-redis/unreachable.js:6, via node_modules/@redis/client/dist/lib/client/index.js:', line: 6, resourceLine: 10, hint: ['reconnectStrategy', 'disableOfflineQueue'] },
  },
  {
    fixture: nodeRedis('unreachable-fixed'),
    // A refused socket still being destroyed at the post is not an open connection (the harness
    // leaves closing handles out): exactly the handler's error, every time.
    codes: { 'nodejs22.x': ['HANDLER_ERROR'], 'nodejs24.x': ['HANDLER_ERROR'] },
  },
  {
    fixture: mongodb('unreachable'),
    codes: { 'nodejs22.x': ['TIMEOUT_HANDLER_PENDING'], 'nodejs24.x': ['TIMEOUT_HANDLER_PENDING'] },
    named: { code: 'TIMEOUT_HANDLER_PENDING', text: 'MongoDB MongoClient created at fixtures/libraries/mongodb/unreachable.js:7, via node_modules/mongodb/', line: 7, resourceLine: 10, hint: ['serverSelectionTimeoutMS', '"Topology is closed"'] },
  },
  {
    fixture: mongodb('unreachable-callback'),
    codes: { 'nodejs22.x': ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_HANDLER_PENDING'], 'nodejs24.x': CALLBACK_ON_24 },
    named: { code: 'TIMEOUT_HANDLER_PENDING', text: 'MongoDB MongoClient created at fixtures/libraries/mongodb/unreachable-callback.js:6', line: 6, resourceLine: 10, hint: ['serverSelectionTimeoutMS'] },
  },
  { fixture: mongodb('unreachable-fixed'), codes: { 'nodejs22.x': ['HANDLER_ERROR'], 'nodejs24.x': ['HANDLER_ERROR'] } },
];

describe('pg, ioredis, mysql2, mysql and node-redis against real servers (MongoDB against a closed port)', () => {
  let servers: Servers | undefined;
  const results = new Map<RuntimeId, Map<string, any>>();

  beforeAll(async () => {
    servers = await startServers({ postgres: true, redis: true, mysql: true });
    // The old mysql driver needs a path in its URL; mysql2 takes it too.
    const env = { DATABASE_URL: servers.postgres!, REDIS_URL: servers.redis!, MYSQL_URL: `${servers.mysql!}/` };
    const fixtures = ROWS.map((row) => row.fixture);
    const runs = await Promise.all(RUNTIMES.map((runtime) => checkFixtures(runtime, fixtures, env)));
    RUNTIMES.forEach((runtime, i) => results.set(runtime, runs[i]!));
  }, 600_000);

  afterAll(async () => {
    await servers?.stop();
  }, 60_000);

  describe.each(RUNTIMES)('on %s', (runtime) => {
    it.each(ROWS.map((row) => [row.fixture, row] as const))('%s', (_fixture, row) => {
      expectLibraryRow(results.get(runtime)!.get(row.fixture), row, runtime);
    });
  });

  it('gives the pooled callback handler and its async twin different, library-specific advice', () => {
    const callback = results.get('nodejs22.x')!.get(pg('pool-callback'));
    const twin = results.get('nodejs22.x')!.get(pg('pool-async'));
    const timeout = callback.findings.find((finding: any) => finding.code === 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
    const idle = twin.findings.find((finding: any) => finding.code === 'IDLE_CONNECTION_AT_FREEZE');
    expect(callback.verdict).toBe('fail');
    expect(twin.verdict).toBe('pass');
    // The generic advice (close the connection with pool.end()) would break the next invocation.
    expect(timeout.hint).not.toMatch(/^close the connection/);
    expect(idle.hint).not.toContain('callbackWaitsForEmptyEventLoop');
    expect(timeout.resources.map((resource: any) => resource.summary).sort()).toEqual([
      expect.stringMatching(/^pg Pool: client connection to 127\.0\.0\.1:\d+$/),
      'pg Pool: idle-client timer (idleTimeoutMillis 10000 ms)',
    ]);
  });

  it('tells a pg client checked out and never released from an idle one, says when the pool runs dry, and gives release() for the growth too', () => {
    const leak = results.get('nodejs22.x')!.get(pg('pool-connect-leak'));
    const first = leak.findings.find((finding: any) => finding.code === 'IDLE_CONNECTION_AT_FREEZE' && finding.invocation === 1);
    expect(first.message).toContain('checked out and never released');
    expect(first.message).toContain('once all 10 (the pool\'s `max`) are out, pool.connect() waits for a free client with no limit');
    expect(first.resources.map((resource: any) => resource.summary)).toEqual([expect.stringMatching(/^pg Pool: client connection to 127\.0\.0\.1:\d+, checked out and never released$/)]);
    const growth = leak.findings.find((finding: any) => finding.code === 'RESOURCE_GROWTH');
    expect(growth.location).toMatchObject({ file: pg('pool-connect-leak'), line: 9 });
    expect(growth.hint).toContain('client.release()');
    expect(growth.hint).not.toContain('await client.end()');
    expect(leak.verdict).toBe('fail');
    const fixed = results.get('nodejs22.x')!.get(pg('pool-connect-fixed'));
    expect(fixed.findings.map((finding: any) => finding.message).join('\n')).not.toContain('checked out');
  });

  it('names node-redis\'s reconnect timer and the MongoDB driver\'s selection timers where the handler waited for a server', () => {
    const redisWait = results.get('nodejs22.x')!.get(nodeRedis('unreachable')).findings.find((finding: any) => finding.code === 'TIMEOUT_HANDLER_PENDING');
    expect(redisWait.resources.map((resource: any) => resource.summary)).toContainEqual(expect.stringMatching(/^redis client: reconnect timer \(\d+ ms\)$/));
    const mongoWait = results.get('nodejs22.x')!.get(mongodb('unreachable')).findings.find((finding: any) => finding.code === 'TIMEOUT_HANDLER_PENDING');
    expect(mongoWait.resources.map((resource: any) => resource.summary)).toContain('MongoDB MongoClient: server selection or monitoring timer (30000 ms)');
    // After a failed first connection the client stays closed for the later requests.
    const failed = results.get('nodejs22.x')!.get(mongodb('unreachable-fixed')).findings.map((finding: any) => finding.message);
    expect(failed[0]).toContain('MongoServerSelectionError');
    expect(failed.slice(1).every((message: string) => message.includes('Topology is closed'))).toBe(true);
  });

  it('shows that a mysql2 pool holds the loop with its connection alone, and names its idle check where there is one', () => {
    const callback = results.get('nodejs22.x')!.get(mysql('pool-callback'));
    const twin = results.get('nodejs22.x')!.get(mysql('pool-async'));
    const checked = results.get('nodejs22.x')!.get(mysql('pool-idle-timeout'));
    const timeout = callback.findings.find((finding: any) => finding.code === 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
    expect(callback.verdict).toBe('fail');
    expect(twin.verdict).toBe('pass');
    // By default (maxIdle = connectionLimit) the pool arms no timer: the socket is all there is.
    expect(timeout.resources.map((resource: any) => resource.summary)).toEqual([expect.stringMatching(/^mysql2 Pool: connection to 127\.0\.0\.1:\d+$/)]);
    expect(timeout.hint).not.toMatch(/^close the connection/);
    const idle = checked.findings.find((finding: any) => finding.code === 'IDLE_CONNECTION_AT_FREEZE');
    expect(idle.message).toContain('idle longer than `idleTimeout`');
    expect(idle.resources.map((resource: any) => resource.summary)).toContain('mysql2 Pool: idle-connection check every 1000 ms (maxIdle, idleTimeout)');
  });
});
