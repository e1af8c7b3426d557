/** Types for runtime-api-emulator.mjs (plain ESM, so that the conformance run needs no build). */
export interface EmulatedError {
  errorType: string;
  errorMessage: string;
  trace?: string[] | null;
  /** The Lambda-Runtime-Function-Error-Type header (or, for a streamed response, trailer). */
  errorTypeHeader?: string | null;
  /** A streamed response's Lambda-Runtime-Function-Error-Body trailer, base64-decoded. */
  errorBodyTrailer?: string;
}

export interface EmulatedInvocation {
  index: number;
  environment: number;
  requestId?: string;
  outcome: 'response' | 'error' | 'timeout' | 'runtime-exit';
  /** A plain response: the parsed JSON body (the text if not JSON). A streamed one: the body as a string. */
  response?: unknown;
  responseText?: string;
  error?: EmulatedError | null;
  exitCode?: number | null;
  signal?: string | null;
  /** When the result arrived, from the hand-out of the event; for a streamed response, when its body ended. */
  durationMs: number;
  /**
   * When the runtime next asked for /next, from the hand-out (it may precede the result); null
   * when it exited or was reset without asking; absent when not waited for (after the last
   * invocation, unless `settleLast`).
   */
  nextMs?: number | null;
  /** The result came (or was coming) as a streamed response. */
  streaming?: boolean;
  /** A streamed response's Content-Type header. */
  responseContentType?: string | null;
  /** A streamed response: its exact bytes. */
  responseBase64?: string;
  /** A streamed response: when its headers (with the first chunk, or the end) arrived, from the hand-out. */
  streamStartedMs?: number;
  /** The error came in a streamed response's trailers. */
  midStream?: boolean;
  /** What had been streamed before an error, a timeout or an exit (UTF-8, and exactly in base64). */
  streamedBody?: string;
  streamedBase64?: string;
  /** false: the invocation ended (timeout, exit, posted error) while its streamed response was still open. */
  streamEnded?: boolean;
}

export interface EmulatedRun {
  init: { ok: boolean; error: EmulatedError | null; exitCode?: number | null; signal?: string | null; timedOut?: boolean };
  invocations: EmulatedInvocation[];
  environments: number;
  stdout: string;
  stderr: string;
  log: string[];
}

export interface EmulatorOptions {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  timeoutMs: number;
  invocations: number;
  events: unknown[];
  freezeMs: number;
  functionArn: string;
  /** Also wait for /next after the last invocation, so that its nextMs is known. */
  settleLast?: boolean;
}

export const INIT_LIMIT_MS: number;
export function runUnderRuntimeApi(options: EmulatorOptions): Promise<EmulatedRun>;
export function exitError(code: number | null, signal: string | null): EmulatedError;
export function timeoutMessage(timeoutMs: number): string;
