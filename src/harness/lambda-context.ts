/**
 * The context object, as each runtime line builds it for every invocation
 * (lambda-runtime-semantics.md section 4). Values come from the environment the CLI set up
 * and from the invoke message, which plays the part of the Runtime API's headers.
 */
import type { InvokeMessage } from '../runner/protocol.js';
import type { RuntimeRules } from '../runtime-rules.js';

/** What context.done/succeed/fail and the callback report to the lifecycle. */
export interface CallbackApi {
  callback(error: unknown, result?: unknown): void;
  done(error: unknown, result?: unknown): void;
}

export interface InvocationContext {
  context: Record<string, unknown>;
  /** The legacy flag, read when callback(null, …) is called. */
  waitsForEmptyEventLoop(): boolean;
}

/** `api` null: a streaming handler's context, which has the legacy flag but no done/succeed/fail. */
export function createLambdaContext(rules: RuntimeRules, invoke: InvokeMessage, api: CallbackApi | null): InvocationContext {
  const env = process.env;
  const context: Record<string, unknown> = {
    awsRequestId: invoke.requestId,
    invokedFunctionArn: invoke.invokedFunctionArn,
    getRemainingTimeInMillis: () => invoke.deadlineMs - Date.now(),
    clientContext: undefined,
    identity: undefined,
    tenantId: undefined,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    // A string, as the runtime reads it straight from the environment.
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
  if (!rules.callbacks) {
    context.xRayTraceId = invoke.traceId;
    return { context, waitsForEmptyEventLoop: () => false };
  }
  let waits = true;
  Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', {
    get: () => waits,
    set: (value: unknown) => {
      waits = Boolean(value);
    },
    enumerable: true,
  });
  if (!api) return { context, waitsForEmptyEventLoop: () => waits };
  context.done = (error: unknown, result?: unknown) => api.done(error, result);
  context.succeed = (result?: unknown) => api.done(null, result);
  // fail() with no argument reports the string "handled", as the legacy client does.
  context.fail = (error?: unknown) => api.done(error ?? 'handled');
  return { context, waitsForEmptyEventLoop: () => waits };
}
