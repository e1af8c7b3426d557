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
 * Signals: `{ type: 'next', state, response }` (the held long poll, answered by the driver),
 * `{ type: 'response' | 'error', state, requestId, body, errorTypeHeader, respond(accepted) }`
 * (the driver answers 202 or 400), `{ type: 'init-error', state, body, errorTypeHeader }`; the
 * driver pushes `{ type: 'exit', state }` itself.
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

  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = request.url ?? '';
      const state = currentRuntime();
      const errorTypeHeader = request.headers['lambda-runtime-function-error-type'] ?? null;
      const reply = (status, payload) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.method === 'GET' && url === `${PREFIX}/invocation/next`) {
        return push({ type: 'next', state, response });
      }
      const match = POST_RESULT.exec(url);
      if (request.method === 'POST' && match) {
        let answered = false;
        const respond = (accepted) => {
          if (answered) return;
          answered = true;
          if (accepted) reply(202, { status: 'OK' });
          else reply(400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        };
        return push({ type: match[2], state, requestId: decodeURIComponent(match[1]), body, errorTypeHeader, respond });
      }
      if (request.method === 'POST' && url === `${PREFIX}/init/error`) {
        push({ type: 'init-error', state, body, errorTypeHeader });
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
