/**
 * The `responseStream` a streaming handler writes to (conformance/streaming.md "How the
 * clients stream"). The runtime clients hand out a wrapper around an HTTP request to the
 * Runtime API that exposes only writable methods, `setContentType` and a few properties;
 * here the same wrapper sits on a Writable that keeps the bytes, so that the report can show
 * the body and the lifecycle can tell when it ended.
 */
import { Writable } from 'node:stream';

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * How much of the body is kept for the report. Lambda sends a streamed body on as it comes;
 * keeping all of it would let a large response exhaust the handler's own heap (its --memory
 * limit) and swell the report, neither of which happens on Lambda.
 */
export const KEPT_BODY_BYTES = 1024 * 1024;

/** Thrown by setContentType after a write, under the runtime's own error name. */
class InvalidStreamingOperation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Runtime.InvalidStreamingOperation';
  }
}

export interface ResponseStream {
  /** What the handler gets. */
  readonly handle: Record<string, unknown>;
  contentType(): string;
  /** The body's first KEPT_BODY_BYTES. */
  body(): Buffer;
  /** Whether more was streamed than body() holds. */
  truncated(): boolean;
  /** Every byte written, kept or not. */
  totalBytes(): number;
  /** end() was called (the body may still be flushing). */
  ended(): boolean;
  /** Resolves once the body has ended; never, if it never does. */
  readonly whenFinished: Promise<void>;
}

const METHODS = [
  'cork', 'destroy', 'end', 'uncork', 'write',
  'addListener', 'emit', 'eventNames', 'getMaxListeners', 'listenerCount', 'listeners', 'off', 'on', 'once',
  'prependListener', 'prependOnceListener', 'rawListeners', 'removeAllListeners', 'removeListener', 'setMaxListeners',
  'setContentType',
] as const;
const READ_WRITE = ['destroyed', 'writable', '_onBeforeFirstWrite'] as const;
const READ_ONLY = [
  'writableFinished', 'writableObjectMode', 'writableBuffer', 'writableEnded', 'writableNeedDrain',
  'writableHighWaterMark', 'writableCorked', 'writableLength',
] as const;

export function createResponseStream(): ResponseStream {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  let contentType = DEFAULT_CONTENT_TYPE;
  let written = false;
  const inner = new Writable({
    write(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (kept < KEPT_BODY_BYTES) {
        const part = chunk.subarray(0, KEPT_BODY_BYTES - kept);
        chunks.push(part);
        kept += part.length;
      }
      done();
    },
  }) as Writable & Record<string, any>;
  const originalWrite = inner.write.bind(inner) as (chunk: unknown, ...rest: unknown[]) => boolean;
  inner.write = function write(chunk: any, ...rest: unknown[]): boolean {
    // Both clients read chunk.length for a log line first: write(null) throws a TypeError there.
    void chunk.length;
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && !(chunk instanceof Uint8Array)) chunk = JSON.stringify(chunk);
    if (!written && typeof inner._onBeforeFirstWrite === 'function') inner._onBeforeFirstWrite((first: unknown) => originalWrite(first));
    written = true;
    return originalWrite(chunk, ...rest);
  } as Writable['write'];
  inner.setContentType = (type: string): void => {
    if (written) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    contentType = type;
  };
  const handle: Record<string, unknown> = Object.fromEntries(METHODS.map((name) => [name, inner[name].bind(inner)]));
  for (const name of READ_WRITE) {
    Object.defineProperty(handle, name, { get: () => inner[name], set: (value) => ((inner as Record<string, unknown>)[name] = value), enumerable: true });
  }
  for (const name of READ_ONLY) Object.defineProperty(handle, name, { get: () => inner[name], enumerable: true });
  const whenFinished = new Promise<void>((resolve) => inner.once('finish', () => resolve()));
  return {
    handle,
    contentType: () => contentType,
    body: () => Buffer.concat(chunks),
    truncated: () => total > kept,
    totalBytes: () => total,
    ended: () => inner.writableEnded,
    whenFinished,
  };
}
