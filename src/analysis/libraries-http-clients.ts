/**
 * HTTP clients from npm beside Node's own (libraries.ts): undici used directly, node-fetch,
 * axios and got. The last three run on node:http, so their sockets carry node:http's summary
 * (`HTTP GET host/path in flight`); their frames say which library the user called. What each
 * does with a timeout was verified against the tests' loopback service (docs/node-internals.md).
 */
import type { Library } from './libraries.js';
import { httpRole } from './library-roles.js';

/** undici's sockets are marked as fetch's by the harness: the same client underneath. */
const withoutFetchMark = (summary: string): string => summary.replace(/^fetch \(undici\) /, '');
const AGENT_TIMEOUT = 'An idle keep-alive socket (Node\'s agents keep them since Node 19) may be closed by the server or a NAT while the environment is frozen: give the agent a socket `timeout` below the server\'s keep-alive timeout (`new http.Agent({ keepAlive: true, timeout })`), so the overdue timeout drops the socket at the thaw before it is reused.';

export const HTTP_CLIENT_LIBRARIES: readonly Library[] = [
  {
    name: 'undici',
    packages: ['undici'],
    objects: [
      // The package's top-level request()/fetch()/stream() go through index.js to the global Agent and its pools.
      { name: 'request', files: /\/undici\/index\.js$/, creation: /\b(?:request|fetch|stream)\s*\(/, verb: 'called' },
      { name: 'Pool', files: /\/undici\/lib\/dispatcher\/(?:balanced-)?pool(?:-base)?\.js/, creation: /new\s+(?:[\w$]+\.)*(?:Balanced)?Pool\s*\(/ },
      { name: 'Agent', files: /\/undici\/lib\/dispatcher\/agent\.js/, creation: /new\s+(?:[\w$]+\.)*Agent\s*\(/ },
    ],
    keepsConnections: true,
    role: httpRole,
    describe: (resource) => withoutFetchMark(resource.summary),
    fixes: {
      emptyLoopKept: 'Await the request and consume its body (`await body.json()`, or `await body.dump()`) before calling back; undici\'s idle sockets do not hold the event loop.',
      emptyLoopPerRequest: 'Await the request and consume its body before calling back, and close a per-request Pool or Client (`await pool.close()`).',
      pending: 'Await the request and its body before returning: it is frozen mid-flight otherwise, and is sent, answered or lost in a later request.',
      idle: 'undici closes idle sockets after `keepAliveTimeout` (4 s by default, less if the server\'s Keep-Alive header says so); keep it below the server\'s own timeout, so the overdue timer drops the socket at the thaw before it is reused.',
      growth: 'Create the Pool, Client or Agent once at module scope and reuse it: one per request opens new connections each time.',
      deadline: 'Give the request a deadline: `signal: AbortSignal.timeout(ms)`, or `headersTimeout` and `bodyTimeout`, which are 300 s each by default (undici checks them on a coarse clock, so they fire up to a second late).',
    },
  },
  {
    name: 'node-fetch',
    packages: ['node-fetch'],
    objects: [{ name: 'fetch', creation: /\bfetch\s*\(/, verb: 'called' }],
    keepsConnections: true,
    role: httpRole,
    describe: (resource) => resource.summary,
    fixes: {
      emptyLoopKept: 'Await the fetch and read its body (`await response.json()`) before calling back.',
      emptyLoopPerRequest: 'Await the fetch and read its body before calling back.',
      pending: 'Await the fetch and its body before returning: the request is frozen mid-flight otherwise, and is sent, answered or lost in a later request.',
      idle: AGENT_TIMEOUT,
      deadline: 'node-fetch has no deadline of its own: pass `signal: AbortSignal.timeout(ms)` (it fails with an AbortError).',
    },
  },
  {
    name: 'axios',
    packages: ['axios'],
    objects: [{ name: 'request', creation: /\baxios(?:\.\w+)?\s*\(|\.(?:get|post|put|patch|delete|head|request)\s*\(/, verb: 'called' }],
    keepsConnections: true,
    role: httpRole,
    describe: (resource) => resource.summary,
    fixes: {
      emptyLoopKept: 'Await the request before calling back.',
      emptyLoopPerRequest: 'Await the request before calling back.',
      pending: 'Await the request before returning (`await axios.get(…)`): it is frozen mid-flight otherwise, and is sent, answered or lost in a later request.',
      idle: AGENT_TIMEOUT,
      deadline: 'axios has no timeout by default: set `timeout: ms` (it fails with ECONNABORTED "timeout of …ms exceeded") or `signal: AbortSignal.timeout(ms)`, on the call or in `axios.create({ timeout })`.',
    },
  },
  {
    name: 'got',
    packages: ['got'],
    objects: [{ name: 'request', creation: /\bgot(?:\.\w+)?\s*\(/, verb: 'called' }],
    keepsConnections: true,
    role: httpRole,
    describe: (resource) => resource.summary,
    fixes: {
      emptyLoopKept: 'Await the request before calling back.',
      emptyLoopPerRequest: 'Await the request before calling back.',
      pending: 'Await the request before returning (`await got(…).json()`): it is frozen mid-flight otherwise, and is sent, answered or lost in a later request.',
      idle: AGENT_TIMEOUT,
      deadline: 'Set `timeout: { request: ms }` and limit retries: got retries a GET twice after a timeout or network error, with backoff, so a 300 ms timeout fails only after about 4 s; `retry: { limit: 0 }` (or a budget that fits the function timeout) keeps it within.',
    },
  },
];
