/**
 * How both runtime lines run a response-streaming handler (awslambda.streamifyResponse),
 * as conformance/streaming.md records them: handler(event, responseStream, context). The
 * response is the streamed body, complete once the handler's promise has resolved and the
 * stream has ended; a rejection ends the stream with the error (bytes already written stay
 * with the caller). A stream that never ends is waited for until the deadline.
 */
import type { InvokeMessage } from '../runner/protocol.js';
import type { RuntimeRules } from '../runtime-rules.js';
import type { CompletionKind } from '../types.js';
import { runInInvokeStore } from './invoke-v4.js';
import { isThenable, settle, type Invocation, type InvocationDriver, type StreamedBody } from './invocation.js';
import { createLambdaContext } from './lambda-context.js';
import { createResponseStream, type ResponseStream } from './response-stream.js';

const NOT_ASYNC_MESSAGE = 'Streaming does not support non-async handlers.';

// Taken before any user code runs, like the client's own console.
const warn = console.warn.bind(console);

export function startStreaming(driver: InvocationDriver, rules: RuntimeRules, invocation: Invocation, message: InvokeMessage): void {
  const { complete, fail } = driver;
  const stream = createResponseStream();
  // The client opens its response request before calling the handler; until the body ends,
  // that socket keeps the process alive (and 4.x from exiting while it waits), so the loop
  // never drains while a streaming invocation is open.
  driver.holdLoop();
  const { context, waitsForEmptyEventLoop } = createLambdaContext(rules, message, null);
  // 4.x's context has no such flag: assigning it adds a plain property, and /next comes at once.
  invocation.nextWaitsForEmptyLoop = () => rules.callbacks && waitsForEmptyEventLoop();
  const respond = async (completedBy: CompletionKind): Promise<void> => {
    invocation.awaitingStreamEnd = true;
    await stream.whenFinished;
    invocation.awaitingStreamEnd = false;
    settle(driver, invocation, { ok: true, value: undefined, streamed: streamedBody(stream) }, completedBy);
  };
  let result: unknown;
  try {
    result = driver.runAs(invocation, () => runInInvokeStore(rules, message, () => driver.handler(message.event, stream.handle, context)));
  } catch (error) {
    return complete(invocation, fail(error), 'throw');
  }
  if (!isThenable(result)) {
    // Neither client awaits anything here. A body the handler already ended has gone out
    // whole, and the error that follows changes nothing; otherwise the error ends it. The
    // legacy client fails with the bare string (errorType "string"), 4.x with an Error.
    if (stream.ended()) return void respond('return-value');
    return complete(invocation, fail(rules.legacy ? NOT_ASYNC_MESSAGE : new Error(NOT_ASYNC_MESSAGE)), 'return-value');
  }
  invocation.promisePending = true;
  void (async () => {
    try {
      const value = await result;
      if (value !== undefined) warn('Streaming handlers ignore return values.');
    } catch (error) {
      return settle(driver, invocation, fail(error), 'promise');
    }
    invocation.promisePending = false;
    await respond('promise');
  })();
}

function streamedBody(stream: ResponseStream): StreamedBody {
  return { body: stream.body().toString('utf8'), contentType: stream.contentType(), truncated: stream.truncated(), bytes: stream.totalBytes() };
}
