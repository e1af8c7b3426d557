/**
 * Tracks every async resource the user's code creates. Design (see docs/design.md):
 * - one async hook with `init` only: a `destroy` hook would make Node track every promise
 *   for garbage collection, which is what makes other tools slow;
 * - the origin (init or invocation N) rides on the resource objects themselves, copied from
 *   the resource whose callback is running, as AsyncLocalStorage does: no map of ids;
 * - only resources that can keep the loop alive (timers, handles, requests) get a record
 *   and a lazily formatted creation stack; finished records are swept in batches;
 * - liveness is decided at snapshot time against Node's own lists of what is active.
 */
import { createHook, executionAsyncResource } from 'node:async_hooks';
import type { RawResource } from '../runner/protocol.js';
import { captureStack, readFrames, type StackHolder } from './capture-stack.js';
import { HANDLE_TYPES, REQUEST_TYPES, isTrackedType, kindOf, ownerOf, summarize } from './describe-resource.js';

/** Origin of resources created by the tool itself, or before tracking began. */
export const OWN = -1;
/** Origin value for module load (Init). */
export const INIT = 0;

const kOrigin = Symbol('lhc.origin');
/** The creation stack, also kept on the resource so resources created in its callbacks can fall back to it. */
const kHolder = Symbol('lhc.holder');

interface TrackedRecord {
  asyncId: number;
  type: string;
  origin: number;
  /** Strong for timers (their objects are cheap and tell us when they are done), weak otherwise. */
  resource: object | WeakRef<object>;
  holder: StackHolder;
  /**
   * The stacks of the resource whose callback created this one, and of its creator: a server
   * whose handle is made in a DNS lookup's callback has no user frame of its own, its
   * lookup does.
   */
  parentHolder: StackHolder | undefined;
  grandparentHolder: StackHolder | undefined;
}

export interface ResourceTracker {
  /** Runs `fn` with resources it creates attributed to `origin` (0 = init, n = invocation n). */
  runAs<T>(origin: number, fn: () => T): T;
  /** Attributes everything created from now on to `origin`, whatever the async context (Init). */
  setAmbient(origin: number): void;
  /** Origin of the code running now (OWN when none). */
  currentOrigin(): number;
  originOf(resource: unknown): number;
  /**
   * From now on, calls `onRun` before each callback of a tracked resource created by an
   * invocation. Off until first asked for: a `before` hook runs for every promise reaction too.
   */
  watchExecutions(onRun: (origin: number, asyncId: number, describe: () => RawResource) => void): void;
  /** User resources that are alive and ref'd now, plus unattributed ones Node reports active. */
  snapshot(filter?: (origin: number) => boolean): RawResource[];
}

export function createResourceTracker(isOwnFile: (file: string) => boolean, ownHandles: object[]): ResourceTracker {
  const records = new Map<number, TrackedRecord>();
  let ambientOrigin = OWN;
  let sweepAt = 1024;

  const originFromContext = (): number => {
    if (ambientOrigin !== OWN) return ambientOrigin;
    const current = executionAsyncResource() as Record<symbol, number> | undefined;
    return current?.[kOrigin] ?? OWN;
  };
  const parentRecord = (): CreatorStacks | undefined => (executionAsyncResource() as Record<symbol, CreatorStacks> | undefined)?.[kHolder];

  const hook = createHook({
    init(asyncId, type, triggerAsyncId, resource) {
      // Handles that libuv creates outside any callback (a server's accepted socket) run no
      // user code as they are born: their trigger, the server, says whose they are.
      let origin = originFromContext();
      if (origin === OWN) origin = records.get(triggerAsyncId)?.origin ?? OWN;
      if (origin === OWN) return;
      try {
        (resource as Record<symbol, number>)[kOrigin] = origin;
      } catch {
        // Frozen or exotic resource objects cannot carry the tag; their callbacks fall back to OWN.
      }
      if (LINKED_TYPES.has(type)) {
        // process.nextTick is how Node defers work (listen() with a host, stream ends): what
        // its callback creates should point back to the user's call that scheduled it.
        linkToCreator(resource, parentRecord() ?? { holder: captureStack(), parentHolder: undefined });
        return;
      }
      if (!isTrackedType(type)) return;
      const parent = parentRecord() ?? records.get(triggerAsyncId);
      const record: TrackedRecord = {
        asyncId,
        type,
        origin,
        resource: TIMERS.has(type) ? resource : new WeakRef(resource),
        holder: captureStack(),
        parentHolder: parent?.holder,
        grandparentHolder: parent?.parentHolder,
      };
      records.set(asyncId, record);
      linkToCreator(resource, record);
      if (records.size >= sweepAt) {
        sweep(records);
        sweepAt = Math.max(1024, records.size * 2);
      }
    },
  });
  hook.enable();

  let watcher: ((origin: number, asyncId: number, describe: () => RawResource) => void) | null = null;
  const executionHook = createHook({
    before(asyncId) {
      // Any callback counts, not only tracked ones: an HTTP response is parsed in its
      // HTTPINCOMINGMESSAGE's context, an un-awaited promise continues in its own.
      const resource = executionAsyncResource() as Record<symbol, number> | undefined;
      const origin = resource?.[kOrigin];
      if (origin === undefined || origin <= 0 || !watcher) return;
      const record = records.get(asyncId);
      watcher(origin, asyncId, () => (record ? describe(record, deref(record), isOwnFile) : describeUntracked(asyncId, origin, resource, isOwnFile)));
    },
  });

  return {
    watchExecutions(onRun) {
      watcher = onRun;
      executionHook.enable();
    },
    runAs(origin, fn) {
      const previous = ambientOrigin;
      ambientOrigin = origin;
      try {
        return fn();
      } finally {
        ambientOrigin = previous;
      }
    },
    setAmbient(origin) {
      ambientOrigin = origin;
    },
    currentOrigin: originFromContext,
    originOf(resource) {
      return (resource as Record<symbol, number> | null)?.[kOrigin] ?? OWN;
    },
    snapshot(filter = () => true) {
      sweep(records);
      return collectLive(records, filter, isOwnFile, ownHandles);
    },
  };
}

const TIMERS = new Set(['Timeout', 'Immediate']);

/**
 * Not recorded, but linked to the stacks of the code that created them, so that what runs in
 * their callbacks (a server made in listen()'s nextTick, an HTTP response) can be placed.
 */
const LINKED_TYPES = new Set(['TickObject', 'HTTPCLIENTREQUEST', 'HTTPINCOMINGMESSAGE']);

type CreatorStacks = Pick<TrackedRecord, 'holder' | 'parentHolder'>;

function linkToCreator(resource: object, stacks: CreatorStacks): void {
  try {
    (resource as Record<symbol, CreatorStacks>)[kHolder] = stacks;
  } catch {
    // As for the origin: only the location fallback of this resource's children is lost.
  }
}

function deref(record: TrackedRecord): any {
  return record.resource instanceof WeakRef ? record.resource.deref() : record.resource;
}

/** Drops records whose resource is finished (timers) or collected (handles, requests). */
function sweep(records: Map<number, TrackedRecord>): void {
  for (const [id, record] of records) {
    const resource = deref(record);
    if (!resource || (TIMERS.has(record.type) && resource._destroyed)) records.delete(id);
  }
}

function collectLive(
  records: Map<number, TrackedRecord>,
  filter: (origin: number) => boolean,
  isOwnFile: (file: string) => boolean,
  ownHandles: object[],
): RawResource[] {
  const active = activeObjects(ownHandles);
  const live: RawResource[] = [];
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
    live.push(describe(record, resource, isOwnFile));
  }
  if (filter(OWN)) live.push(...unattributed(active, matched, refedTimers, refedImmediates));
  return groupAlike(live);
}

/** Above this many, alike resources are reported once with a count: the report stays small. */
const GROUP_ABOVE = 50;
/** However diverse they are, no more entries than this while a coarser grouping is left. */
const MAX_ENTRIES = 100;

const siteOf = (resource: RawResource): string => {
  const top = resource.frames[0];
  return `${top?.file}:${top?.line}:${top?.column}`;
};
/** Finest first: same site and summary; same site (jittered periods, per-call ids); same type. */
const GROUP_KEYS: Array<(resource: RawResource) => string> = [
  (resource) => `${resource.type}|${resource.origin}|${resource.summary}|${siteOf(resource)}`,
  (resource) => `${resource.type}|${resource.origin}|${siteOf(resource)}`,
  (resource) => `${resource.type}|${resource.origin}`,
];

/** Thousands of timers from one line are one problem: keep one of each site, with a count. */
function groupAlike(resources: RawResource[]): RawResource[] {
  if (resources.length <= GROUP_ABOVE) return resources;
  let grouped = resources;
  for (const keyOf of GROUP_KEYS) {
    const groups = new Map<string, RawResource>();
    for (const resource of grouped) {
      const key = keyOf(resource);
      const group = groups.get(key);
      if (!group) groups.set(key, { ...resource });
      else {
        group.count = (group.count ?? 1) + (resource.count ?? 1);
        if (group.summary !== resource.summary && !group.summary.endsWith(ALIKE)) group.summary += ALIKE;
      }
    }
    grouped = [...groups.values()];
    if (grouped.length <= MAX_ENTRIES) break;
  }
  return grouped;
}

/** Marks a group whose members differ in their summaries: the first one's stands for all. */
const ALIKE = ' (and others alike)';

/** A record in the report's raw terms; stacks are formatted once and cached on the holders. */
function describe(record: TrackedRecord, resource: any, isOwnFile: (file: string) => boolean): RawResource {
  return {
    asyncId: record.asyncId,
    type: record.type,
    kind: kindOf(record.type, resource),
    ref: resource ? isRefed(resource) : false,
    origin: record.origin,
    summary: resource ? summarize(record.type, resource) : record.type,
    frames: readFrames(record.holder, isOwnFile),
    parentFrames: [record.parentHolder, record.grandparentHolder].flatMap((holder) => (holder ? readFrames(holder, isOwnFile) : [])),
  };
}

/** A callback context that has no record: a promise, a tick, an HTTP exchange. */
function describeUntracked(asyncId: number, origin: number, resource: any, isOwnFile: (file: string) => boolean): RawResource {
  const creator = resource?.[kHolder] as CreatorStacks | undefined;
  const isPromise = resource instanceof Promise;
  const type = isPromise ? 'PROMISE' : typeof resource?.type === 'string' ? resource.type : (resource?.constructor?.name ?? 'unknown');
  return {
    asyncId,
    type,
    kind: isPromise ? 'promise' : type.startsWith('HTTP') ? 'request' : 'other',
    ref: false,
    origin,
    summary: isPromise ? 'promise continuation' : summarize(type, resource),
    frames: creator ? readFrames(creator.holder, isOwnFile) : [],
    parentFrames: creator?.parentHolder ? readFrames(creator.parentHolder, isOwnFile) : [],
  };
}

function isRefed(resource: any): boolean {
  try {
    return typeof resource.hasRef === 'function' ? resource.hasRef() : true;
  } catch {
    return true;
  }
}

interface ActiveObjects {
  /** Owners (net.Socket, Server, ChildProcess …) of ref'd handles, as Node lists them. */
  owners: object[];
  /** The owners and their handle wraps, for identity checks. */
  handles: Set<object>;
  requests: Set<object>;
  infoCounts: Map<string, number>;
}

/** Node's own view of what keeps the loop alive, minus the tool's stdio and IPC channel. */
function activeObjects(ownHandles: object[]): ActiveObjects {
  const p = process as any;
  const own = new Set<unknown>([p.stdout, p.stderr, p.stdin, ...ownHandles]);
  const owners = ((p._getActiveHandles?.() ?? []) as object[]).filter((owner) => !own.has(owner));
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
