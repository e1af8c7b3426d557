import type { FindingCode, Severity } from '../types.js';

/**
 * One row per finding code: read by the classifier (severity), every reporter (title),
 * SARIF (rule metadata) and the README. The codes are public API: never rename one.
 */
export interface Rule {
  code: FindingCode;
  severity: Severity;
  /** A short title, sentence case, no final period. */
  title: string;
  /** What it means on Lambda, in one or two sentences. */
  description: string;
  /** The general fix; findings carry a hint specific to their resources. */
  fix: string;
}

const RULE_LIST: Rule[] = [
  {
    code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP',
    severity: 'error',
    title: 'Callback response waits for an event loop that never empties',
    description:
      'On nodejs20.x/22.x, callback(null, result) with context.callbackWaitsForEmptyEventLoop = true posts the response only when no ref\'d handle or request is left. Something stayed ref\'d, so Lambda reports "Task timed out".',
    fix: 'Close or unref what keeps the loop alive, or set context.callbackWaitsForEmptyEventLoop = false to answer at once (the pending work is then frozen and resumes in the next invocation).',
  },
  {
    code: 'TIMEOUT_HANDLER_PENDING',
    severity: 'error',
    title: 'Handler had not completed at the deadline',
    description:
      "The handler's promise had not settled (or its callback was not called) when the function timeout expired, while ref'd work kept the process alive.",
    fix: 'Make sure every path resolves the returned promise or calls the callback; add timeouts to the calls it waits on.',
  },
  {
    code: 'TIMEOUT_EVENT_LOOP_BLOCKED',
    severity: 'error',
    title: 'Synchronous code held the thread at the deadline',
    description: 'The event loop was blocked by synchronous JavaScript when the function timeout expired.',
    fix: 'Break the loop or move the work off the main thread; check the loop condition at the reported line.',
  },
  {
    code: 'STREAM_NOT_ENDED',
    severity: 'error',
    title: 'Streaming handler never ended its response stream',
    description:
      "A response-streaming handler (awslambda.streamifyResponse) resolved without ending responseStream. The runtime waits for the end of the body before it checks anything, so Lambda reports \"Task timed out\" after whatever was written reached the caller.",
    fix: 'End the stream once the body is written: responseStream.end(), or stream through `await pipeline(source, responseStream)` (node:stream/promises), which ends it.',
  },
  {
    code: 'RESPONSE_TOO_LARGE',
    severity: 'error',
    title: 'Response over Lambda\'s payload limit',
    description:
      'A buffered response may be at most 6,291,556 bytes (a streamed one 200 MB). Over that, the Runtime API refuses it and the invocation fails with Function.ResponseSizeTooLarge, however well the handler ran.',
    fix: 'Stream the response (awslambda.streamifyResponse, behind a function URL or API Gateway streaming), or put the body in S3 and return a presigned URL.',
  },
  {
    code: 'RESPONSE_DELAYED_BY_EVENT_LOOP',
    severity: 'warning',
    title: 'Callback response held back by pending work',
    description:
      'callback(null, result) was called, but the legacy runtime waited for the event loop to drain before posting the response.',
    fix: 'Await the work before calling back, or set context.callbackWaitsForEmptyEventLoop = false if the caller need not wait for it.',
  },
  {
    code: 'PENDING_AT_FREEZE',
    severity: 'warning',
    title: 'Work was still pending when the result was posted',
    description:
      'Lambda freezes the environment right after the response (or error) is posted; work started by the invocation is suspended and resumes, late, in a later invocation, or never.',
    fix: 'Await the work before returning (await Promise.all, await client.flush()), or clear the timer.',
  },
  {
    code: 'IDLE_CONNECTION_AT_FREEZE',
    severity: 'warning',
    title: 'An idle connection was kept across the freeze',
    description:
      'A database or keep-alive connection sat idle when Lambda froze the environment. Keeping a client across invocations is right, but the server, a proxy or a NAT may close the connection while it is frozen, and the first request after the thaw fails with ECONNRESET or waits on a dead connection. Info when the library\'s own idle timer closes it at the thaw; an error when a pool lent the client to a request that never released it (the pool runs dry after `max` requests).',
    fix: 'Let the client drop idle connections before the server does (an idle timeout shorter than the server\'s, which fires at the thaw before the handler runs), handle its idle errors, and keep retries; or close per-request connections before returning.',
  },
  {
    code: 'RAN_AFTER_THAW',
    severity: 'warning',
    title: 'A callback of an earlier invocation ran in a later one',
    description: 'Work left pending at a response ran after the thaw, inside another request.',
    fix: 'Finish the work inside the invocation that started it.',
  },
  {
    code: 'PROMISE_NEVER_SETTLED',
    severity: 'error',
    title: "The handler's promise never settled",
    description:
      'The handler returned a promise that neither resolved nor rejected, and nothing else kept the process alive: legacy runtimes report Runtime.NodeJsExit, nodejs24.x exits and reports Runtime.ExitError.',
    fix: 'Resolve or reject the promise on every path; a callback-style API wrapped in new Promise must call resolve/reject in all branches.',
  },
  {
    code: 'RETURN_VALUE_IGNORED',
    severity: 'warning',
    title: 'Return value of a non-async handler is ignored',
    description:
      'On nodejs20.x/22.x a handler that is not async and returns a plain value has that value ignored: the runtime posts null once the event loop drains.',
    fix: 'Make the handler async (or return a Promise) so its value becomes the response.',
  },
  {
    code: 'CALLBACK_NEVER_CALLED',
    severity: 'warning',
    title: 'The callback was never called',
    description:
      'On nodejs20.x/22.x a callback handler that neither calls its callback (nor context.done/succeed/fail) nor returns a promise is answered when the event loop empties: the runtime posts null as a success, which API Gateway turns into a 502.',
    fix: 'Call callback(null, result) (or callback(error)) on every path, or better, make the handler async and return the result.',
  },
  {
    code: 'CALLBACK_HANDLER_DEPRECATED',
    severity: 'warning',
    title: 'Callback-style handler',
    description:
      'A handler declaring three or more parameters is a callback handler: deprecated on nodejs20.x/22.x, rejected at init (Runtime.CallbackHandlerDeprecated) on nodejs24.x.',
    fix: 'Rewrite it as an async handler taking (event, context) and returning the result.',
  },
  {
    code: 'UNHANDLED_REJECTION',
    severity: 'error',
    title: 'Unhandled promise rejection',
    description:
      'A rejected promise nobody handled ends the runtime process on every runtime line; after a response it kills the next invocation.',
    fix: 'Await the promise or attach .catch() to it.',
  },
  {
    code: 'UNCAUGHT_EXCEPTION',
    severity: 'error',
    title: 'Uncaught exception',
    description: 'An exception thrown outside the handler\'s call stack (in a timer or event callback) ends the runtime process.',
    fix: 'Catch the error inside the callback, or turn the callback into an awaited promise.',
  },
  {
    code: 'RUNTIME_EXIT',
    severity: 'error',
    title: 'The runtime process exited during an invocation',
    description: 'The process ended while an invocation was open; Lambda reports Runtime.ExitError and re-initialises the environment.',
    fix: 'Do not call process.exit() in a handler; return or throw instead.',
  },
  {
    code: 'OUT_OF_MEMORY',
    severity: 'error',
    title: 'Out of memory',
    description: 'The heap limit for the configured memory size was exceeded.',
    fix: 'Raise the memory size or reduce what the handler keeps in memory.',
  },
  {
    code: 'INIT_ERROR',
    severity: 'error',
    title: 'Init failed',
    description: 'The module failed to load or the handler was not found; Lambda reports the error and retries Init on the next request.',
    fix: 'Fix the error at the reported location, or the handler name.',
  },
  {
    code: 'INIT_TIMEOUT',
    severity: 'error',
    title: 'Init took longer than 10 s',
    description: 'Module load (including top-level await) exceeded the 10 s Init limit of on-demand functions.',
    fix: 'Move slow work out of module scope, or make it lazy.',
  },
  {
    code: 'RESOURCE_GROWTH',
    severity: 'warning',
    title: 'Live resources grow with every invocation',
    description: "Each invocation leaves more ref'd resources behind: a leak per request.",
    fix: 'Create the resource once at module scope and reuse it, or close it before returning.',
  },
  {
    code: 'RUNTIME_DEPRECATED',
    severity: 'warning',
    title: 'The runtime is deprecated',
    description:
      'AWS no longer patches this runtime, then blocks creating functions on it, then updating them; existing functions still run. The check runs it under the rules of its runtime client.',
    fix: 'Move the function to a supported runtime (the finding names it), and check it again under that runtime with --runtime.',
  },
  {
    code: 'NODE_VERSION_MISMATCH',
    severity: 'warning',
    title: "The handler ran on another Node major than the runtime's",
    description:
      "Lambda runs each runtime on its own Node major (nodejs22.x on Node 22, nodejs24.x on Node 24). No Node of that major was found, so the check ran the handler on the tool's own Node: what differs between majors (fetch and undici, require of ES modules, V8) may differ from Lambda.",
    fix: 'Run `npx lambda-hang-check install-runtime <runtime>` once (it caches a Node of that major), or give one with --node <path> or LHC_NODE_<major>.',
  },
  {
    code: 'HANDLER_ERROR',
    severity: 'info',
    title: 'The invocation returned an error',
    description: 'The handler reported an error; this is the handler\'s business, not a hang.',
    fix: 'None needed if the error is intended.',
  },
];

export const RULES: ReadonlyMap<FindingCode, Rule> = new Map(RULE_LIST.map((rule) => [rule.code, rule]));

export function getRule(code: FindingCode): Rule {
  const rule = RULES.get(code);
  if (!rule) throw new Error(`no rule for finding code ${code}`);
  return rule;
}
