import { describe, expect, it } from 'vitest';
import { classify } from '../../src/analysis/classify.js';
import { findCreationSite, matchLibrary, packageOf } from '../../src/analysis/library-match.js';
import type { FrameContext } from '../../src/analysis/frames.js';
import { makeInvocationRecord, makeRawFrame, makeRawResource, makeResource, makeRunRecord } from '../helpers/factories.js';

const frame = (file: string, line: number, fn: string | null = null) => ({ function: fn, file, line, column: 3 });
const SOURCE: Record<string, string> = {
  '/app/db.js': ["const { Pool } = require('pg');", '', 'const pool = new Pool({ max: 2 });', '', 'exports.handler = (event, context, callback) => {', '  pool.query("SELECT 1", callback);', '};'].join('\n'),
  '/app/typed.ts': ["import pg from 'pg';", 'const db: pg.Pool = new pg.Pool();', 'export const handler = async () => (await db.query("SELECT 1")).rows;'].join('\n'),
  '/app/two.js': ['const a = new Pool();', 'const b = new Pool();', 'exports.handler = () => {};'].join('\n'),
  '/app/my.js': ["const mysql = require('mysql2/promise');", 'const spare = mysql.createPool();', 'const db = mysql.createPool({ maxIdle: 0 });', 'const other = mysql.createConnection(url);', 'exports.handler = async () => (await db.query("SELECT 1"))[0];'].join('\n'),
  '/app/my-one.js': ["const mysql = require('mysql2');", 'const pool = mysql.createPool({ maxIdle: 0 });'].join('\n'),
};
const read = (file: string) => SOURCE[`/app/${file}`]?.split('\n') ?? null;
const ctx: FrameContext = { cwd: '/app', sourceMaps: new Map(), isOwnFile: () => false, readSource: (file) => SOURCE[file] ?? null, handlerFile: 'db.js' };

describe('recognising a library from frames', () => {
  it('names the package nearest the user\'s call: pg-pool means a pg Pool', () => {
    const socket = makeResource({
      kind: 'socket',
      stack: [frame('node_modules/pg/lib/connection.js', 45), frame('node_modules/pg-pool/index.js', 449, 'query'), frame('db.js', 6)],
    });
    expect(matchLibrary(socket)).toMatchObject({ library: { name: 'pg' }, object: { name: 'Pool' } });
    socket.stack = [frame('node_modules/pg/lib/connection.js', 45), frame('node_modules/pg/lib/client.js', 234), frame('db.js', 6)];
    expect(matchLibrary(socket)).toMatchObject({ library: { name: 'pg' }, object: { name: 'Client' } });
  });

  it('falls back to `via` (a connect request Node made for the SDK) and to the summary (fetch, node:http)', () => {
    expect(matchLibrary(makeResource({ kind: 'request', stack: [], via: 'node_modules/@smithy/node-http-handler/dist-cjs/index.js:371' }))?.library.name).toBe('AWS SDK v3');
    expect(matchLibrary(makeResource({ kind: 'socket', stack: [], summary: 'fetch (undici) connection to 10.0.0.1:443, request in flight' }))?.library.name).toBe('fetch (undici)');
    expect(matchLibrary(makeResource({ kind: 'socket', stack: [], summary: 'HTTP GET example.com/ in flight' }))?.library.name).toBe('node:http');
    expect(matchLibrary(makeResource({ kind: 'socket', stack: [frame('node_modules/mystery/index.js', 1)], summary: 'TCP socket to 10.0.0.1:9' }))).toBeNull();
  });

  it('tells a mysql2 Pool from a Connection by the package\'s own files, and its idle check by its function', () => {
    const pooled = makeResource({
      kind: 'socket',
      stack: [frame('node_modules/mysql2/lib/base/connection.js', 102), frame('node_modules/mysql2/lib/pool_connection.js', 7), frame('node_modules/mysql2/lib/promise/pool.js', 48, 'query'), frame('my.js', 5)],
    });
    expect(matchLibrary(pooled)).toMatchObject({ library: { name: 'mysql2' }, object: { name: 'Pool' } });
    const single = makeResource({ kind: 'socket', stack: [frame('node_modules/mysql2/lib/base/connection.js', 102), frame('node_modules/mysql2/lib/create_connection.js', 7), frame('my.js', 4)] });
    expect(matchLibrary(single)).toMatchObject({ library: { name: 'mysql2' }, object: { name: 'Connection' } });
    // Re-armed from its own callback: no user frame, only the pool's.
    const check = makeResource({ kind: 'timer', location: null, stack: [frame('node_modules/mysql2/lib/base/pool.js', 326, '_removeIdleTimeoutConnections')] });
    const found = matchLibrary(check)!;
    expect(found.object.name).toBe('Pool');
    expect(found.library.role(check)).toBe('idle-timer');
    expect(found.library.role(pooled)).toBe('connection');
    expect(found.library.describe({ ...check, summary: 'setTimeout 1000 ms → anonymous' }, 'idle-timer')).toBe('idle-connection check every 1000 ms (maxIdle, idleTimeout)');
    const connectTimer = makeResource({ kind: 'timer', summary: 'setTimeout 10000 ms → bound _handleTimeoutError', stack: [frame('node_modules/mysql2/lib/base/connection.js', 244, 'BaseConnection'), frame('my.js', 4)] });
    expect(found.library.describe(connectTimer, found.library.role(connectTimer))).toBe('connect timer (connectTimeout 10000 ms)');
  });

  it('tells the mysql driver from mysql2, node-redis from ioredis, and undici\'s request() from its Pool', () => {
    const socket = (...files: string[]) => makeResource({ kind: 'socket', stack: [...files.map((file, i) => frame(file, i + 1)), frame('app.js', 9)] });
    expect(matchLibrary(socket('node_modules/mysql/lib/Connection.js', 'node_modules/mysql/lib/Pool.js'))).toMatchObject({ library: { name: 'mysql' }, object: { name: 'Pool' } });
    expect(matchLibrary(socket('node_modules/mysql/lib/Connection.js'))).toMatchObject({ library: { name: 'mysql' }, object: { name: 'Connection' } });
    expect(matchLibrary(socket('node_modules/@redis/client/dist/lib/client/socket.js'))?.library.name).toBe('redis');
    expect(matchLibrary(socket('node_modules/ioredis/built/Redis.js'))?.library.name).toBe('ioredis');
    expect(matchLibrary(socket('node_modules/undici/lib/dispatcher/pool.js', 'node_modules/undici/lib/api/api-request.js', 'node_modules/undici/index.js'))).toMatchObject({ library: { name: 'undici' }, object: { name: 'request' } });
    expect(matchLibrary(socket('node_modules/undici/lib/dispatcher/pool-base.js', 'node_modules/undici/lib/api/api-request.js'))).toMatchObject({ library: { name: 'undici' }, object: { name: 'Pool' } });
    // Node's own fetch has no frames: its socket's mark still says fetch.
    expect(matchLibrary(makeResource({ kind: 'socket', stack: [], summary: 'fetch (undici) connection to 10.0.0.1:443, request in flight' }))?.library.name).toBe('fetch (undici)');
  });

  it('reads scoped package names', () => {
    expect(packageOf('node_modules/@aws-sdk/client-s3/dist-cjs/index.js')).toBe('@aws-sdk/client-s3');
    expect(packageOf('/x/node_modules/a/node_modules/pg-pool/index.js')).toBe('pg-pool');
    expect(packageOf('src/db.js')).toBeNull();
  });
});

describe('finding where the user created the object', () => {
  const pool = (file: string, line: number, column: number) =>
    makeResource({ kind: 'socket', location: { file, line, column }, stack: [frame('node_modules/pg-pool/index.js', 449), { ...frame(file, line), column }] });

  it('follows the call\'s receiver to its declaration, type annotations included', () => {
    const db = pool('db.js', 6, 8);
    expect(findCreationSite(matchLibrary(db)!, db, read, null)).toMatchObject({ file: 'db.js', line: 3 });
    const typed = pool('typed.ts', 3, 50);
    expect(findCreationSite(matchLibrary(typed)!, typed, read, null)).toMatchObject({ file: 'typed.ts', line: 2 });
  });

  it('follows the receiver to a qualified factory call (`mysql.createPool(`), and finds the one creation of a timer without user frames', () => {
    const socket = makeResource({ kind: 'socket', location: { file: 'my.js', line: 5, column: 41 }, stack: [frame('node_modules/mysql2/lib/promise/pool.js', 48), { ...frame('my.js', 5), column: 41 }] });
    expect(findCreationSite(matchLibrary(socket)!, socket, read, null)).toMatchObject({ file: 'my.js', line: 3 });
    const check = makeResource({ kind: 'timer', location: null, stack: [frame('node_modules/mysql2/lib/base/pool.js', 326, '_removeIdleTimeoutConnections')] });
    expect(findCreationSite(matchLibrary(check)!, check, read, 'my-one.js')).toMatchObject({ file: 'my-one.js', line: 2 });
    expect(findCreationSite(matchLibrary(check)!, check, read, 'my.js')).toBeNull();
  });

  it('gives up when the file creates two alike and nothing tells them apart', () => {
    const timer = makeResource({ kind: 'timer', location: null, stack: [frame('node_modules/pg-pool/index.js', 410, '_release')] });
    expect(findCreationSite(matchLibrary(timer)!, timer, read, 'two.js')).toBeNull();
    expect(findCreationSite(matchLibrary(timer)!, timer, read, 'db.js')).toMatchObject({ line: 3 });
  });
});

describe('library findings through classify', () => {
  const info = { target: 'db.js#handler', runtime: 'nodejs22.x' as const, timeoutMs: 3000, memoryMB: 128, today: '2026-12-03' };
  const pgSocket = makeRawResource({
    asyncId: 10, type: 'TCPWRAP', kind: 'socket', origin: 1, summary: 'TCP socket to 10.0.0.5:5432',
    frames: [makeRawFrame({ file: '/app/node_modules/pg-pool/index.js', line: 449 }), makeRawFrame({ file: '/app/db.js', line: 6, column: 8 })],
  });

  it('names the pool\'s creation line and gives pg\'s fix for a callback handler that times out', () => {
    const timeout = makeInvocationRecord({ index: 1, outcome: 'timeout', deadline: { state: 'waiting-for-empty-loop', resources: [pgSocket], blockedFrames: [] } });
    const report = classify(makeRunRecord({ invocations: [timeout] }), info, ctx, 'error');
    const finding = report.findings.find((f) => f.code === 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP')!;
    expect(finding.message).toContain('pg Pool created at db.js:3, via node_modules/pg-pool/index.js:449 (client connection to 10.0.0.5:5432)');
    expect(finding.location).toMatchObject({ file: 'db.js', line: 3 });
    expect(finding.resources[0]).toMatchObject({ summary: 'pg Pool: client connection to 10.0.0.5:5432', location: { line: 6 } });
    expect(finding.hint).toContain('callbackWaitsForEmptyEventLoop = false');
  });

  it('gives mysql2\'s advice for a module-scope pool: keep it, stop waiting for the loop, never end it per request', () => {
    const socket = makeRawResource({
      asyncId: 11, type: 'TCPWRAP', kind: 'socket', origin: 1, summary: 'TCP socket to 10.0.0.6:3306',
      frames: [makeRawFrame({ file: '/app/node_modules/mysql2/lib/promise/pool.js', line: 48 }), makeRawFrame({ file: '/app/my.js', line: 5, column: 41 })],
    });
    const timeout = makeInvocationRecord({ index: 1, outcome: 'timeout', deadline: { state: 'waiting-for-empty-loop', resources: [socket], blockedFrames: [] } });
    const report = classify(makeRunRecord({ invocations: [timeout] }), { ...info, target: 'my.js#handler' }, { ...ctx, handlerFile: 'my.js' }, 'error');
    const finding = report.findings.find((f) => f.code === 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP')!;
    expect(finding.message).toContain('mysql2 Pool created at my.js:3, via node_modules/mysql2/lib/promise/pool.js:48 (connection to 10.0.0.6:3306)');
    expect(finding.location).toMatchObject({ file: 'my.js', line: 3 });
    expect(finding.hint).toContain('callbackWaitsForEmptyEventLoop = false');
    expect(finding.hint).toContain('Do not call pool.end()');
  });

  it('calls a pg client checked out and idle an error only once the next request has taken one more (one kept checked out on purpose stays a warning)', () => {
    const lent = (asyncId: number, origin: number) =>
      makeRawResource({ ...pgSocket, asyncId, origin, summary: 'TCP socket to 10.0.0.5:5432, pg-pool client checked out and idle (pool max 10, connectionTimeoutMillis 0)' });
    const answered = (index: number, lingering: ReturnType<typeof lent>[]) => makeInvocationRecord({ index, outcome: 'response', lingering });
    const leak = classify(makeRunRecord({ invocations: [answered(1, [lent(10, 1)]), answered(2, [lent(10, 1), lent(11, 2)])] }), info, ctx, 'error');
    const errors = leak.findings.filter((f) => f.code === 'IDLE_CONNECTION_AT_FREEZE');
    expect(errors.map((f) => [f.invocation, f.severity, f.location?.line])).toEqual([[1, 'error', 6], [2, 'error', 6]]);
    expect(errors[0]!.message).toContain('(client connection to 10.0.0.5:5432, checked out and never released) across the freeze');
    expect(errors[0]!.message).toContain('once all 10 (the pool\'s `max`) are out, pool.connect() waits for a free client with no limit');
    expect(errors[0]!.hint).toContain('client.release()');
    const kept = classify(makeRunRecord({ invocations: [answered(1, [lent(10, 1)]), answered(2, [lent(10, 1)])] }), info, ctx, 'error');
    expect(kept.findings.map((f) => [f.code, f.invocation, f.severity])).toEqual([['IDLE_CONNECTION_AT_FREEZE', 1, 'warning']]);
  });

  it('reports an unref\'d keep-alive socket the runner lists beside `lingering` as an idle connection, not pending work', () => {
    const keepAlive = makeRawResource({
      asyncId: 20, type: 'TCPWRAP', kind: 'socket', origin: 0, ref: false, summary: 'TCP socket to 10.0.0.9:443',
      frames: [makeRawFrame({ file: '/app/node_modules/@smithy/node-http-handler/dist-cjs/index.js', line: 371 })],
    });
    const response = { ...makeInvocationRecord({ index: 1, outcome: 'response' }), unrefedSockets: [keepAlive] };
    const report = classify(makeRunRecord({ invocations: [response] }), info, ctx, 'error');
    expect(report.findings.map((f) => [f.code, f.severity])).toEqual([['IDLE_CONNECTION_AT_FREEZE', 'warning']]);
    expect(report.findings[0]!.message).toContain('AWS SDK v3 client, via node_modules/@smithy/node-http-handler/dist-cjs/index.js:371 (keep-alive socket to 10.0.0.9:443) open across the freeze');
    expect(report.findings[0]!.hint).toContain('maxAttempts');
  });
});
