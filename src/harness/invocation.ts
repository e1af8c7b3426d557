/** One invocation's state inside the child, and the completion both runtime lines post. */
import { AsyncResource } from 'node:async_hooks';
import type { RawResource } from '../runner/protocol.js';
import type { CompletionKind, ErrorInfo } from '../types.js';

export interface Invocation {
  index: number;
  startedAt: number;
  /** First call wins: callback, done/succeed/fail and promise settlement share this latch. */
  latched: boolean;
  posted: boolean;
  /** callback(null, result) with callbackWaitsForEmptyEventLoop: posted when the loop drains. */
  waiting: { result: unknown; calledAt: number; heldBy: RawResource[] } | null;
  ignoredReturn: boolean;
  promisePending: boolean;
  /** A streaming handler resolved and the runtime now waits for the end of its body. */
  awaitingStreamEnd: boolean;
  /** Legacy streaming with callbackWaitsForEmptyEventLoop: ask for the next event only once the loop is empty. */
  nextWaitsForEmptyLoop: () => boolean;
}

/** `streamed`: a streaming handler's body, posted as is instead of JSON of `value`. */
export type Completion = { ok: true; value: unknown; streamed?: StreamedBody } | { ok: false; error: ErrorInfo };

export interface StreamedBody {
  body: string;
  contentType: string;
  /** Only the first part of the body was kept (response-stream.ts). */
  truncated: boolean;
  /** How many bytes were streamed in all: counted, not kept. */
  bytes: number;
}

/** What the runtime-line drivers need from the lifecycle. */
export interface InvocationDriver {
  handler: Function;
  /** Latches and posts, unless the invocation already completed. */
  complete(invocation: Invocation, completion: Completion, completedBy: CompletionKind): void;
  /** Runs the handler with what it creates attributed to the invocation. */
  runAs<T>(invocation: Invocation, fn: () => T): T;
  /** The user's ref'd resources now (what holds a waiting callback back). */
  liveResources(): RawResource[];
  /** An error completion, with the body as this runtime line's client would post it. */
  fail(error: unknown): Completion;
  /** Keeps the loop alive, as the client's open response request to the Runtime API does while a body streams. */
  holdLoop(): void;
}

// Taken before any user code runs: the tool's own scheduling must survive a handler that
// replaces setImmediate. (What the runtime client does with the user's values — calling
// result.then, JSON.stringify of the response — uses the globals as the client does.)
const ownSetImmediate = setImmediate;

// The tool's own async scope, made before any user code runs, so it carries no invocation's
// tag. The tool schedules from inside the user's callbacks (callback(null) called in a pg
// query's callback): scheduled in the user's context, its immediate would count as that
// invocation's work, and, still running when the freeze came, be reported as run after the thaw.
const ownScope = new AsyncResource('LambdaHangCheck');

/** setImmediate for the tool's own steps: never tracked, never the user's, whatever context it is called from. */
export function schedule(callback: () => void): void {
  ownScope.runInAsyncScope(ownSetImmediate, null, callback);
}

export const isError = (error: unknown): boolean => error !== null && error !== undefined;

export function settle(driver: InvocationDriver, invocation: Invocation, completion: Completion, completedBy: CompletionKind): void {
  invocation.promisePending = false;
  driver.complete(invocation, completion, completedBy);
}

export function isThenable(value: unknown): boolean {
  try {
    return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch {
    // A `then` getter that throws: not a thenable the tool can tell apart; the client's await will reject.
    return false;
  }
}
