/**
 * Drives one execution environment through Lambda's lifecycle inside the child: invoke →
 * complete (by the rules of the runtime line) → post → wait for the next invoke. Posting
 * means writing the result to the parent; the parent freezes the process afterwards.
 */
import type { ExecutionEvent, HandlerShape, InvokeMessage, RawResource } from '../runner/protocol.js';
import { NODEJS_EXIT_MESSAGE, type RuntimeRules } from '../runtime-rules.js';
import type { CompletionKind, ErrorInfo } from '../types.js';
import { toErrorInfo } from './error-info.js';
import type { CommandChannel } from './command-channel.js';
import { restoreListeners } from './guarded-listeners.js';
import { createLambdaContext } from './lambda-context.js';
import { sendToParent } from './report-channel.js';
import { OWN, type ResourceTracker } from './resource-tracker.js';

interface Invocation {
  index: number;
  startedAt: number;
  /** First call wins: callback, done/succeed/fail and promise settlement share this latch. */
  latched: boolean;
  posted: boolean;
  /** callback(null, result) with callbackWaitsForEmptyEventLoop: posted when the loop drains. */
  waiting: { result: unknown; calledAt: number; heldBy: RawResource[] } | null;
  ignoredReturn: boolean;
  promisePending: boolean;
}

type Completion = { ok: true; value: unknown } | { ok: false; error: ErrorInfo };

// Taken before any user code runs: the tool's own scheduling must survive a handler that
// replaces setImmediate. (What the runtime client does with the user's values — calling
// result.then, JSON.stringify of the response — uses the globals as the client does.)
const schedule = setImmediate;

export interface Lifecycle {
  invoke(message: InvokeMessage): void;
  /** What the open invocation waits for, with the user's live resources (for the deadline). */
  describeState(): {
    state: 'waiting-for-empty-loop' | 'handler-pending' | 'idle';
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
    let error = completion.ok ? undefined : completion.error;
    if (completion.ok) {
      try {
        // The global JSON.stringify, as the runtime client uses it: a handler that replaced it gets what it would on Lambda.
        const text: unknown = JSON.stringify(completion.value);
        responseText = text === undefined ? 'null' : String(text);
      } catch (cause) {
        outcome = 'error';
        error = { errorType: rules.stringifyErrorType, errorMessage: 'Unable to stringify response body', trace: toErrorInfo(cause).trace };
      }
    }
    const now = performance.now();
    const lingering = tracker.snapshot(userOrigins);
    sendToParent({
      type: 'result',
      index: invocation.index,
      outcome,
      responseText,
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
    watchLeftovers(lingering);
    restoreListeners();
    if (open === invocation) open = null;
    // Like the runtime's long-poll on /next: wait for the next invoke, whatever the loop holds.
    channel.ref();
  };

  const complete = (invocation: Invocation, completion: Completion, completedBy: CompletionKind): void => {
    if (invocation.latched) return;
    invocation.latched = true;
    post(invocation, completion, completedBy);
  };

  const fail = (error: unknown): Completion => ({ ok: false, error: toErrorInfo(error) });
  const isError = (error: unknown): boolean => error !== null && error !== undefined;

  const startLegacy = (invocation: Invocation, message: InvokeMessage): void => {
    const callback = (error: unknown, result?: unknown): void => {
      if (invocation.latched) return;
      if (isError(error)) return complete(invocation, fail(error), 'callback');
      if (!waitsForEmptyEventLoop()) return complete(invocation, { ok: true, value: result }, 'callback');
      invocation.latched = true;
      invocation.waiting = { result, calledAt: performance.now(), heldBy: tracker.snapshot(userOrigins) };
    };
    const done = (error: unknown, result?: unknown): void => {
      complete(invocation, isError(error) ? fail(error) : { ok: true, value: result }, 'context.done');
    };
    const { context, waitsForEmptyEventLoop } = createLambdaContext(rules, message, { callback, done });
    // Like the client's handleOnce: the call and result.then() share one try, and a throw from
    // either is treated as callback(error).
    try {
      const result: any = tracker.runAs(invocation.index, () => handler(message.event, context, callback));
      // The client's own test, getter included: a `then` that throws lands in the catch below.
      if (result && result.then && typeof result.then === 'function') {
        invocation.promisePending = true;
        (result as PromiseLike<unknown>).then(
          (value) => settle(invocation, { ok: true, value }),
          (error) => settle(invocation, fail(error)),
        );
      } else if (result !== undefined && !shape.isAsync) {
        invocation.ignoredReturn = true;
      }
    } catch (error) {
      if (!invocation.latched) complete(invocation, fail(error), 'throw');
    }
  };

  const settle = (invocation: Invocation, completion: Completion): void => {
    invocation.promisePending = false;
    complete(invocation, completion, 'promise');
  };

  const startV4 = (invocation: Invocation, message: InvokeMessage): void => {
    const { context } = createLambdaContext(rules, message, { callback() {}, done() {} });
    let result: unknown;
    try {
      result = tracker.runAs(invocation.index, () => handler(message.event, context));
    } catch (error) {
      return complete(invocation, fail(error), 'throw');
    }
    const completedBy: CompletionKind = isThenable(result) ? 'promise' : 'return-value';
    invocation.promisePending = completedBy === 'promise';
    // The 4.x client awaits whatever the handler returned, then posts one setImmediate later.
    // `await` never looks up Promise.prototype.then on a native promise, so neither do we.
    void (async () => {
      let completion: Completion;
      try {
        completion = { ok: true, value: await result };
      } catch (error) {
        completion = fail(error);
      }
      schedule(() => settle4(invocation, completion, completedBy));
    })();
  };

  const settle4 = (invocation: Invocation, completion: Completion, completedBy: CompletionKind): void => {
    invocation.promisePending = false;
    complete(invocation, completion, completedBy);
  };

  const onBeforeExit = (): void => {
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
      };
      open = invocation;
      last = message.index;
      process.env._X_AMZN_TRACE_ID = message.traceId;
      if (rules.callbacks) startLegacy(invocation, message);
      else startV4(invocation, message);
    },
    describeState() {
      const resources = tracker.snapshot(userOrigins);
      const state = !open ? 'idle' : open.waiting ? 'waiting-for-empty-loop' : 'handler-pending';
      return { state, index: open?.index ?? last, resources, executions: executions.drain() };
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

/**
 * Executions observed since the last message, at most the first and the last per resource:
 * enough to see an interval tick both before a freeze and after the thaw, bounded however
 * often it ticks.
 */
function createExecutionLog(): { add(asyncId: number, describe: () => RawResource): void; drain(): ExecutionEvent[] } {
  let seen = new Map<number, { first: ExecutionEvent; last: ExecutionEvent | null }>();
  return {
    // Described once, on first sight: describing formats a stack, and intervals tick often.
    add(asyncId, describe) {
      const atNs = process.hrtime.bigint().toString();
      const entry = seen.get(asyncId);
      if (entry) entry.last = { atNs, resource: entry.first.resource };
      else if (seen.size < 1000) seen.set(asyncId, { first: { atNs, resource: describe() }, last: null });
    },
    drain() {
      const events = [...seen.values()].flatMap((entry) => (entry.last ? [entry.first, entry.last] : [entry.first]));
      seen = new Map();
      return events;
    },
  };
}

function isThenable(value: unknown): boolean {
  try {
    return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch {
    // A `then` getter that throws: not a thenable the tool can tell apart; the client's await will reject.
    return false;
  }
}
