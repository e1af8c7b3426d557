/**
 * Fix hints specific to what was found: the resource kind, whether it was created at init
 * (kept across invocations on purpose) or by the invocation, and the finding's situation.
 */
import type { Resource, ResourceKind } from '../types.js';
import { pluralOf, withArticle } from './kind-words.js';

const CLOSE_BEFORE_CALLBACK: Record<ResourceKind, string> = {
  interval: 'clearInterval() it before calling back, or call .unref() on it so it no longer holds the event loop',
  timer: 'await the timer before calling back, clearTimeout() it, or .unref() it',
  immediate: 'let the setImmediate run before calling back, or clearImmediate() it',
  socket: 'close the connection before calling back (pool.end(), client.quit(), socket.destroy())',
  server: 'server.close() before calling back; a Lambda handler should not listen on a port',
  'child-process': 'wait for the child process to exit before calling back, or child.unref() it',
  'fs-watcher': 'watcher.close() before calling back',
  request: 'await the request before calling back',
  promise: 'await the promise before calling back',
  other: 'close or unref it before calling back',
};

/** `streamed`: the wait came after a streamed response, so the fix goes before ending the stream. */
export function hintForEmptyLoopTimeout(resources: Resource[], streamed = false): string {
  const moment = streamed ? 'ending the response stream' : 'calling back';
  const steps = uniqueKinds(resources).map((kind) => CLOSE_BEFORE_CALLBACK[kind].replace('calling back', moment));
  const fix = `${steps.join('; ') || 'close what keeps the event loop alive'}.`;
  if (streamed) {
    return `${fix} Or set context.callbackWaitsForEmptyEventLoop = false (a streaming handler's context has it too): the runtime then takes the next request at once, and the work still open is frozen with the environment.`;
  }
  const keptAtInit = resources.some((resource) => resource.createdIn === 'init');
  const flag = keptAtInit
    ? 'If what was created at init is meant to live across invocations (a database pool, an SDK client, a metrics flusher), keep it and set context.callbackWaitsForEmptyEventLoop = false instead: the runtime then answers at once and freezes it with the environment until the next request.'
    : 'Or set context.callbackWaitsForEmptyEventLoop = false: the runtime then answers at once, and the work still open is frozen and resumes in the next invocation.';
  return `${fix} ${flag}`;
}

export function hintForDelayedResponse(resources: Resource[]): string {
  const kinds = uniqueKinds(resources);
  const what = kinds.length === 0 ? 'pending work' : resources.length === 1 && !resources[0]!.count ? withArticle(kinds[0]!) : kinds.map(pluralOf).join(', ');
  return `The response waited for ${what} to finish. Await that work before calling back, or set context.callbackWaitsForEmptyEventLoop = false if the caller need not wait for it (it is then frozen and finishes in a later invocation).`;
}

export function hintForPendingHandler(resources: Resource[]): string {
  const steps: string[] = [];
  const kinds = new Set(uniqueKinds(resources));
  if (kinds.has('interval')) steps.push('an interval used for polling must clearInterval() and resolve when done, with a limit');
  if (kinds.has('socket') || kinds.has('request')) steps.push('give the network call a timeout shorter than the function timeout (AbortSignal.timeout(ms), a client timeout option)');
  if (kinds.has('timer')) steps.push('check that the timer callback resolves the promise');
  if (kinds.has('server')) steps.push('a handler should not wait on a server it listens with');
  steps.push('make sure every path resolves or rejects the returned promise (or calls the callback)');
  return `To complete: ${steps.join('; ')}.`;
}

export function hintForNeverSettled(legacy: boolean): string {
  return legacy
    ? 'Resolve or reject the promise on every path: a callback API wrapped in new Promise must call resolve or reject in every branch, including errors. The legacy runtime reports Runtime.NodeJsExit for an async handler whose promise never settles.'
    : 'Resolve or reject the promise on every path: a callback API wrapped in new Promise must call resolve or reject in every branch, including errors. On nodejs24.x the runtime process simply exits (Runtime.ExitError) and the next request pays a new Init.';
}

export function hintForIgnoredReturn(): string {
  return 'Make the handler async (or return a Promise): on nodejs20.x/22.x the plain return value of a non-async handler is ignored and the caller receives null; on nodejs24.x it becomes the response.';
}

export function hintForCallbackNeverCalled(): string {
  return 'Call callback(null, result) on every path, early returns and error branches included (callback(error) for a failure); or better, make the handler async and return the result: `export const handler = async (event, context) => { … return result; }`, which nodejs24.x requires anyway.';
}

export function hintForCallbackHandler(onV4: boolean): string {
  const rewrite = 'Rewrite it as `export const handler = async (event, context) => { … return result; }` and replace callback(err) with throw err.';
  return onV4 ? `nodejs24.x removed callback handlers. ${rewrite}` : `Callback handlers stop working on nodejs24.x. ${rewrite}`;
}

/** `calledExit`: the harness saw process.exit() called; else the process ended some other way. */
export function hintForRuntimeExit(calledExit: boolean, signal: string | null): string {
  const then = 'Lambda reports Runtime.ExitError and re-runs Init for the next request.';
  if (calledExit) return `Do not call process.exit() in a handler or at module scope: return (or throw) instead. ${then}`;
  if (signal) return `Something sent the runtime process ${signal} (a child process, a native module, or the handler itself): find what sends it. ${then}`;
  return `The process ended without process.exit() being called from JavaScript (a native module, process.reallyExit, or a crash): the output below shows what it printed last. ${then}`;
}

export function hintForProcessError(kind: 'unhandledRejection' | 'uncaughtException', afterResponse: boolean, unhandledErrorEvent = false): string {
  const fix =
    kind === 'unhandledRejection'
      ? 'Await the promise, or attach .catch() to it'
      : unhandledErrorEvent
        ? "Listen for the object's 'error' event (socket.on('error', …), client.on('error', …)) where it is created: Node throws an 'error' event nobody listens for"
        : 'Catch the error inside the callback where it is thrown';
  return afterResponse
    ? `${fix}. It ran after the invocation had answered, so it killed the next invocation, not the one that started it: finish or await that work before returning.`
    : `${fix}. The runtime process exits, and the next request runs Init again.`;
}

function uniqueKinds(resources: Resource[]): ResourceKind[] {
  return [...new Set(resources.map((resource) => resource.kind))];
}

export function hintForResponseTooLarge(streaming: boolean): string {
  if (streaming) return 'Keep a streamed body under 200 MB: put larger results in S3 and stream or return a presigned URL to them.';
  return 'Stream the response with awslambda.streamifyResponse (up to 200 MB, through a function URL in RESPONSE_STREAM mode or API Gateway streaming), or write the body to S3 and return a presigned URL; compressing or paginating helps when the body is only slightly over.';
}
