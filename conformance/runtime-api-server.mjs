/**
 * The HTTP side of the Runtime API emulator: the four routes of Lambda's Runtime API
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on 127.0.0.1, port 0,
 * turned into a queue of signals for the driver (runtime-api-emulator.mjs), which decides what
 * each one means. Every signal carries the runtime that was live when it arrived, so that a
 * request from a killed runtime is never taken for one from its successor.
 */
import { createServer } from 'node:http';

const PREFIX = '/2018-06-01/runtime';
const POST_RESULT = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/**
 * The largest buffered response the Runtime API accepts: 6 MiB plus 100 bytes, the number in
 * the service's own message ("exceeded maximum allowed payload size (6291556 bytes)"). A
 * larger one is answered 413 as the open-source Runtime Interface Emulator answers it.
 */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

/**
 * Signals: `{ type: 'next', state, response }` (the held long poll, answered by the driver),
 * `{ type: 'response' | 'error', state, requestId, body, errorTypeHeader, respond(accepted) }`
 * (the driver answers 202 or 400), `{ type: 'init-error', state, body, errorTypeHeader }`; the
 * driver pushes `{ type: 'exit', state }` itself. Every signal the server pushes carries `at`,
 * the performance.now() time the request (for /next: its headers; for a POST: its last byte)
 * arrived.
 *
 * A streamed response (`Lambda-Runtime-Function-Response-Mode: streaming`, a chunked POST to
 * /invocation/{id}/response) is pushed once its body has ended, as a `response` signal with
 * `stream: { contentType, bytes, trailers, startedAt }` besides `body` (the bytes as UTF-8).
 * Until then it is an open stream: `openStream(requestId)` tells what has arrived so far, so
 * that an invocation that times out or exits mid-stream can say what it had streamed.
 */
export async function startRuntimeApi({ log, currentRuntime }) {
  const signals = [];
  let notify = null;
  const push = (signal) => {
    signals.push(signal);
    const waiter = notify;
    notify = null;
    waiter?.();
  };
  /** Resolves with the next signal, or null at `until` (a performance.now() time). */
  const nextSignal = async (until) => {
    for (;;) {
      if (signals.length) return signals.shift();
      const left = until - performance.now();
      if (left <= 0) return null;
      let timer;
      await new Promise((resolve) => {
        notify = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  };

  /** Streamed responses whose body has not ended (or never will: the runtime died), by request id. */
  const openStreams = new Map();

  const server = createServer((request, response) => {
    const chunks = [];
    /** An open stream's view of the body so far; the chunks array is shared, not copied. */
    let open = null;
    if (isStreamedResponse(request)) {
      open = {
        requestId: decodeURIComponent(POST_RESULT.exec(request.url)[1]),
        contentType: request.headers['content-type'] ?? null,
        startedAt: performance.now(),
        chunks,
        aborted: false,
      };
      openStreams.set(open.requestId, open);
    }
    request.on('data', (chunk) => chunks.push(chunk));
    // A runtime killed (or exiting) mid-request: the body never ends; what arrived stays in
    // openStreams for the driver to read.
    request.on('error', () => {});
    request.on('close', () => {
      if (open && !request.complete) open.aborted = true;
    });
    request.on('end', () => {
      const at = performance.now();
      const bytes = Buffer.concat(chunks);
      const body = bytes.toString('utf8');
      const url = request.url ?? '';
      const state = currentRuntime();
      const errorTypeHeader = request.headers['lambda-runtime-function-error-type'] ?? null;
      const reply = (status, payload) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.method === 'GET' && url === `${PREFIX}/invocation/next`) {
        return push({ type: 'next', state, response, at });
      }
      const match = POST_RESULT.exec(url);
      if (request.method === 'POST' && match) {
        let answered = false;
        /** `accepted`: true (202), false (400, a stale id) or 'too-large' (413). */
        const respond = (accepted) => {
          if (answered) return;
          answered = true;
          if (accepted === 'too-large') reply(413, { errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' });
          else if (accepted) reply(202, { status: 'OK' });
          else reply(400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        };
        const requestId = decodeURIComponent(match[1]);
        let stream;
        if (open) {
          if (openStreams.get(requestId) === open) openStreams.delete(requestId);
          // Trailers are only known once the body has ended; header names come lowercased.
          stream = { contentType: open.contentType, bytes, trailers: { ...request.trailers }, startedAt: open.startedAt };
        }
        return push({ type: match[2], state, requestId, body, size: bytes.length, errorTypeHeader, respond, at, ...(stream ? { stream } : {}) });
      }
      if (request.method === 'POST' && url === `${PREFIX}/init/error`) {
        push({ type: 'init-error', state, body, errorTypeHeader, at });
        return reply(202, { status: 'OK' });
      }
      log.push(`unexpected request ${request.method} ${url}`);
      reply(404, { errorMessage: 'not found', errorType: 'NotFound' });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: server.address().port,
    push,
    nextSignal,
    /** What a streamed response for `requestId` has delivered so far, or null: `{ contentType, bytes, startedAt, aborted }`. */
    openStream(requestId) {
      const open = openStreams.get(requestId);
      if (!open) return null;
      return { contentType: open.contentType, bytes: Buffer.concat(open.chunks), startedAt: open.startedAt, aborted: open.aborted };
    },
    async close() {
      for (const signal of signals.splice(0)) signal.respond?.(false);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The error the service reports for a POSTed error: the body's errorType, else the header's. */
export function toError(signal) {
  let parsed = null;
  try {
    parsed = JSON.parse(signal.body);
  } catch {
    // Not JSON: keep the text.
  }
  const errorType = (parsed && typeof parsed.errorType === 'string' && parsed.errorType) || signal.errorTypeHeader || 'Unknown';
  const errorMessage = parsed && typeof parsed.errorMessage === 'string' ? parsed.errorMessage : signal.body;
  return { errorType, errorMessage, trace: parsed?.trace ?? null, errorTypeHeader: signal.errorTypeHeader };
}

/** A chunked POST of an invocation response in streaming mode (the header the clients send). */
function isStreamedResponse(request) {
  if (request.method !== 'POST') return false;
  const match = POST_RESULT.exec(request.url ?? '');
  if (!match || match[2] !== 'response') return false;
  return String(request.headers['lambda-runtime-function-response-mode'] ?? '').toLowerCase() === 'streaming';
}

/**
 * The error a streamed response carries in its trailers, or null without them:
 * `Lambda-Runtime-Function-Error-Type` and `Lambda-Runtime-Function-Error-Body` (base64 of the
 * JSON error the client formatted). The decoded body's errorType wins, as for a POSTed error.
 */
export function streamError(trailers) {
  const typeTrailer = trailers['lambda-runtime-function-error-type'] ?? null;
  const bodyTrailer = trailers['lambda-runtime-function-error-body'] ?? null;
  if (typeTrailer === null && bodyTrailer === null) return null;
  const decoded = bodyTrailer === null ? '' : Buffer.from(bodyTrailer, 'base64').toString('utf8');
  return { ...toError({ body: decoded, errorTypeHeader: typeTrailer }), errorBodyTrailer: decoded };
}
