/**
 * The report's data model. These names are a public contract (see SPEC.md): scripts and CI
 * gates parse them, so extend freely and rename nothing.
 */

export type RuntimeId = 'nodejs18.x' | 'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x';
export type Severity = 'error' | 'warning' | 'info';
export type FailOn = 'error' | 'warning' | 'never';

export type FindingCode =
  | 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'
  | 'TIMEOUT_HANDLER_PENDING'
  | 'TIMEOUT_EVENT_LOOP_BLOCKED'
  | 'RESPONSE_DELAYED_BY_EVENT_LOOP'
  | 'PENDING_AT_FREEZE'
  | 'IDLE_CONNECTION_AT_FREEZE'
  | 'RAN_AFTER_THAW'
  | 'PROMISE_NEVER_SETTLED'
  | 'RETURN_VALUE_IGNORED'
  | 'CALLBACK_NEVER_CALLED'
  | 'CALLBACK_HANDLER_DEPRECATED'
  | 'UNHANDLED_REJECTION'
  | 'UNCAUGHT_EXCEPTION'
  | 'RUNTIME_EXIT'
  | 'OUT_OF_MEMORY'
  | 'INIT_ERROR'
  | 'INIT_TIMEOUT'
  | 'RESOURCE_GROWTH'
  | 'STREAM_NOT_ENDED'
  | 'RESPONSE_TOO_LARGE'
  | 'RUNTIME_DEPRECATED'
  | 'NODE_VERSION_MISMATCH'
  | 'HANDLER_ERROR';

export type ResourceKind =
  | 'timer'
  | 'interval'
  | 'immediate'
  | 'socket'
  | 'server'
  | 'child-process'
  | 'fs-watcher'
  | 'request'
  | 'promise'
  | 'other';

export interface SourceLocation {
  /** Relative to the working directory, POSIX separators. */
  file: string;
  line: number;
  column: number;
}

export interface StackFrame {
  function: string | null;
  file: string;
  line: number;
  column: number;
}

export interface Resource {
  asyncId: number;
  /** The async_hooks type name (`Timeout`, `TCPWRAP`, …). */
  type: string;
  kind: ResourceKind;
  ref: boolean;
  createdIn: 'init' | 'invocation';
  /** The invocation index when `createdIn` is `invocation`. */
  invocation?: number;
  /** One human line: peer address, pid, period, path … */
  summary: string;
  /** First frame in the user's own code, source-mapped. */
  location: SourceLocation | null;
  /** First library frame (`node_modules/…:line`), when the user's frame calls into one. */
  via: string | null;
  stack: StackFrame[];
  /** Present when this entry stands for several alike resources (same type, site and summary). */
  count?: number;
}

export interface ErrorInfo {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvocationOutcome = 'response' | 'error' | 'timeout' | 'runtime-exit' | 'not-run';

export interface InvocationReport {
  index: number;
  requestId: string;
  outcome: InvocationOutcome;
  /** From hand-out to the post (or to the deadline). */
  durationMs: number;
  /** The JSON body posted, when the outcome is `response`; for a streaming handler, the streamed body as text. */
  response?: unknown;
  /** A streaming handler's response: the Content-Type it was streamed with (the body is `response`). */
  responseContentType?: string;
  /** A streamed body over 1 MiB: `response` holds its first MiB. */
  responseTruncated?: boolean;
  error: ErrorInfo | null;
  /** When the outcome is `runtime-exit`. */
  exitCode: number | null;
  /** What was alive and ref'd when the outcome was decided. */
  lingering: Resource[];
  /** Which execution environment served it: 1 for the first, +1 after each re-init. */
  environment: number;
  /** What completed the invocation, in the runtime's terms. */
  completedBy: CompletionKind | null;
  /**
   * How long the legacy runtime waited for the event loop to empty: after callback(null, …),
   * before posting the response; after a streamed response, before taking the next request.
   * Null when it did not wait.
   */
  waitedForLoopMs: number | null;
}

export type CompletionKind =
  | 'promise'
  | 'callback'
  | 'context.done'
  | 'throw'
  | 'return-value'
  | 'empty-event-loop'
  | 'process-error'
  /** Init failed: Lambda returns the init error to the request (and runs Init again for the next). */
  | 'init-error';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  invocation: number | null;
  /** One sentence. */
  message: string;
  location: SourceLocation | null;
  resources: Resource[];
  /** How to fix, specific to the resource kind and library. */
  hint: string;
}

/** Why a finding is kept out of the verdict: a comment at the code (`inSource`) or `--ignore` (`external`), as SARIF names them. */
export interface Suppression {
  kind: 'inSource' | 'external';
  /** The reason after `--` in the comment, or `--ignore`. */
  justification: string | null;
}

export interface SuppressedFinding extends Finding {
  suppression: Suppression;
}

export interface InitReport {
  ok: boolean;
  durationMs: number;
  error: ErrorInfo | null;
}

export interface TargetReport {
  /** `file#export`, the handler string, or `LogicalId (codeUri/handler)` for a template function (the function key for a serverless.yml). */
  target: string;
  /** Whose rules applied; for a skipped template function, its own Runtime (`python3.12`). */
  runtime: RuntimeId | (string & {});
  timeoutMs: number;
  memoryMB: number;
  verdict: 'pass' | 'fail' | 'skipped';
  /** Why a target was listed but not run (verdict `skipped`). */
  skipReason?: string;
  /** The Node that ran the handler: the runtime's major, unless NODE_VERSION_MISMATCH says otherwise. Absent for a skipped target. */
  node?: { version: string };
  init: InitReport;
  invocations: InvocationReport[];
  findings: Finding[];
  /** Findings accepted with `--ignore` or a `lambda-hang-check-ignore` comment: listed, never counted in the verdict. Present when there are any. */
  suppressed?: SuppressedFinding[];
  output: { stdout: string; stderr: string; truncated: boolean };
  /** Lifecycle events with times relative to the start of the check, for the timeline. */
  timeline: TimelineEvent[];
  /** The handler's source file, relative to the working directory: where a finding without a location is filed (SARIF, JUnit, annotations). */
  handlerFile?: string | null;
}

export type TimelineEventKind =
  | 'init-start'
  | 'init-end'
  | 'invoke'
  | 'callback'
  | 'response'
  | 'error'
  | 'deadline'
  | 'freeze'
  | 'thaw'
  | 'exit';

export interface TimelineEvent {
  atMs: number;
  kind: TimelineEventKind;
  invocation: number | null;
  detail?: string;
}

export interface CheckReport {
  schemaVersion: 1;
  tool: { name: 'lambda-hang-check'; version: string };
  node: string;
  results: TargetReport[];
}
