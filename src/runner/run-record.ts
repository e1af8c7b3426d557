/**
 * What the runner observed for one target, as plain data: the input of the analysis stage.
 * Frames are raw (absolute paths of the files that ran); analysis maps and relativises them.
 */
import { randomUUID } from 'node:crypto';
import type { CompletionKind, ErrorInfo, InvocationOutcome, TimelineEvent } from '../types.js';
import type { DeadlineState, ExecutionEvent, HandlerShape, RawFrame, RawResource, ResponseTooLarge } from './protocol.js';

export interface InitRecord {
  ok: boolean;
  durationMs: number;
  error: ErrorInfo | null;
  /** Init did not finish within Lambda's 10 s limit. */
  timedOut: boolean;
  /** Where the thread was stuck when Init timed out, if it was blocked. */
  blockedFrames?: RawFrame[];
  /** Who called process.exit() when the runtime process exited during Init. */
  exitFrames?: RawFrame[];
  /** The harness ended because the handler closed or replaced its pipes (fd 3 / fd 4). */
  channelLost?: boolean;
  /** The parent ended the process: a line on fd 4 passed MAX_REPORT_MESSAGE_BYTES (this many bytes seen). */
  reportOverflowBytes?: number;
  /** Runtime.HandlerNotFound: the module's export names where the handler was looked for (`main()` for a function). */
  exports?: string[];
}

export interface InvocationRecord {
  index: number;
  requestId: string;
  environment: number;
  outcome: InvocationOutcome;
  durationMs: number;
  responseText?: string;
  /** A streaming handler's response: its Content-Type, and whether only its beginning was kept. */
  responseContentType?: string;
  responseTruncated?: true;
  /** The response was over Lambda's payload limit. */
  tooLarge?: ResponseTooLarge;
  error: ErrorInfo | null;
  exitCode: number | null;
  signal: string | null;
  completedBy: CompletionKind | null;
  /** What was pending when the environment was frozen: at the request for the next event, else at the post. */
  lingering: RawResource[];
  /** Set when callback(null, …) waited for the loop: how long, and what held it. */
  waitedForLoopMs: number | null;
  heldBy: RawResource[];
  ignoredReturn: boolean;
  /** The loop drained while the handler's promise was pending. */
  drainedWithPromisePending: boolean;
  /** At the deadline: what the invocation was waiting for, and the live resources. */
  deadline: {
    state: DeadlineState | 'unresponsive';
    resources: RawResource[];
    /** When unresponsive: the JavaScript stack where the thread was stuck, read through the inspector. */
    blockedFrames: RawFrame[];
  } | null;
  /** Who called process.exit(), when the runtime process exited during this invocation. */
  exitFrames: RawFrame[];
  /** The harness ended because the handler closed or replaced its pipes (fd 3 / fd 4): the rest went unobserved. */
  channelLost?: boolean;
  /** The parent ended the process: a line on fd 4 passed MAX_REPORT_MESSAGE_BYTES (this many bytes seen). */
  reportOverflowBytes?: number;
  /** When this invocation's time began (hrtime ns): its thaw, or its hand-out for the first. */
  startedAtNs: string;
}

export interface ProcessErrorRecord {
  kind: 'unhandledRejection' | 'uncaughtException';
  /** The invocation whose work raised it (0 = init). */
  origin: number;
  /** The invocation open (handed out) when it happened, 0 before the first one of its environment. */
  during: number;
  /** The execution environment it happened in: after a re-init, `during` restarts from 0. */
  environment: number;
  afterResponse: boolean;
  error: ErrorInfo;
  /** The resource in whose callback it was thrown, when the harness knew it. */
  resource?: RawResource;
  /** An 'error' event that nothing listened to. */
  unhandledErrorEvent?: boolean;
}

export interface RunRecord {
  init: InitRecord;
  shape: HandlerShape | null;
  invocations: InvocationRecord[];
  processErrors: ProcessErrorRecord[];
  /** Callbacks of invocations' resources that ran after their invocation had answered. */
  executions: ExecutionEvent[];
  timeline: TimelineEvent[];
  output: { stdout: string; stderr: string; truncated: boolean };
}

/**
 * An invocation that met a failed Init: Lambda returns the init error to the request, and
 * runs Init again for the next one. After an Init timeout what the request sees depends on
 * the retried Init (Lambda retries it within the request, under the function timeout), and
 * after the handler closed the tool's pipes nothing is known: those stay `not-run`.
 */
export function metFailedInit(index: number, environment: number, init: InitRecord): InvocationRecord {
  const record = notRun(index, environment);
  if (init.timedOut || init.channelLost || !init.error) return record;
  return { ...record, outcome: 'error', error: init.error, completedBy: 'init-error' };
}

/** An invocation record before anything happened: the outcome stays `not-run` unless it runs. */
export function notRun(index: number, environment: number): InvocationRecord {
  return {
    index,
    requestId: randomUUID(),
    environment,
    outcome: 'not-run',
    durationMs: 0,
    error: null,
    exitCode: null,
    signal: null,
    completedBy: null,
    lingering: [],
    waitedForLoopMs: null,
    heldBy: [],
    ignoredReturn: false,
    drainedWithPromisePending: false,
    deadline: null,
    exitFrames: [],
    startedAtNs: '0',
  };
}
