/**
 * `globalThis.awslambda`, which both runtime clients define for response streaming
 * (lambda-runtime-semantics.md section 4) unless AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is set.
 */
import { InvokeStore } from './invoke-store.js';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

/** The 4.x client's store, whether or not the global exposes it. */
export const invokeStore = new InvokeStore();

export function installAwsLambdaGlobal(withInvokeStore: boolean): void {
  const opt = process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (opt === '1' || opt === 'true') return;
  Object.defineProperty(globalThis, 'awslambda', {
    value: {
      streamifyResponse(handler: Function): Function {
        (handler as unknown as Record<symbol, string>)[STREAMING] = 'response';
        return handler;
      },
      HttpResponseStream: {
        from(stream: unknown): unknown {
          return stream;
        },
      },
      ...(withInvokeStore ? { InvokeStore: invokeStore } : {}),
    },
    writable: true,
    configurable: true,
  });
}

export function isStreamingHandler(handler: Function): boolean {
  return (handler as unknown as Record<symbol, unknown>)[STREAMING] !== undefined;
}
