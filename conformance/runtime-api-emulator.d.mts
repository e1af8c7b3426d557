/** Types for runtime-api-emulator.mjs (plain ESM, so that the conformance run needs no build). */
export interface EmulatedError {
  errorType: string;
  errorMessage: string;
  trace?: string[] | null;
  errorTypeHeader?: string | null;
}

export interface EmulatedInvocation {
  index: number;
  environment: number;
  requestId?: string;
  outcome: 'response' | 'error' | 'timeout' | 'runtime-exit';
  response?: unknown;
  responseText?: string;
  error?: EmulatedError | null;
  exitCode?: number | null;
  signal?: string | null;
  durationMs: number;
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
}

export const INIT_LIMIT_MS: number;
export function runUnderRuntimeApi(options: EmulatorOptions): Promise<EmulatedRun>;
export function exitError(code: number | null, signal: string | null): EmulatedError;
export function timeoutMessage(timeoutMs: number): string;
