/**
 * What the tracker keeps per resource, and how a record becomes a resource in the report's
 * raw terms. The symbols ride on Node's resource objects (see resource-tracker.ts).
 */
import type { RawResource } from '../runner/protocol.js';
import { readFrames, type StackHolder } from './capture-stack.js';
import { kindOf, ownerOf, summarize } from './describe-resource.js';
import { describePoolCheckout } from './pg-pool-checkouts.js';

/** Origin of resources created by the tool itself, or before tracking began. */
export const OWN = -1;
/** Origin value for module load (Init). */
export const INIT = 0;

export const kOrigin = Symbol('lhc.origin');
/** The creation stack, also kept on the resource so resources created in its callbacks can fall back to it. */
export const kHolder = Symbol('lhc.holder');

export interface TrackedRecord {
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

export const TIMERS = new Set(['Timeout', 'Immediate']);

/**
 * Not recorded, but linked to the stacks of the code that created them, so that what runs in
 * their callbacks (a server made in listen()'s nextTick, an HTTP response) can be placed.
 */
export const LINKED_TYPES = new Set(['TickObject', 'HTTPCLIENTREQUEST', 'HTTPINCOMINGMESSAGE']);

export type CreatorStacks = Pick<TrackedRecord, 'holder' | 'parentHolder'>;

export function linkToCreator(resource: object, stacks: CreatorStacks): void {
  try {
    (resource as Record<symbol, CreatorStacks>)[kHolder] = stacks;
  } catch {
    // As for the origin: only the location fallback of this resource's children is lost.
  }
}

export function deref(record: TrackedRecord): any {
  return record.resource instanceof WeakRef ? record.resource.deref() : record.resource;
}

/** A record in the report's raw terms; stacks are formatted once and cached on the holders. */
export function describe(record: TrackedRecord, resource: any, isOwnFile: (file: string) => boolean): RawResource {
  const frames = readFrames(record.holder, isOwnFile);
  // A pooled client's socket says whether the pool has it out: a lease never released is a leak.
  const checkout = record.type === 'TCPWRAP' && resource ? describePoolCheckout(ownerOf(resource), frames) : '';
  return {
    asyncId: record.asyncId,
    type: record.type,
    kind: kindOf(record.type, resource),
    ref: resource ? isRefed(resource) : false,
    origin: record.origin,
    summary: resource ? `${summarize(record.type, resource)}${checkout}` : record.type,
    frames,
    parentFrames: [record.parentHolder, record.grandparentHolder].flatMap((holder) => (holder ? readFrames(holder, isOwnFile) : [])),
  };
}

/** A callback context that has no record: a promise, a tick, an HTTP exchange. */
export function describeUntracked(asyncId: number, origin: number, resource: any, isOwnFile: (file: string) => boolean): RawResource {
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
