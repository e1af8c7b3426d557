/**
 * Everything that differs between the runtime lines, in one place (lambda-runtime-semantics.md
 * section 6). The legacy runtime client (nodejs20.x, nodejs22.x) keeps callbacks and the
 * beforeExit machinery; the 4.x client (nodejs24.x) awaits the handler and ignores the loop.
 * Pure data: imported by both the CLI and the harness child.
 */
import type { RuntimeId } from './types.js';

export interface RuntimeRules {
  id: RuntimeId;
  /** The legacy runtime interface client (3.x) rather than 4.x. */
  legacy: boolean;
  /** Callback handlers, callbackWaitsForEmptyEventLoop, context.done/succeed/fail. */
  callbacks: boolean;
  /** A non-async handler's plain return value is the response (4.x) or ignored (legacy). */
  returnValueIsResponse: boolean;
  /** The runtime installs uncaughtException/unhandledRejection handlers that post an error. */
  postsProcessErrors: boolean;
  /** Exit code after an init error. */
  initErrorExitCode: number;
  /** Exit codes after an unhandled rejection / uncaught exception. */
  rejectionExitCode: number;
  exceptionExitCode: number;
  /** errorType for a response JSON.stringify cannot serialise. */
  stringifyErrorType: string;
  /** CommonJS files are loaded with require() (legacy) rather than import() (4.x). */
  requiresCommonJs: boolean;
  /** Handler property paths may pass through functions (legacy) or only objects (4.x). */
  resolvesThroughFunctions: boolean;
  /** How an error value becomes the posted body (see toPostedError in the harness). */
  errorFormat: 'legacy' | 'v4';
  /**
   * When the client asks for the next event after posting: one setImmediate later (legacy),
   * or at once (4.x). The environment is frozen from then on.
   */
  nextAfterImmediate: boolean;
  /** Node flags the managed runtime adds. */
  nodeFlags: string[];
}

const LEGACY = {
  legacy: true,
  callbacks: true,
  returnValueIsResponse: false,
  postsProcessErrors: true,
  initErrorExitCode: 129,
  rejectionExitCode: 128,
  exceptionExitCode: 129,
  stringifyErrorType: 'Error',
  requiresCommonJs: true,
  resolvesThroughFunctions: true,
  errorFormat: 'legacy',
  nextAfterImmediate: true,
} as const;

const V4 = {
  legacy: false,
  callbacks: false,
  returnValueIsResponse: true,
  postsProcessErrors: false,
  initErrorExitCode: 1,
  rejectionExitCode: 1,
  exceptionExitCode: 1,
  stringifyErrorType: 'Runtime.JSONStringifyError',
  requiresCommonJs: false,
  resolvesThroughFunctions: false,
  errorFormat: 'v4',
  nextAfterImmediate: false,
} as const;

export const RUNTIME_RULES: Readonly<Record<RuntimeId, RuntimeRules>> = {
  // Deprecated, still invoked; the legacy client as for nodejs20.x. Node 18 has no require(esm)
  // to switch off: the flag stands for its absence when a newer Node runs the handler.
  'nodejs18.x': { id: 'nodejs18.x', ...LEGACY, nodeFlags: ['--no-experimental-require-module'] },
  'nodejs20.x': { id: 'nodejs20.x', ...LEGACY, nodeFlags: ['--no-experimental-require-module'] },
  'nodejs22.x': {
    id: 'nodejs22.x',
    ...LEGACY,
    nodeFlags: ['--no-experimental-require-module', '--no-experimental-detect-module'],
  },
  'nodejs24.x': { id: 'nodejs24.x', ...V4, nodeFlags: [] },
};

export const RUNTIME_IDS = Object.keys(RUNTIME_RULES) as RuntimeId[];

/** The Node major a runtime line runs on Lambda: nodejs22.x → 22. */
export function majorOf(runtime: RuntimeId): number {
  return Number(/^nodejs(\d+)\.x$/.exec(runtime)![1]);
}

export function isRuntimeId(value: string): value is RuntimeId {
  return Object.hasOwn(RUNTIME_RULES, value);
}

/**
 * The runtime whose rules apply when neither the command line nor a template names one: the
 * newest line, as a new function would get, whatever Node runs the tool.
 */
export const DEFAULT_RUNTIME: RuntimeId = 'nodejs24.x';

/**
 * AWS's dates for each runtime (YYYY-MM-DD, "Supported runtimes" and "Deprecated runtimes" of
 * the Lambda developer guide): deprecated (no more security patches), then no new functions,
 * then no updates of existing ones. Deprecated functions still run.
 */
export const RUNTIME_LIFECYCLE: Readonly<Record<RuntimeId, { deprecated: string; blockCreate: string; blockUpdate: string }>> = {
  'nodejs18.x': { deprecated: '2025-09-01', blockCreate: '2025-10-01', blockUpdate: '2025-11-01' },
  'nodejs20.x': { deprecated: '2026-04-30', blockCreate: '2026-08-31', blockUpdate: '2026-09-30' },
  'nodejs22.x': { deprecated: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  'nodejs24.x': { deprecated: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
};

/** The newest runtime that is not deprecated on `today` (YYYY-MM-DD), the one to move to. */
export function supportedSuccessor(today: string): RuntimeId {
  const supported = RUNTIME_IDS.filter((id) => RUNTIME_LIFECYCLE[id].deprecated > today);
  return supported.at(-1) ?? DEFAULT_RUNTIME;
}

/** Lambda's message for a function that ran out of time, seconds with two decimals. */
export function timeoutMessage(timeoutMs: number): string {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}

/** Signal names as the Runtime API (written in Go) prints them in Runtime.ExitError messages. */
const SIGNAL_WORDS: Record<string, string> = {
  SIGKILL: 'killed',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGQUIT: 'quit',
  SIGPIPE: 'broken pipe',
  SIGTRAP: 'trace/breakpoint trap',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

/** What the service reports when the runtime process exits during an invocation. */
export function runtimeExitError(exitCode: number | null, signal: string | null): { errorType: string; errorMessage: string } {
  if (signal) return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: signal: ${SIGNAL_WORDS[signal] ?? signal}` };
  if (exitCode === 0) return { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' };
  return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${exitCode}` };
}

export const NODEJS_EXIT_MESSAGE =
  'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled.';

export const CALLBACK_DEPRECATED_MESSAGE =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later.';

/** Lambda's init phase limit for on-demand functions. */
export const INIT_LIMIT_MS = 10_000;
