/**
 * Database clients beside pg, ioredis and mysql2 (libraries.ts): the old `mysql` driver,
 * node-redis and the MongoDB driver, each with what was verified about it
 * (docs/node-internals.md).
 */
import type { Library } from './libraries.js';
import { CALLBACK_NO_WAIT, databaseRole, msOf, otherRole, peerOf } from './library-roles.js';

export const DRIVER_LIBRARIES: readonly Library[] = [
  {
    name: 'mysql',
    packages: ['mysql'],
    objects: [
      // A pool's connections are opened from lib/Pool.js (PoolConnection, PoolCluster too); a plain one's never.
      {
        name: 'Pool',
        files: /\/mysql\/lib\/Pool\w*\.js/,
        creation: /(?:\b[\w$]+\.)*createPool\s*\(/,
        checksBeforeUse: 'pings an idle connection before it hands it out, and opens a new one when the ping fails',
      },
      { name: 'Connection', creation: /(?:\b[\w$]+\.)*createConnection\s*\(/ },
    ],
    keepsConnections: true,
    role: databaseRole,
    describe: (resource, role) => (role === 'connection' ? `connection to ${peerOf(resource)}` : resource.summary),
    fixes: {
      emptyLoopKept: `A mysql pool keeps its idle connections open and ref'd for good: it has no idle timeout and no option that lets the loop empty. Keep the module-scope pool and ${CALLBACK_NO_WAIT}. Do not call pool.end() for a pool you reuse: the next query would fail with "Pool is closed." (POOL_CLOSED).`,
      emptyLoopPerRequest: 'Close the connection the request opened before calling back: `connection.end(callback)` (it waits for queued queries, then closes). Better: one pool at module scope, reused, with `context.callbackWaitsForEmptyEventLoop = false`.',
      pending: 'Wait for the query\'s callback before returning: a query still running is frozen mid-flight and finishes, or fails, in a later request.',
      idle: 'MySQL or MariaDB (`wait_timeout`), RDS Proxy or a NAT gateway (350 s) may close the connection while the environment is frozen. A single connection (`createConnection()`) then emits `error` (ECONNRESET), which crashes the process without a `connection.on(\'error\', …)` listener, and every later query fails with "Cannot enqueue Query after fatal error.": use a pool (`mysql.createPool()`), which checks a connection before it hands it out, or connect per request and `connection.end()` before returning.',
      idleProtected: 'Nothing to change: a pooled connection the server closed during the freeze fails the pool\'s ping and is replaced before the query runs (one round trip per query buys that). The pool removes a pooled connection that fails while idle by itself.',
      growth: 'Each request opens a new connection and never closes it, until the server refuses more ("Too many connections"): `connection.end()` before returning, or create one pool at module scope and reuse it.',
      deadline: 'Give the database calls a deadline shorter than the function timeout: `connectTimeout` (10 s by default) and `acquireTimeout` on the pool, and a per-query `timeout` (`pool.query({ sql, timeout: ms }, …)`, which fails with PROTOCOL_SEQUENCE_TIMEOUT).',
    },
  },
  {
    name: 'redis',
    packages: ['redis', '@redis/'],
    objects: [{ name: 'client', creation: /\bcreate(?:Client|Cluster)\s*\(/ }],
    keepsConnections: true,
    role: databaseRole,
    describe: (resource, role) => {
      if (role === 'connection') return `connection to ${peerOf(resource)} (open until close())`;
      // Its reconnect strategy waits between attempts with a timer.
      return resource.kind === 'timer' ? `reconnect timer (${msOf(resource)} ms)` : resource.summary;
    },
    fixes: {
      emptyLoopKept: `A node-redis client keeps its connection open and ref'd until \`close()\` (\`quit()\` before v5) or \`destroy()\`. Keep the module-scope client and ${CALLBACK_NO_WAIT}. Do not close a client you reuse: later commands fail with "The client is closed".`,
      emptyLoopPerRequest: 'Close the connection the request opened: `await client.close()` (`await client.quit()` before v5: both wait for pending replies) before calling back. Better: one client at module scope with `context.callbackWaitsForEmptyEventLoop = false`.',
      pending: 'Await the command before returning: it is frozen mid-flight otherwise.',
      idle: 'Redis (its `timeout` setting), a proxy or a NAT gateway may close the connection while the environment is frozen. node-redis then emits `error` ("Socket closed unexpectedly"), which crashes the process without a `client.on(\'error\', …)` listener: add one. The command that found the connection closed fails with the same error, and the client reconnects by itself (its `reconnectStrategy`): retry that command once.',
      growth: 'Each request opens a new Redis connection and never closes it: `await client.close()` (`quit()` before v5) before returning, or create one client at module scope and reuse it.',
      deadline: 'node-redis retries a connection it cannot open for good, and `await client.connect()` does not settle meanwhile: give it `socket: { connectTimeout: ms, reconnectStrategy: (retries) => retries > 2 ? new Error(\'Redis unreachable\') : 100 }` so connect() fails within the function timeout, and `disableOfflineQueue: true` so commands fail rather than wait for a reconnect.',
    },
  },
  {
    name: 'MongoDB',
    packages: ['mongodb', 'mongoose'],
    objects: [
      { name: 'mongoose connection', packages: ['mongoose'], creation: /\bmongoose\.(?:connect|createConnection)\s*\(/ },
      { name: 'MongoClient', creation: /new\s+(?:[\w$]+\.)*MongoClient\s*\(|MongoClient\.connect\s*\(/ },
    ],
    keepsConnections: true,
    // Server selection and monitoring run on timers; waiting on them is the driver's own business.
    role: (resource) => (resource.kind === 'timer' ? 'activity' : databaseRole(resource) === 'connection' ? 'connection' : otherRole(resource)),
    describe: (resource, role) => {
      if (role === 'connection') return `connection to ${peerOf(resource)}`;
      return resource.kind === 'timer' ? `server selection or monitoring timer (${msOf(resource)} ms)` : resource.summary;
    },
    fixes: {
      emptyLoopKept: `Keep the module-scope client (reusing it is what makes the next invocations fast) and ${CALLBACK_NO_WAIT}; do not close() a client you reuse.`,
      emptyLoopPerRequest: 'Create the client once at module scope and reuse it; a client per request must be closed with `await client.close()` before calling back.',
      pending: 'Await the operation before returning: it is frozen mid-flight otherwise.',
      idle: 'The server, a proxy or a NAT gateway (350 s) may close the pooled connection while the environment is frozen: give the client a `maxIdleTimeMS` below the shortest of those idle timeouts, so the pool drops idle connections itself, and keep `retryReads`/`retryWrites` on (the default), which retry an operation once after a network error.',
      growth: 'Each request creates a new client and never closes it: create one client at module scope and reuse it, or `await client.close()` before returning.',
      deadline: 'The driver waits up to `serverSelectionTimeoutMS` (30 s by default) for a server it can use before an operation fails: set it, and `connectTimeoutMS`, well below the function timeout (`new MongoClient(uri, { serverSelectionTimeoutMS: 2000 })`) so an unreachable server fails the request instead of timing it out. After a failed first connection the client stays closed: every later operation fails with "Topology is closed" (MongoTopologyClosedError) until `await client.connect()` is called again.',
    },
  },
];
