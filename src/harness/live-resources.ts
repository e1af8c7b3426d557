/**
 * Which recorded resources keep the event loop alive right now, decided by Node's own lists
 * of what is active, and what Node lists that no record explains (never hide a blocker).
 */
import type { RawResource } from '../runner/protocol.js';
import { HANDLE_TYPES, REQUEST_TYPES, isClosing, kindOf, ownerOf } from './describe-resource.js';
import { groupAlike } from './group-alike.js';
import { OWN, TIMERS, deref, describe, type TrackedRecord } from './tracked-record.js';

/** Drops records whose resource is finished (timers) or collected (handles, requests). */
export function sweep(records: Map<number, TrackedRecord>): void {
  for (const [id, record] of records) {
    const resource = deref(record);
    if (!resource || (TIMERS.has(record.type) && resource._destroyed)) records.delete(id);
  }
}

/**
 * How long a snapshot may spend describing live resources one by one. Reading a creation stack
 * costs ~15 µs, but ~0.5 ms in a huge generated function (V8 finds its line numbers slowly), so
 * tens of thousands of those would hold the handler's thread for seconds, and the tool would
 * take its own snapshot for a blocked loop. What is left when the time is up is counted, by
 * kind and origin. 5,000 timers from one line take ~75 ms (a few times that on a loaded machine),
 * 20,000 from distinct lines of one generated function ~10 s: only those hit the limit.
 */
const DESCRIBE_WITHIN_MS = 1000;

export function collectLive(
  records: Map<number, TrackedRecord>,
  filter: (origin: number) => boolean,
  isOwnFile: (file: string) => boolean,
  ownHandles: object[],
): RawResource[] {
  const active = activeObjects(ownHandles);
  const live: RawResource[] = [];
  const undescribed = new Map<string, RawResource>();
  const describeUntil = performance.now() + DESCRIBE_WITHIN_MS;
  const matched = new Set<object>();
  let refedTimers = 0;
  let refedImmediates = 0;
  for (const record of records.values()) {
    const resource = deref(record);
    if (!resource) continue;
    const ref = isRefedAndActive(record.type, resource, active);
    if (ref) {
      if (record.type === 'Timeout') refedTimers++;
      if (record.type === 'Immediate') refedImmediates++;
      matched.add(resource);
      const owner = ownerOf(resource);
      if (owner) matched.add(owner);
    }
    if (!ref || !filter(record.origin)) continue;
    // The clock is read every 64 resources: reading it costs more than most descriptions.
    if (undescribed.size === 0 && (live.length % 64 !== 0 || performance.now() < describeUntil)) live.push(describe(record, resource, isOwnFile));
    else countUndescribed(undescribed, record, resource);
  }
  if (filter(OWN)) live.push(...unattributed(active, matched, refedTimers, refedImmediates));
  return [...groupAlike(live), ...undescribed.values()];
}

function countUndescribed(undescribed: Map<string, RawResource>, record: TrackedRecord, resource: object): void {
  const kind = kindOf(record.type, resource);
  const key = `${record.type}|${kind}|${record.origin}`;
  const entry = undescribed.get(key);
  if (entry) {
    entry.count = (entry.count ?? 1) + 1;
    entry.summary = `${entry.count} more ${kind === 'timer' || kind === 'interval' ? `${kind}s` : `${record.type} resources`}, not described one by one (a snapshot describes what it can in ${DESCRIBE_WITHIN_MS} ms)`;
    return;
  }
  undescribed.set(key, {
    asyncId: -1,
    type: record.type,
    kind,
    ref: true,
    origin: record.origin,
    summary: `1 more ${kind}, not described one by one (a snapshot describes what it can in ${DESCRIBE_WITHIN_MS} ms)`,
    frames: [],
    parentFrames: [],
    count: 1,
  });
}

interface ActiveObjects {
  /** Owners (net.Socket, Server, ChildProcess …) of ref'd handles, as Node lists them. */
  owners: object[];
  /** The owners and their handle wraps, for identity checks. */
  handles: Set<object>;
  requests: Set<object>;
  infoCounts: Map<string, number>;
}

/**
 * Node's own view of what keeps the loop alive, minus the tool's stdio and IPC channel, and
 * minus handles whose close is under way (a socket destroyed after its request failed): Node
 * lists them until the close phase of this loop iteration, but no work is left in them.
 */
function activeObjects(ownHandles: object[]): ActiveObjects {
  const p = process as any;
  const own = new Set<unknown>([p.stdout, p.stderr, p.stdin, ...ownHandles]);
  const owners = ((p._getActiveHandles?.() ?? []) as object[]).filter((owner) => !own.has(owner) && !isClosing(owner));
  const handles = new Set<object>();
  for (const owner of owners) {
    handles.add(owner);
    if ((owner as any)._handle) handles.add((owner as any)._handle);
  }
  const requests = new Set<object>(p._getActiveRequests?.() ?? []);
  const infoCounts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) infoCounts.set(name, (infoCounts.get(name) ?? 0) + 1);
  return { owners, handles, requests, infoCounts };
}

function isRefedAndActive(type: string, resource: any, active: ActiveObjects): boolean {
  if (TIMERS.has(type)) return !resource._destroyed && resource.hasRef?.() !== false;
  if (HANDLE_TYPES.has(type)) return active.handles.has(resource) || active.handles.has(ownerOf(resource));
  if (REQUEST_TYPES.has(type)) return active.requests.has(resource);
  return false;
}

/** What Node reports as active that no record explains: never hide something that blocks. */
function unattributed(active: ActiveObjects, matched: Set<object>, timers: number, immediates: number): RawResource[] {
  const extra: RawResource[] = [];
  const add = (type: string, kind: RawResource['kind'], summary: string): void => {
    extra.push({ asyncId: -1, type, kind, ref: true, origin: OWN, summary, frames: [], parentFrames: [] });
  };
  for (const owner of active.owners) {
    if (matched.has(owner) || matched.has((owner as any)._handle)) continue;
    const name = (owner as any)?.constructor?.name ?? 'handle';
    add(name, 'other', `${name} created before tracking began or inside Node`);
  }
  for (const request of active.requests) {
    if (matched.has(request)) continue;
    const name = (request as any)?.constructor?.name ?? 'request';
    add(name, 'request', `${name} in flight, created before tracking began or inside Node`);
  }
  const missingTimers = (active.infoCounts.get('Timeout') ?? 0) - timers;
  if (missingTimers > 0) add('Timeout', 'timer', `${missingTimers} ref'd timer(s) created before tracking began`);
  const missingImmediates = (active.infoCounts.get('Immediate') ?? 0) - immediates;
  if (missingImmediates > 0) add('Immediate', 'immediate', `${missingImmediates} ref'd setImmediate(s) created before tracking began`);
  return extra;
}
