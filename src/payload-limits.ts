/**
 * Lambda's payload limits, in bytes, in one place (README "Payload limits"). The parent
 * checks events against them; the harness checks responses as the Runtime API does.
 */
import type { ErrorInfo } from './types.js';

/**
 * The largest buffered response the Runtime API accepts: 6 MiB plus 100 bytes, the number the
 * service quotes ("Response payload size (N bytes) exceeded maximum allowed payload size
 * (6291556 bytes)."). Over it, the runtime's POST is answered 413 and the invoker gets
 * Function.ResponseSizeTooLarge.
 */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

/** A streamed response (awslambda.streamifyResponse): 200 MB (AWS's response streaming docs). */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;

/** The largest request payload of a synchronous invocation (RequestResponse): 6 MB. */
export const MAX_SYNC_EVENT_BYTES = 6 * 1024 * 1024;

/** The largest request payload of an asynchronous invocation (Event: S3, SNS, EventBridge): 1 MB since 2025. */
export const MAX_ASYNC_EVENT_BYTES = 1024 * 1024;

/** What the invoker is told when a response is over its limit. */
export function responseTooLargeError(bytes: number, limitBytes: number): ErrorInfo {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${limitBytes} bytes).`,

  };
}
