/**
 * Whether a pg-pool client's socket is checked out and idle at a snapshot: handed out by
 * `pool.connect()`, never released, with no query running. pg-pool keeps every client in
 * `_clients` and the released ones also in `_idle` (docs/node-internals.md); nothing on the
 * socket leads back to its pool, so the pools are found once with the inspector's
 * `Runtime.queryObjects` (about 100 ms: it collects garbage first) and kept as weak references.
 * Read-only: the library is not patched, and a failure here only leaves the summary as it was.
 */
import { createRequire } from 'node:module';
import type { RawFrame } from '../runner/protocol.js';
import { postSync } from './inspector-sync.js';

const require = createRequire(import.meta.url);
const PG_POOL_FILE = /[\\/]node_modules[\\/]pg-pool[\\/]index\.js$/;
/** A global name for the moment it takes to hand an object to the inspector and back. */
const PROBE = '__lambdaHangCheckProbe';

const knownPools: WeakRef<any>[] = [];
/** Sockets looked up once already: an unknown one triggers one search, not one per snapshot. */
const searched = new WeakSet<object>();

/** `, pg-pool client checked out and idle (pool max 10, connectionTimeoutMillis 0)`, or ''. */
export function describePoolCheckout(socket: object | undefined, frames: RawFrame[]): string {
  if (!socket) return '';
  const poolFile = frames.find((frame) => PG_POOL_FILE.test(frame.file))?.file;
  if (!poolFile) return '';
  try {
    let found = findClient(socket);
    if (!found && !searched.has(socket)) {
      searched.add(socket);
      addPools(poolFile);
      found = findClient(socket);
    }
    if (!found || !isCheckedOutAndIdle(found.pool, found.client)) return '';
    const options = found.pool.options ?? {};
    return `, pg-pool client checked out and idle (pool max ${options.max ?? '?'}, connectionTimeoutMillis ${options.connectionTimeoutMillis ?? 0})`;
  } catch {
    return '';
  }
}

function findClient(socket: object): { pool: any; client: any } | null {
  for (const ref of knownPools) {
    const pool = ref.deref();
    const client = Array.isArray(pool?._clients) ? pool._clients.find((candidate: any) => candidate?.connection?.stream === socket) : undefined;
    if (client) return { pool, client };
  }
  return null;
}

/** Checked out: in `_clients`, not in `_idle`; idle: no active query, nothing queued (own fields: pg's getters warn). */
function isCheckedOutAndIdle(pool: any, client: any): boolean {
  if (!Array.isArray(pool._idle) || pool._idle.some((item: any) => item?.client === client)) return false;
  const own = (key: string): unknown => Object.getOwnPropertyDescriptor(client, key)?.value;
  const active = own('_activeQuery') ?? own('activeQuery');
  const queue = own('_queryQueue') ?? own('queryQueue');
  return active == null && (!Array.isArray(queue) || queue.length === 0);
}

/** Every live instance of the Pool class exported by that pg-pool file (subclasses too: pg's BoundPool). */
function addPools(poolFile: string): void {
  const Pool = require.cache[poolFile]?.exports;
  if (typeof Pool !== 'function') return;
  const { Session } = require('node:inspector') as typeof import('node:inspector');
  const session = new Session();
  session.connect();
  const global = globalThis as Record<string, unknown>;
  try {
    global[PROBE] = Pool.prototype;
    const prototype = postSync(session, 'Runtime.evaluate', { expression: `globalThis.${PROBE}`, objectGroup: PROBE });
    const instances = postSync(session, 'Runtime.queryObjects', { prototypeObjectId: prototype.result.objectId, objectGroup: PROBE });
    postSync(session, 'Runtime.callFunctionOn', { objectId: instances.objects.objectId, functionDeclaration: `function () { globalThis.${PROBE} = this; }` });
    const found = global[PROBE];
    const known = new Set(knownPools.map((ref) => ref.deref()));
    // The prototypes in the chain are instances too, as far as queryObjects goes: keep real pools.
    if (Array.isArray(found)) for (const pool of found) if (Object.hasOwn(pool, '_clients') && !known.has(pool)) knownPools.push(new WeakRef(pool));
  } finally {
    delete global[PROBE];
    session.disconnect();
  }
}
