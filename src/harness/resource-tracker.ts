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
import { createHook, executionAsyncId, executionAsyncResource } from 'node:async_hooks';
import type { RawResource } from '../runner/protocol.js';
import { captureStack } from './capture-stack.js';
import { HANDLE_TYPES, isClosing, isTrackedType, ownerOf } from './describe-resource.js';
import { collectLive, sweep } from './live-resources.js';
import {
  LINKED_TYPES,
  OWN,
  TIMERS,
  deref,
  describe,
  describeUntracked,
  kHolder,
  kOrigin,
  linkToCreator,
  type CreatorStacks,
  type TrackedRecord,
} from './tracked-record.js';

export { INIT, OWN } from './tracked-record.js';

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
  /** The environment freezes now: remembers what each live connection had written (see `before`). */
  markFreeze(): void;
  /**
   * The user's resource whose callback is running now (a socket's, a timer's, a tick a
   * resource scheduled), with its creation stack: where an error thrown from inside Node or
   * a library came from. Null in the tool's own or no context.
   */
  describeCurrent(): RawResource | null;
}

/**
 * Where a timer's creation stack can start. Five of the twelve frames of a timer made by
 * setTimeout are Node's own (the hook's emitters, initAsyncResource, the constructor), and
 * timers are the most numerous resources: skipping through the Timeout or Immediate
 * constructor saves almost half of what their stacks cost. Only where the constructor is
 * surely on the stack: `refresh()` of a timer that already ran initialises the same object
 * again, from outside the constructor, after inserting it (so `_idleStart` is set).
 * The classes are taken now, before user code could patch what leads to them.
 */
function timerConstructorFor(): (type: string, resource: any) => Function | undefined {
  const timeout = setTimeout(() => {}, 0);
  const immediate = setImmediate(() => {});
  clearTimeout(timeout);
  clearImmediate(immediate);
  const TimeoutClass = timeout.constructor;
  const ImmediateClass = immediate.constructor;
  return (type, resource) => {
    if (type === 'Timeout') return Object.getPrototypeOf(resource) === TimeoutClass.prototype && resource._idleStart === null ? TimeoutClass : undefined;
    if (type === 'Immediate') return Object.getPrototypeOf(resource) === ImmediateClass.prototype ? ImmediateClass : undefined;
    return undefined;
  };
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

  const timerConstructor = timerConstructorFor();
  const callbacks = {
    init(asyncId: number, type: string, triggerAsyncId: number, resource: object) {
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
      // By far the most frequent kind, and all a promise needs is the tag: leave at once.
      if (type === 'PROMISE') return;
      if (LINKED_TYPES.has(type)) {
        // process.nextTick is how Node defers work (listen() with a host, stream ends): what
        // its callback creates should point back to the user's call that scheduled it.
        linkToCreator(resource, parentRecord() ?? { holder: captureStack(callbacks.init), parentHolder: undefined });
        return;
      }
      if (!isTrackedType(type)) return;
      // The trigger first: where Node names one other than the running callback's resource (a
      // socket's connect request, made in a tick of net.connect()), it is the closer cause.
      const parent = records.get(triggerAsyncId) ?? parentRecord();
      const record: TrackedRecord = {
        asyncId,
        type,
        origin,
        resource: TIMERS.has(type) ? resource : new WeakRef(resource),
        holder: captureStack(timerConstructor(type, resource) ?? callbacks.init),
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
  };
  const hook = createHook(callbacks);
  hook.enable();

  let watcher: ((origin: number, asyncId: number, describe: () => RawResource) => void) | null = null;
  /** Bytes each live stream handle (a socket, a TLS stream) had written at the last freeze. */
  let writtenAtFreeze = new WeakMap<object, number>();
  /** Handles whose close was under way at the last freeze: what runs of them after the thaw is only that close. */
  let closingAtFreeze = new WeakSet<object>();
  /** Whether the last freeze found any stream or closing handle: without one, the hot `before` hook skips the lookups. */
  let handlesAtFreeze = false;
  /** Not the earlier request's work running late: a kept connection answering a later request, or the end of a close. */
  const isNotLeftover = (resource: unknown): boolean => {
    if (!resource) return false;
    if (closingAtFreeze.has(resource as object)) return true;
    const written = writtenAtFreeze.get(resource as object);
    return written !== undefined && (bytesWrittenOf(resource) ?? 0) > written;
  };
  /** The tracked resource whose callback created this one (a tick a socket's read scheduled), if still alive. */
  const creatorOf = (resource: object): unknown => {
    const creator = (resource as Record<symbol, CreatorStacks | TrackedRecord | undefined>)[kHolder];
    return creator && 'resource' in creator ? deref(creator) : undefined;
  };
  const executionHook = createHook({
    before(asyncId) {
      // Any callback counts, not only tracked ones: an HTTP response is parsed in its
      // HTTPINCOMINGMESSAGE's context, an un-awaited promise continues in its own.
      const resource = executionAsyncResource() as Record<symbol, number> | undefined;
      const origin = resource?.[kOrigin];
      if (origin === undefined || origin <= 0 || !watcher) return;
      // A connection an earlier request opened and a later one has written to since the freeze
      // (a kept database or keep-alive socket) is answering the later one: its callbacks (and
      // the ticks they schedule) run in its creator's async context, but they are not the
      // earlier request's work running late. Nor is the close callback of a handle whose close
      // was already under way when the environment froze.
      if (handlesAtFreeze && (isNotLeftover(resource!) || isNotLeftover(creatorOf(resource!)))) return;
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
    describeCurrent() {
      const resource = executionAsyncResource() as Record<symbol, number> | undefined;
      const origin = resource?.[kOrigin];
      if (!resource || origin === undefined || origin < 0) return null;
      const record = records.get(executionAsyncId());
      if (record) return describe(record, deref(record), isOwnFile);
      // A tick the resource scheduled (how Node emits a socket's 'error'): name the resource.
      const creator = (resource as unknown as Record<symbol, CreatorStacks | TrackedRecord | undefined>)[kHolder];
      if (creator && 'resource' in creator) return describe(creator, deref(creator), isOwnFile);
      return describeUntracked(executionAsyncId(), origin, resource, isOwnFile);
    },
    markFreeze() {
      writtenAtFreeze = new WeakMap();
      closingAtFreeze = new WeakSet();
      handlesAtFreeze = false;
      for (const record of records.values()) {
        if (TIMERS.has(record.type)) continue; // most records, and never a stream
        const resource = deref(record);
        if (resource && HANDLE_TYPES.has(record.type) && isClosing(ownerOf(resource))) {
          closingAtFreeze.add(resource);
          handlesAtFreeze = true;
          continue;
        }
        const written = bytesWrittenOf(resource);
        if (written === null) continue;
        writtenAtFreeze.set(resource as object, written);
        handlesAtFreeze = true;
      }
    },
  };
}

/** A stream handle's byte count (libuv streams and TLS expose it), read without trusting the object. */
function bytesWrittenOf(resource: unknown): number | null {
  try {
    const written = (resource as { bytesWritten?: unknown } | null)?.bytesWritten;
    return typeof written === 'number' ? written : null;
  } catch {
    return null;
  }
}
