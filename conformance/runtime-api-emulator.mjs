/**
 * A Runtime API emulator for the conformance test: the service side of Lambda's Runtime API
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on loopback, driving one
 * runtime process the way the service does, and recording what each invocation ended as.
 *
 * What it reproduces (lambda-runtime-semantics.md sections 1.3, 3, 5; the rules are listed in
 * conformance/README.md):
 * - Init ends when the runtime first asks for /next; a POST to /init/error (even if /next
 *   follows), an exit or 10 s without /next fail it.
 * - The environment is frozen (SIGSTOP to the runtime's process group) once the runtime waits
 *   on /next, and thawed (SIGCONT) when the next event is handed out.
 * - The deadline is the service's: at timeoutMs the process group is killed (timeout), and the
 *   next invocation starts a fresh runtime process, so a fresh Init.
 * - A runtime that exits while an invocation is open is Runtime.ExitError ("Runtime exited with
 *   error: exit status N", "… without providing a reason" for 0, "… signal: killed" for a
 *   signal); the next invocation starts a fresh runtime as well.
 * - An ordinary error posted to /invocation/{id}/error keeps the environment warm.
 * - A runtime that exits after its result but before asking for /next has ended that
 *   invocation's environment: the next invocation starts a fresh runtime.
 * - A streamed response (response streaming: a chunked POST with
 *   `Lambda-Runtime-Function-Response-Mode: streaming`) is the result once its body has ended:
 *   a response with its content type and body (a string), or, with error trailers, an error
 *   that came mid-stream, with the bytes streamed before it. One that has not ended by the
 *   deadline is a timeout, like any invocation without a result.
 * - Each invocation records when its result arrived (`durationMs`) and when the runtime next
 *   asked for /next (`nextMs`), both from the hand-out of the event.
 *
 * Tests only: it listens on 127.0.0.1, port 0, and serves one runtime at a time.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_RESPONSE_BYTES, startRuntimeApi, streamError, toError } from './runtime-api-server.mjs';

/** Lambda's Init limit for on-demand functions (semantics section 5). */
export const INIT_LIMIT_MS = 10_000;
/** How long a runtime that posted /init/error gets to exit by itself before it is killed. */
const POST_INIT_ERROR_GRACE_MS = 1000;
/** How much of the runtime's stdout/stderr (the end of it) is kept per run, for diagnostics. */
const OUTPUT_LIMIT = 64 * 1024;

/**
 * Signal names as the Runtime API (written in Go) prints them in Runtime.ExitError messages.
 * Kept apart from the tool's own table (src/runtime-rules.ts) on purpose: the emulator is the
 * yardstick, so it must not share the code it measures.
 */
const SIGNAL_WORDS = {
  SIGKILL: 'killed',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
};

/** The service's error for a runtime process that ended (semantics section 3). */
export function exitError(code, signal) {
  if (signal) return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: signal: ${SIGNAL_WORDS[signal] ?? signal}` };
  if (code === 0) return { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' };
  return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}` };
}

/** The service's message for a function that ran out of time, seconds with two decimals. */
export function timeoutMessage(timeoutMs) {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}

/** What the invoker gets for a buffered response over MAX_RESPONSE_BYTES (seen in the service's answers). */
export function responseTooLarge(size) {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  };
}

/**
 * Runs `invocations` invocations of one function against a runtime started with `command` and
 * `args`. `env` is the function environment; AWS_LAMBDA_RUNTIME_API is set here.
 *
 * `settleLast`: also wait (up to timeoutMs) for the runtime to ask for /next after the last
 * invocation's result, so that its `nextMs` is known too; off by default, as it only lengthens
 * a run.
 *
 * @returns {Promise<{
 *   init: { ok: boolean, error: object | null, exitCode?: number | null, signal?: string | null },
 *   invocations: Array<{ index: number, environment: number, outcome: string, response?: unknown,
 *     responseText?: string, error?: object | null, exitCode?: number | null, signal?: string | null, durationMs: number,
 *     nextMs?: number | null, streaming?: boolean, responseContentType?: string | null, midStream?: boolean,
 *     streamedBody?: string, streamStartedMs?: number }>,
 *   environments: number, stdout: string, stderr: string, log: string[] }>}
 * (the full shape is in runtime-api-emulator.d.mts)
 */
export async function runUnderRuntimeApi({ command, args, env, cwd, timeoutMs, invocations, events, freezeMs, functionArn, settleLast = false }) {
  const log = [];
  // Files, not pipes: a runtime writing faster than a pipe's reader drains it would meet
  // EAGAIN on fs.writeSync(1, …), which says something about the pipe, not about Lambda.
  const outputDir = mkdtempSync(path.join(tmpdir(), 'lhc-conformance-'));
  const stdoutFd = openSync(path.join(outputDir, 'stdout'), 'a+');
  const stderrFd = openSync(path.join(outputDir, 'stderr'), 'a+');
  /** The live runtime: its process and state. */
  let runtime = null;
  const api = await startRuntimeApi({ log, currentRuntime: () => runtime });
  const { port, push, nextSignal, openStream } = api;

  let environments = 0;
  let held = null;

  const startRuntime = () => {
    environments++;
    const child = spawn(command, args, {
      cwd,
      env: { ...env, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}` },
      stdio: ['ignore', stdoutFd, stderrFd],
      // Its own process group: freeze, thaw and kill reach whatever the handler started.
      detached: true,
    });
    const state = { child, pid: child.pid, exited: false, code: null, signal: null, frozen: false };
    child.on('exit', (code, signal) => {
      state.exited = true;
      state.code = code;
      state.signal = signal;
      push({ type: 'exit', state });
    });
    child.on('error', (error) => log.push(`spawn failed: ${error.message}`));
    runtime = state;
    return state;
  };

  const signalGroup = (state, signal) => {
    try {
      process.kill(-state.pid, signal);
    } catch {
      // Already gone.
    }
  };

  const killRuntime = async (state) => {
    if (!state) return;
    if (state.frozen) signalGroup(state, 'SIGCONT');
    signalGroup(state, 'SIGKILL');
    if (!state.exited) await new Promise((resolve) => (state.exited ? resolve() : state.child.once('exit', resolve)));
    if (runtime === state) runtime = null;
    if (held?.state === state) held = null;
  };

  /** Init: until the first /next, an init error, an exit, or the Init limit. */
  const init = async () => {
    const state = startRuntime();
    let until = performance.now() + INIT_LIMIT_MS;
    let posted = null;
    for (;;) {
      const signal = await nextSignal(until);
      if (signal === null) {
        await killRuntime(state);
        if (posted) return { ok: false, error: posted, exitCode: null, signal: null };
        return { ok: false, error: { errorType: 'Runtime.InitTimeout', errorMessage: `Init did not finish within ${INIT_LIMIT_MS / 1000} s` }, timedOut: true };
      }
      if (signal.type === 'next' && signal.state === state && !posted) {
        held = { state, response: signal.response };
        return { ok: true, error: null };
      }
      if (signal.type === 'init-error' && signal.state === state) {
        // Init has failed, whatever the runtime does next. It exits after posting (129 or 128
        // legacy, 1 on 4.x); give it a moment, to record the code. A /next it sends meanwhile
        // (the legacy client's long poll runs on its own thread) is left unanswered.
        posted = toError(signal);
        until = Math.min(until, performance.now() + POST_INIT_ERROR_GRACE_MS);
        continue;
      }
      if (signal.type === 'exit' && signal.state === state) {
        runtime = null;
        if (posted) return { ok: false, error: posted, exitCode: state.code, signal: state.signal };
        return { ok: false, error: exitError(state.code, state.signal), exitCode: state.code, signal: state.signal };
      }
      if (signal.type === 'response' || signal.type === 'error') {
        signal.respond(false);
        log.push(`post for ${signal.requestId} during init`);
      }
    }
  };

  /** One invocation on the warm runtime, whose /next is held. */
  const invoke = async (index, event) => {
    const state = runtime;
    const requestId = randomUUID();
    const started = performance.now();
    const deadlineMs = Date.now() + timeoutMs;
    const traceId = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Parent=${randomUUID().replace(/-/g, '').slice(0, 16)};Sampled=0`;
    const { response } = held;
    held = null;
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': requestId,
      'Lambda-Runtime-Deadline-Ms': String(deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': functionArn,
      'Lambda-Runtime-Trace-Id': traceId,
    });
    response.end(JSON.stringify(event));
    const until = started + timeoutMs;
    const record = { index, environment: environments, requestId, outcome: null, durationMs: 0, started };
    /** What a streamed response had delivered when the invocation ended without it ending. */
    const unfinishedStream = () => {
      const open = openStream(requestId);
      if (!open) return {};
      return {
        streaming: true,
        streamEnded: false,
        responseContentType: open.contentType,
        streamedBody: open.bytes.toString('utf8'),
        streamedBase64: open.bytes.toString('base64'),
        streamStartedMs: open.startedAt - started,
      };
    };
    for (;;) {
      const signal = await nextSignal(until);
      if (signal === null) {
        // What a streamed response had delivered by the deadline (read before the kill).
        const partial = unfinishedStream();
        await killRuntime(state);
        return { ...record, outcome: 'timeout', durationMs: timeoutMs, error: { errorType: 'Sandbox.Timedout', errorMessage: timeoutMessage(timeoutMs) }, ...partial };
      }
      if (signal.type === 'response' || signal.type === 'error') {
        if (signal.requestId !== requestId || signal.state !== state) {
          signal.respond(false);
          log.push(`invocation ${index}: ${signal.type} for another request id (${signal.requestId}) refused`);
          continue;
        }
        if (signal.type === 'response' && !signal.stream && signal.size > MAX_RESPONSE_BYTES) {
          // The service refuses the body (413 to the runtime) and fails the invocation.
          signal.respond('too-large');
          return { ...record, outcome: 'error', durationMs: performance.now() - started, error: responseTooLarge(signal.size) };
        }
        signal.respond(true);
        if (signal.stream) return { ...record, ...streamedResult(signal, started) };
        const durationMs = performance.now() - started;
        if (signal.type === 'response') {
          let body;
          try {
            body = signal.body === '' ? null : JSON.parse(signal.body);
          } catch {
            body = signal.body;
          }
          return { ...record, outcome: 'response', durationMs, response: body, responseText: signal.body };
        }
        // An /error posted while a streamed response was still open (an uncaught exception
        // mid-stream on the legacy line): the error is the result; say what had streamed.
        return { ...record, outcome: 'error', durationMs, error: toError(signal), ...unfinishedStream() };
      }
      if (signal.type === 'exit' && signal.state === state) {
        runtime = null;
        return { ...record, outcome: 'runtime-exit', durationMs: performance.now() - started, exitCode: state.code, signal: state.signal, error: exitError(state.code, state.signal), ...unfinishedStream() };
      }
      if (signal.type === 'next' && signal.state === state) {
        log.push(`invocation ${index}: /next before a result`);
        held = { state, response: signal.response, at: signal.at };
      }
      if (signal.type === 'init-error') log.push(`invocation ${index}: init error posted during an invocation`);
    }
  };

  /**
   * After a result: wait until the runtime asks for /next (then freeze it) or exits. A runtime
   * that does neither within the function timeout is killed, and the next invocation re-inits.
   */
  const settle = async (record) => {
    if (!runtime) return;
    const state = runtime;
    const until = performance.now() + timeoutMs;
    for (;;) {
      if (held?.state === state) {
        if (record && typeof held.at === 'number') record.nextMs = held.at - record.started;
        break;
      }
      const signal = await nextSignal(until);
      if (signal === null) {
        log.push('no /next after the result: environment reset');
        if (record) record.nextMs = null;
        return killRuntime(state);
      }
      if (signal.type === 'next' && signal.state === state) held = { state, response: signal.response, at: signal.at };
      else if (signal.type === 'exit' && signal.state === state) {
        log.push(`runtime exited after the result (${state.signal ?? `exit status ${state.code}`})`);
        if (record) record.nextMs = null;
        runtime = null;
        return;
      } else if (signal.type === 'response' || signal.type === 'error') {
        signal.respond(false);
        log.push(`${signal.type} for ${signal.requestId} after the result refused`);
      }
    }
  };

  const freeze = (state) => {
    signalGroup(state, 'SIGSTOP');
    state.frozen = true;
  };
  const thaw = (state) => {
    signalGroup(state, 'SIGCONT');
    state.frozen = false;
  };

  const result = { init: null, invocations: [], environments: 0, stdout: '', stderr: '', log };
  try {
    for (let index = 1; index <= invocations; index++) {
      const event = events[Math.min(index, events.length) - 1] ?? {};
      if (!runtime) {
        const initResult = await init();
        if (index === 1) result.init = initResult;
        if (!initResult.ok) {
          if (index === 1) break;
          result.invocations.push({ index, environment: environments, outcome: 'error', durationMs: 0, error: initResult.error });
          continue;
        }
      } else {
        // Frozen since it asked for /next (settle() waited for that); thawed to take the event.
        const state = runtime;
        freeze(state);
        await sleep(freezeMs);
        thaw(state);
      }
      const record = await invoke(index, event);
      result.invocations.push(record);
      if (index < invocations || settleLast) await settle(record);
      else if (held?.state === runtime && runtime && typeof held.at === 'number') record.nextMs = held.at - record.started;
    }
  } finally {
    await killRuntime(runtime);
    await api.close();
  }
  for (const record of result.invocations) delete record.started;
  result.environments = environments;
  result.stdout = readTail(stdoutFd);
  result.stderr = readTail(stderrFd);
  closeSync(stdoutFd);
  closeSync(stderrFd);
  rmSync(outputDir, { recursive: true, force: true });
  return result;
}

/**
 * The record of a streamed response whose body has ended: a response (content type, body as a
 * string; the exact bytes also in base64), or, with error trailers, an error that came
 * mid-stream, with what was streamed before it. `durationMs` is when the body ended,
 * `streamStartedMs` when its headers arrived, both from the hand-out.
 */
function streamedResult(signal, started) {
  const { contentType, bytes, trailers, startedAt } = signal.stream;
  const timing = { durationMs: signal.at - started, streamStartedMs: startedAt - started };
  const error = streamError(trailers);
  if (error) {
    return {
      outcome: 'error',
      ...timing,
      streaming: true,
      midStream: true,
      error,
      responseContentType: contentType,
      streamedBody: bytes.toString('utf8'),
      streamedBase64: bytes.toString('base64'),
    };
  }
  return {
    outcome: 'response',
    ...timing,
    streaming: true,
    responseContentType: contentType,
    response: bytes.toString('utf8'),
    responseText: bytes.toString('utf8'),
    responseBase64: bytes.toString('base64'),
  };
}

function readTail(fd) {
  const { size } = fstatSync(fd);
  const length = Math.min(size, OUTPUT_LIMIT);
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, size - length);
  return buffer.toString('utf8');
}
