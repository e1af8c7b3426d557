/**
 * The client libraries behind most real Lambda timeouts, in one table: how to recognise them
 * from a resource's frames (their node_modules package names) or, when their code is Node's
 * own and hidden (node:http, fetch), from the harness's summary; what the user created (Pool,
 * Redis, the SDK client); and each library's own fix per situation. Advice lives here, not
 * in ifs scattered over the analysis.
 */
import type { Resource } from '../types.js';
import { CALLBACK_NO_WAIT, databaseRole, hasFrame, httpRole, msOf, otherRole, peerOf } from './library-roles.js';
import { DRIVER_LIBRARIES } from './libraries-drivers.js';
import { HTTP_CLIENT_LIBRARIES } from './libraries-http-clients.js';

/** What a finding is about, as far as a library's advice goes. */
export type Situation =
  | 'emptyLoopKept' // callback(null) waited on a client created once and reused (module scope)
  | 'emptyLoopPerRequest' // … on a client created by the request
  | 'pending' // left in flight at the response
  | 'idle' // an idle connection kept across the freeze, nothing evicts it
  | 'idleProtected' // … which the library's own idle timer closes at the thaw
  | 'growth' // one more client per request
  | 'unreleased' // a pooled client handed out to the user and never given back
  | 'deadline'; // the handler waited on it until the timeout

/**
 * How a resource serves the library, which decides the finding it belongs to: a `connection`
 * kept open, a `request` in flight, the pool's own `idle-timer`, pending `work` (a flush
 * timer), or `activity` of a connection (its callbacks, its shutdown) that is no work of the
 * user's.
 */
export type Role = 'connection' | 'request' | 'idle-timer' | 'work' | 'activity';

export interface LibraryObject {
  /** As the library's docs name it: `Pool`, `Client`, `Redis`. */
  name: string;
  /** Frames of these packages mean this object (pg-pool → Pool); the first object matches otherwise. */
  packages?: string[];
  /** Frames of these files mean this object, for a package that has several (mysql2's pool code). */
  files?: RegExp;
  /** The expression that creates it, to find the line in the user's source. */
  creation: RegExp;
  /** `called` for a function (fetch), whose call site is all there is. */
  verb?: 'created' | 'called';
  /**
   * How it makes sure a kept connection still works before using it (mysql's pool pings it):
   * a connection the server closed during the freeze then costs a reconnect, not a failure.
   */
  checksBeforeUse?: string;
}

export interface Library {
  name: string;
  /** node_modules package names; an entry ending in `/` is a scope. */
  packages: string[];
  /** For libraries whose frames are Node's internals: the harness's summary. */
  summary?: RegExp;
  objects: LibraryObject[];
  /**
   * What the idle timer does at the thaw, for a library whose timer's delay is not the idle
   * timeout (mysql2 checks every second); otherwise the timer's delay is given as the timeout.
   */
  idleTimerCloses?: string;
  /** Keeps connections open between requests on purpose (pools, clients). */
  keepsConnections: boolean;
  role(resource: Resource): Role;
  /**
   * For a pool that lends connections out (pg's `pool.connect()`): what follows when the
   * connection was lent and never given back, or null when it was not.
   */
  unreleased?(resource: Resource): string | null;
  /** The resource in the library's words (the peer address stays). */
  describe(resource: Resource, role: Role): string;
  fixes: Partial<Record<Situation, string>>;
}

/** The harness's mark on a pg-pool client's socket that is checked out with no query running (src/harness/pg-pool-checkouts.ts). */
const PG_CHECKED_OUT = /, pg-pool client checked out and idle \(pool max (\d+|\?), connectionTimeoutMillis (\d+)\)$/;


export const LIBRARIES: readonly Library[] = [
  {
    name: 'pg',
    packages: ['pg', 'pg-pool', 'pg-protocol', 'pg-cursor', 'pg-query-stream'],
    objects: [
      { name: 'Pool', packages: ['pg-pool'], creation: /new\s+(?:[\w$]+\.)*Pool\s*\(/ },
      { name: 'Client', creation: /new\s+(?:[\w$]+\.)*Client\s*\(/ },
    ],
    keepsConnections: true,
    role: (resource) => (resource.kind === 'timer' && hasFrame(resource, '_release') ? 'idle-timer' : databaseRole(resource)),
    unreleased: (resource) => {
      const mark = PG_CHECKED_OUT.exec(resource.summary);
      if (!mark) return null;
      const [, max, timeoutMs] = mark;
      const then = timeoutMs === '0'
        ? 'waits for a free client with no limit (`connectionTimeoutMillis` 0), until Lambda reports "Task timed out"'
        : `waits ${timeoutMs} ms (\`connectionTimeoutMillis\`) and fails with "timeout exceeded when trying to connect"`;
      return `the pool counts a client as in use until it is released, so each request takes one more, and once all ${max} (the pool's \`max\`) are out, pool.connect() ${then}`;
    },
    describe: (resource, role) => {
      if (role === 'idle-timer') return `idle-client timer (idleTimeoutMillis ${msOf(resource)} ms)`;
      const checkedOut = PG_CHECKED_OUT.test(resource.summary) ? ', checked out and never released' : '';
      return `client connection to ${peerOf(resource)}${checkedOut}`;
    },
    fixes: {
      emptyLoopKept: `Keep the module-scope pool (reusing its connections is what makes the next invocations fast) and ${CALLBACK_NO_WAIT}; or create it with \`allowExitOnIdle: true\`, so idle clients and their timers no longer hold the event loop. Do not call pool.end() for a pool you reuse: the next query would fail with "Cannot use a pool after calling end on the pool".`,
      emptyLoopPerRequest: 'Close what the request opened before calling back: `await client.end()` (or `await pool.end()` for a per-request Pool). Better: create one Pool at module scope, reuse it, and set `context.callbackWaitsForEmptyEventLoop = false`.',
      pending: 'Await the query before returning (`await pool.query(…)`): an un-awaited query is frozen mid-flight and finishes, or fails, in a later request.',
      idle: 'PostgreSQL, RDS Proxy, pgbouncer or a NAT gateway (350 s) may close the connection while the environment is frozen, and the first query after the thaw fails ("Connection terminated unexpectedly", ECONNRESET). Use a module-scope `Pool` with `idleTimeoutMillis` below the shortest of those idle timeouts (its overdue timer closes the idle client at the thaw, before the handler runs), and add `pool.on(\'error\', …)`: an idle client that fails emits an error that otherwise crashes the process. A per-request client must be closed with `await client.end()`.',
      idleProtected: 'Nothing to change while `idleTimeoutMillis` stays below the shortest idle timeout between the function and PostgreSQL (RDS Proxy, pgbouncer, a NAT gateway: 350 s). Keep a `pool.on(\'error\', …)` listener: an idle client that fails emits an error that otherwise crashes the process.',
      growth: 'Each request opens a new connection and never closes it, until PostgreSQL refuses more ("sorry, too many clients already"): `await client.end()` before returning, or create one Pool at module scope and reuse it.',
      unreleased: 'Release every client you check out, on every path: `const client = await pool.connect(); try { … } finally { client.release(); }`, or use `pool.query()`, which checks a client out and releases it for you. Give the pool a `connectionTimeoutMillis` below the function timeout, so that a pool with no client left fails the request at once ("timeout exceeded when trying to connect") instead of timing it out.',
      deadline: 'Give the database calls a deadline shorter than the function timeout: `connectionTimeoutMillis` on the pool, `query_timeout` (client side) or `statement_timeout` (server side).',
    },
  },
  {
    name: 'ioredis',
    packages: ['ioredis'],
    objects: [{ name: 'Redis', creation: /new\s+(?:[\w$]+\.)*(?:Redis|IORedis|Cluster)\s*\(/ }],
    keepsConnections: true,
    role: databaseRole,
    describe: (resource, role) => (role === 'connection' ? `connection to ${peerOf(resource)} (open until quit())` : resource.summary),
    fixes: {
      emptyLoopKept: `An ioredis connection (a subscriber one too) stays open and ref'd until quit(). Keep the module-scope client and ${CALLBACK_NO_WAIT}. Do not quit() a client you reuse: later commands fail with "Connection is closed".`,
      emptyLoopPerRequest: 'Close the connection the request opened: `await redis.quit()` before calling back (it waits for pending replies, then closes). Better: one client at module scope with `context.callbackWaitsForEmptyEventLoop = false`.',
      pending: 'Await the command before returning: it is frozen mid-flight otherwise.',
      idle: 'Redis (its `timeout` setting), a proxy or a NAT gateway may drop the connection while the environment is frozen; ioredis notices only when the next command fails, then reconnects and retries it (`maxRetriesPerRequest`). Set `commandTimeout` and `connectTimeout` well below the function timeout so a dead connection costs a retry, not the invocation; or connect per request and `await redis.quit()` before returning.',
      growth: 'Each request opens a new Redis connection and never closes it: `await redis.quit()` before returning, or create one client at module scope and reuse it.',
      deadline: 'ioredis queues commands while it (re)connects: set `commandTimeout`, `connectTimeout` and `maxRetriesPerRequest` so a command fails before the function times out.',
    },
  },
  {
    name: 'mysql2',
    packages: ['mysql2'],
    // One package for both: a pool's connections are opened from its pool files (lib/base/pool.js,
    // lib/promise/pool.js, lib/pool_connection.js), a plain connection's never.
    objects: [
      { name: 'Pool', files: /\/mysql2\/lib\/(?:[\w/]*\/)?pool[\w]*\.js/, creation: /(?:\b[\w$]+\.)*createPool\s*\(/ },
      { name: 'Connection', creation: /(?:\b[\w$]+\.)*createConnection\s*\(/ },
    ],
    keepsConnections: true,
    idleTimerCloses: 'the pool\'s idle check, run every second, is overdue at the thaw and closes, before the next request, every connection idle longer than `idleTimeout` by then',
    // Only with `maxIdle` below `connectionLimit` does the pool arm its idle check: a 1 s timer,
    // re-armed for the pool's whole life (docs/node-internals.md).
    role: (resource) => (resource.kind === 'timer' && hasFrame(resource, '_removeIdleTimeoutConnections') ? 'idle-timer' : databaseRole(resource)),
    describe: (resource, role) => {
      if (role === 'idle-timer') return `idle-connection check every ${msOf(resource)} ms (maxIdle, idleTimeout)`;
      if (role === 'connection') return `connection to ${peerOf(resource)}`;
      // Armed by the connection's constructor until the handshake is done.
      return resource.kind === 'timer' && hasFrame(resource, 'BaseConnection') ? `connect timer (connectTimeout ${msOf(resource)} ms)` : resource.summary;
    },
    fixes: {
      emptyLoopKept: `A mysql2 pool keeps its idle connections open and ref'd after the query, by default for good, and has no option that lets the loop empty (with \`maxIdle\` below \`connectionLimit\`, its idle check, a timer re-armed every second, holds the loop instead). Keep the module-scope pool and ${CALLBACK_NO_WAIT}. Do not call pool.end() for a pool you reuse: the next query would fail with "Pool is closed."`,
      emptyLoopPerRequest: 'Close what the request opened before calling back: `await connection.end()` (`connection.end(callback)` with the callback API), or `await pool.end()` for a per-request pool. Better: one pool at module scope, reused, with `context.callbackWaitsForEmptyEventLoop = false`.',
      pending: 'Await the query before returning (`await pool.query(…)`): an un-awaited query is frozen mid-flight and finishes, or fails, in a later request.',
      idle: 'MySQL or MariaDB (`wait_timeout`), RDS Proxy or a NAT gateway (350 s) may close the connection while the environment is frozen, and the first query after the thaw then fails (ECONNRESET). Give the pool `maxIdle` below `connectionLimit` (`maxIdle: 0` for every idle connection) and an `idleTimeout` below the shortest of those: its idle check, overdue at the thaw, closes the connection before the handler runs. `enableKeepAlive` does not help: keep-alive probes are no activity to `wait_timeout`. A single connection (`createConnection()`) has no idle timeout; when the server closes it while idle it emits `error`, which crashes the process without a `connection.on(\'error\', …)` listener, and every later query fails ("Can\'t add new command when connection is in closed state"): prefer a pool, or connect per request and `await connection.end()`.',
      idleProtected: 'Nothing to change while `idleTimeout` stays below the shortest idle timeout between the function and the database (`wait_timeout`, RDS Proxy, a NAT gateway: 350 s): the pool\'s idle check is overdue at the thaw and closes the idle connection before the handler runs. The pool removes a connection that fails while idle by itself; it emits no `error` of its own.',
      growth: 'Each request opens a new connection and never closes it, until the server refuses more ("Too many connections"): `await connection.end()` before returning, or create one pool at module scope and reuse it.',
      deadline: 'Give the database calls a deadline shorter than the function timeout: `connectTimeout` (10 s by default) on the pool or connection, and a per-query `timeout` (`pool.query({ sql, timeout: ms })`, which fails with "Query inactivity timeout").',
    },
  },
  {
    name: 'AWS SDK v3',
    packages: ['@aws-sdk/', '@smithy/'],
    objects: [{ name: 'client', creation: /new\s+(?:[\w$]+\.)*[A-Z][\w$]*Client\s*\(|[A-Z][\w$]*DocumentClient\.from\s*\(/ }],
    keepsConnections: true,
    role: httpRole,
    describe: (resource, role) => (role === 'connection' ? `keep-alive socket to ${peerOf(resource)}` : resource.summary),
    fixes: {
      emptyLoopKept: 'The SDK\'s idle keep-alive sockets do not hold the event loop; a request still in flight does: `await client.send(…)` before calling back.',
      emptyLoopPerRequest: 'Await `client.send(…)` before calling back, and create the client once at module scope rather than per request.',
      pending: 'Await `client.send(…)` before returning: an un-awaited send is frozen mid-request, then completes, fails or is retried in a later request, and its result is lost.',
      idle: 'The SDK keeps an idle keep-alive socket across the freeze; if the service or a NAT closes it meanwhile, the next request fails with ECONNRESET and is retried (keep `maxAttempts` ≥ 2). To avoid the retry, give the agent a socket `timeout` below the server\'s keep-alive timeout: it fires at the thaw and drops the socket first.',
      growth: 'Create the SDK client once at module scope: a client per request opens new connections each time.',
      deadline: 'Give the call a deadline: `client.send(command, { abortSignal: AbortSignal.timeout(ms) })`, or `requestHandler: { connectionTimeout, requestTimeout }` on the client.',
    },
  },
  {
    name: 'fetch (undici)',
    // Node's own fetch: its frames are Node's internals, so only its sockets' marks tell it.
    // The npm package is another entry (libraries-http-clients.ts).
    packages: [],
    summary: /^fetch \(undici\)/,
    objects: [{ name: 'fetch', creation: /\bfetch\s*\(/, verb: 'called' }],
    keepsConnections: true,
    role: httpRole,
    describe: (resource) => resource.summary.replace(/^fetch \(undici\) /, ''),
    fixes: {
      emptyLoopKept: 'Await the fetch and read its body (`await response.json()`, or `response.body?.cancel()`) before calling back; undici\'s idle sockets do not hold the event loop.',
      emptyLoopPerRequest: 'Await the fetch and read its body before calling back.',
      pending: 'Await the fetch and its body (`await response.text()`) before returning: the request is frozen mid-flight otherwise, and is sent, answered or lost in a later request.',
      idle: 'undici closes idle sockets after `keepAliveTimeout` (default 4 s, less if the server\'s Keep-Alive header says so); keep it below the server\'s own timeout, so the overdue timer drops the socket at the thaw before it is reused.',
      deadline: 'Give the request a deadline: `fetch(url, { signal: AbortSignal.timeout(ms) })`.',
    },
  },
  {
    name: 'node:http',
    packages: [],
    summary: /^HTTP /,
    objects: [{ name: 'Agent', creation: /new\s+(?:[\w$]+\.)*Agent\s*\(/ }],
    keepsConnections: true,
    role: httpRole,
    describe: (resource) => resource.summary,
    fixes: {
      emptyLoopKept: 'Read or discard every response body (`response.resume()`): until its body is consumed the socket stays busy and ref\'d; with `keepAlive` it then returns to the agent\'s pool, unref\'d. A request still in flight must be awaited before calling back.',
      emptyLoopPerRequest: 'Read or discard the response body (`response.resume()`) and wait for its `end` before calling back.',
      pending: 'Await the response and its body before returning: the request is frozen mid-flight otherwise.',
      growth: 'Each request leaves its socket busy (a response body never read, or a request never awaited), so the agent opens another: read or discard every body (`response.resume()`) and wait for its `end`.',
      idle: 'Give the agent a socket `timeout` below the server\'s keep-alive timeout (`new http.Agent({ keepAlive: true, timeout })`; Node also honours the server\'s `Keep-Alive: timeout=` hint): the overdue timeout fires at the thaw and drops the idle socket before it is reused.',
      deadline: 'Give the request a deadline: `http.get(url, { signal: AbortSignal.timeout(ms) })` or `request.setTimeout(ms, () => request.destroy())`.',
    },
  },
  {
    name: '@segment/analytics-node',
    packages: ['@segment/analytics-node', '@segment/analytics-core'],
    objects: [{ name: 'Analytics', creation: /new\s+(?:[\w$]+\.)*Analytics\s*\(/ }],
    keepsConnections: false,
    role: (resource) => (resource.kind === 'socket' ? 'request' : otherRole(resource)),
    describe: (resource) => {
      if (resource.kind !== 'timer') return resource.summary;
      // The publisher's timer sends the batch; the event queue's own timers move events into it.
      return resource.stack.some((frame) => frame.file.includes('/segmentio/publisher'))
        ? `batch flush timer: queued events are sent when it fires (flushInterval ${msOf(resource)} ms)`
        : `event queue timer (${msOf(resource)} ms): the event is still on its way to the batch`;
    },
    fixes: {
      emptyLoopKept: 'Call `await analytics.flush()` before calling back: events wait in a batch until the flush timer fires (flushInterval), and that timer holds the event loop. Keep the client for the next invocations: `closeAndFlush()` would stop it.',
      emptyLoopPerRequest: 'Call `await analytics.closeAndFlush()` before calling back, or create the client once at module scope and `await analytics.flush()`.',
      pending: 'Call `await analytics.flush()` before returning: the queued events wait for a flush timer that is frozen with the environment, so they are sent during a later request, or lost if Lambda shuts the environment down.',
      deadline: 'Bound the flush: `await analytics.flush({ timeout: ms })`.',
    },
  },
  ...DRIVER_LIBRARIES,
  ...HTTP_CLIENT_LIBRARIES,
];
