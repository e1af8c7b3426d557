/**
 * Drives one execution environment through Lambda's lifecycle inside the child: invoke →
 * complete (by the rules of the runtime line) → post → wait for the next invoke. Posting
 * means writing the result to the parent; the parent freezes the process afterwards.
 */
import type { DeadlineState, ExecutionEvent, HandlerShape, InvokeMessage, RawResource } from '../runner/protocol.js';
import { MAX_RESPONSE_BYTES, MAX_STREAMED_RESPONSE_BYTES, responseTooLargeError } from '../payload-limits.js';
import { NODEJS_EXIT_MESSAGE, type RuntimeRules } from '../runtime-rules.js';
import type { CompletionKind, ErrorInfo } from '../types.js';
import { toErrorInfo, toPostedError } from './error-info.js';
import type { CommandChannel } from './command-channel.js';
import { restoreListeners } from './guarded-listeners.js';
import { createExecutionLog } from './execution-log.js';
import { startLegacy } from './invoke-legacy.js';
import { startStreaming } from './invoke-streaming.js';
import { startV4 } from './invoke-v4.js';
import { schedule, type Completion, type Invocation, type InvocationDriver } from './invocation.js';
import { sendToParent } from './report-channel.js';
import { OWN, type ResourceTracker } from './resource-tracker.js';
import { locateFunction } from './function-location.js';

// Taken before any user code runs: the size check must not depend on what a handler patched.
const byteLength = Buffer.byteLength;

export interface Lifecycle {
  invoke(message: InvokeMessage): void;
  /** What the open invocation waits for, with the user's live resources (for the deadline). */
  describeState(): {
    state: DeadlineState;
    index: number;
    resources: RawResource[];
    executions: ExecutionEvent[];
  };
  /** The invocation handed out last (0 before the first). */
  lastIndex(): number;
  /** Whether the invocation with this index has posted its result. */
  isPosted(index: number): boolean;
  /** Posts an error for the open invocation, if any, as the legacy client does on a process error. */
  failOpenInvocation(error: ErrorInfo): void;
  /** Node's 'beforeExit': the loop has drained. Registered by the caller (index.ts), see there. */
  onBeforeExit(): void;
}

const userOrigins = (origin: number): boolean => origin !== OWN;

export function createLifecycle(handler: Function, shape: HandlerShape, rules: RuntimeRules, tracker: ResourceTracker, channel: CommandChannel): Lifecycle {
  let open: Invocation | null = null;
  /** Posted, but the next event is asked for only once the loop is empty (legacy streaming). */
  let awaitingNext: Invocation | null = null;
  let postedAt = 0;
  let last = 0;
  const executions = createExecutionLog();
  const watchLeftovers = (lingering: RawResource[]): void => {
    if (!lingering.some((resource) => resource.origin > 0)) return;
    tracker.watchExecutions((origin, asyncId, describe) => {
      // Only callbacks that run after their own invocation answered are news.
      if (open?.index !== origin) executions.add(asyncId, describe);
    });
  };

  const post = (invocation: Invocation, completion: Completion, completedBy: CompletionKind): void => {
    if (invocation.posted) return;
    invocation.posted = true;
    let outcome: 'response' | 'error' = completion.ok ? 'response' : 'error';
    let responseText: string | undefined;
    let responseContentType: string | undefined;
    let responseTruncated = false;
    let error = completion.ok ? undefined : completion.error;
    /** Set when the response is over Lambda's limit: its size in bytes, and that limit. */
    let tooLarge: { bytes: number; limitBytes: number; streaming: boolean } | undefined;
    if (completion.ok && completion.streamed) {
      responseText = completion.streamed.body;
      responseContentType = completion.streamed.contentType;
      responseTruncated = completion.streamed.truncated;
      if (completion.streamed.bytes > MAX_STREAMED_RESPONSE_BYTES) tooLarge = { bytes: completion.streamed.bytes, limitBytes: MAX_STREAMED_RESPONSE_BYTES, streaming: true };
    } else if (completion.ok) {
      try {
        // The global JSON.stringify, as the runtime client uses it: a handler that replaced it gets what it would on Lambda.
        const text: unknown = JSON.stringify(completion.value);
        responseText = text === undefined ? 'null' : String(text);
      } catch (cause) {
        outcome = 'error';
        error = { errorType: rules.stringifyErrorType, errorMessage: 'Unable to stringify response body', trace: toErrorInfo(cause).trace };
      }
      // The Runtime API answers a larger POST with 413: both client lines log it and ask for the
      // next event (conformance/README.md), while the invoker gets Function.ResponseSizeTooLarge.
      const bytes = responseText === undefined ? 0 : byteLength(responseText, 'utf8');
      if (bytes > MAX_RESPONSE_BYTES) tooLarge = { bytes, limitBytes: MAX_RESPONSE_BYTES, streaming: false };
    }
    if (tooLarge) {
      outcome = 'error';
      error = responseTooLargeError(tooLarge.bytes, tooLarge.limitBytes);
      // Not sent: the parent needs the size, not megabytes of body.
      responseText = undefined;
      responseContentType = undefined;
      responseTruncated = false;
    }
    const now = performance.now();
    // A legacy streaming response whose next event waits for an empty loop leaves nothing
    // ref'd to freeze: what is alive now runs first (or the deadline resets the environment).
    const nextWaitsForEmptyLoop = invocation.nextWaitsForEmptyLoop();
    const lingering = nextWaitsForEmptyLoop ? [] : tracker.snapshot(userOrigins);
    sendToParent({
      type: 'result',
      index: invocation.index,
      outcome,
      responseText,
      ...(responseContentType !== undefined ? { responseContentType } : {}),
      ...(responseTruncated ? { responseTruncated } : {}),
      ...(tooLarge ? { tooLarge: { ...tooLarge, handlerAt: shape.definedAt ?? locateFunction(handler) ?? undefined } } : {}),
      error,
      completedBy,
      durationMs: now - invocation.startedAt,
      waitedForLoopMs: invocation.waiting ? now - invocation.waiting.calledAt : null,
      heldBy: invocation.waiting?.heldBy ?? [],
      ignoredReturn: invocation.ignoredReturn,
      lingering,
      promisePending: invocation.promisePending,
      executions: executions.drain(),
    });
    restoreListeners();
    if (open === invocation) open = null;
    if (nextWaitsForEmptyLoop) {
      awaitingNext = invocation;
      postedAt = now;
      // Only the user's work may keep the loop alive now: its end is what the client waits for.
      channel.unref();
      return;
    }
    askForNext(invocation, undefined, lingering);
  };

  /** `atPost`: what was pending at the post, if the request follows it at once. */
  const askForNext = (invocation: Invocation, waitedForLoopMs?: number, atPost: RawResource[] = []): void => {
    // Like the runtime's long-poll on /next: wait for the next invoke, whatever the loop holds.
    channel.ref();
    const ask = (frozen: RawResource[], changed: boolean): void => {
      // Callbacks are watched across the freeze only when something of an invocation is in it.
      watchLeftovers(frozen);
      tracker.markFreeze();
      sendToParent({ type: 'next', index: invocation.index, ...(waitedForLoopMs !== undefined ? { waitedForLoopMs } : {}), ...(changed ? { lingering: frozen } : {}) });
    };
    // The freeze comes with this request, so what is pending then is what Lambda freezes: an
    // immediate queued just before the post (undici's, as a request completes) has run.
    if (rules.nextAfterImmediate) schedule(() => ask(tracker.snapshot(userOrigins), true));
    else ask(atPost, false);
  };

  const complete = (invocation: Invocation, completion: Completion, completedBy: CompletionKind): void => {
    if (invocation.latched) return;
    invocation.latched = true;
    post(invocation, completion, completedBy);
  };

  const driver: InvocationDriver = {
    handler,
    complete,
    runAs: (invocation, fn) => tracker.runAs(invocation.index, fn),
    liveResources: () => tracker.snapshot(userOrigins),
    fail: (error) => ({ ok: false, error: toPostedError(error, rules.errorFormat) }),
    holdLoop: () => channel.ref(),
  };

  const onBeforeExit = (): void => {
    if (awaitingNext) {
      // The legacy streaming client's scheduleNext: one setImmediate after beforeExit.
      const posted = awaitingNext;
      awaitingNext = null;
      return void schedule(() => askForNext(posted, performance.now() - postedAt));
    }
    const invocation = open;
    if (!invocation || invocation.posted) return void channel.ref();
    if (!rules.callbacks) {
      // No beforeExit logic in the 4.x client: the process simply ends. Tell the parent why.
      sendToParent({ type: 'loop-drained', index: invocation.index, promisePending: invocation.promisePending });
      return;
    }
    const waiting = invocation.waiting;
    // The legacy client posts a waiting callback's result one setImmediate after beforeExit.
    if (waiting) return void schedule(() => post(invocation, { ok: true, value: waiting.result }, 'callback'));
    if (invocation.latched) return;
    invocation.latched = true;
    sendToParent({ type: 'loop-drained', index: invocation.index, promisePending: invocation.promisePending });
    const completion: Completion = shape.isAsync
      ? { ok: false, error: { errorType: 'Runtime.NodeJsExit', errorMessage: NODEJS_EXIT_MESSAGE, trace: [] } }
      : { ok: true, value: null };
    post(invocation, completion, 'empty-event-loop');
  };

  return {
    onBeforeExit,
    invoke(message) {
      restoreListeners();
      channel.unref();
      const invocation: Invocation = {
        index: message.index,
        startedAt: performance.now(),
        latched: false,
        posted: false,
        waiting: null,
        ignoredReturn: false,
        promisePending: false,
        awaitingStreamEnd: false,
        nextWaitsForEmptyLoop: () => false,
      };
      open = invocation;
      last = message.index;
      process.env._X_AMZN_TRACE_ID = message.traceId;
      if (shape.isStreaming) startStreaming(driver, rules, invocation, message);
      else if (rules.callbacks) startLegacy(driver, rules, shape, invocation, message);
      else startV4(driver, rules, invocation, message);
    },
    describeState() {
      const resources = tracker.snapshot(userOrigins);
      const state: DeadlineState = awaitingNext || open?.waiting ? 'waiting-for-empty-loop' : open?.awaitingStreamEnd ? 'stream-not-ended' : open ? 'handler-pending' : 'idle';
      return { state, index: open?.index ?? awaitingNext?.index ?? last, resources, executions: executions.drain() };
    },
    lastIndex: () => last,
    isPosted: (index) => !(open && open.index === index),
    failOpenInvocation(error) {
      if (open && !open.posted) {
        open.latched = true;
        post(open, { ok: false, error }, 'process-error');
      }
    },
  };
}

