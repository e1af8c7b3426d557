/**
 * `globalThis.awslambda`, which both runtime clients define for response streaming
 * (lambda-runtime-semantics.md section 4) unless AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is set.
 */
import { captureStack, type StackHolder } from './capture-stack.js';
import { InvokeStore } from './invoke-store.js';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** The 4.x client's store, whether or not the global exposes it. */
export const invokeStore = new InvokeStore();

export function installAwsLambdaGlobal(withInvokeStore: boolean): void {
  const opt = process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (opt === '1' || opt === 'true') return;
  Object.defineProperty(globalThis, 'awslambda', {
    value: {
      streamifyResponse(handler: Function): Function {
        (handler as unknown as Record<symbol, string>)[STREAMING] = 'response';
        // Once per handler, at Init: where the user's code declares it streams.
        wrappedAt.set(handler, captureStack());
        return handler;
      },
      HttpResponseStream: {
        // Sets the HTTP integration content type; the prelude and an 8-byte NUL delimiter go
        // out just before the first write() (not before a bare end(data): as on Lambda).
        from(stream: any, prelude: unknown): unknown {
          stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
          const metadata = JSON.stringify(prelude);
          stream._onBeforeFirstWrite = (write: (chunk: unknown) => void) => {
            write(metadata);
            write(new Uint8Array(8));
          };
          return stream;
        },
      },
      ...(withInvokeStore ? { InvokeStore: invokeStore } : {}),
    },
    writable: true,
    configurable: true,
  });
}

const wrappedAt = new WeakMap<Function, StackHolder>();

/** Where streamifyResponse was called for this handler, if it was. */
export function streamingSiteOf(handler: Function): StackHolder | undefined {
  return wrappedAt.get(handler);
}

export function isStreamingHandler(handler: Function): boolean {
  return (handler as unknown as Record<symbol, unknown>)[STREAMING] !== undefined;
}
