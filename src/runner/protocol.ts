/**
 * Messages between the parent (CLI) and the harness child, as newline-delimited JSON on two
 * private pipes. Parent → child on fd 3 (unref'd in the child while a handler runs, so it
 * never keeps the handler's loop alive); child → parent on fd 4, written synchronously, so a
 * message written just before a crash or process.exit() is never lost.
 */
import type { CompletionKind, ErrorInfo, RuntimeId } from '../types.js';

export const COMMAND_FD = 3;
export const REPORT_FD = 4;
/** Child → parent, one message only ('channel-lost'): said when the handler took fd 3 or fd 4 away. */
export const CHANNEL_LOST_FD = 5;

/**
 * Carries a random token from the parent to the child (which deletes it from process.env
 * before any user code runs). Each report line starts with REPORT_MARK + token + ' ', so a
 * handler that writes to fd 4 (junk, a line without a newline, a message of its own making)
 * can neither break nor forge what the parent reads. Not a security boundary: the handler
 * runs in the same process.
 */
export const TOKEN_VARIABLE = 'LHC_TOKEN';

/**
 * The largest line the parent reads from fd 4. The harness keeps its own messages far below
 * it: a response over Lambda's 6 MB limit is sent as its size only, a streamed body as its
 * first MiB, resource lists are grouped (group-alike.ts). A longer line ends the environment
 * (spawn-harness.ts) instead of being buffered without bound or dropped in silence.
 */
export const MAX_REPORT_MESSAGE_BYTES = 64 * 1024 * 1024;
const REPORT_MARK = '\u001eLHC ';

export function frameReport(token: string, json: string): string {
  return `${REPORT_MARK}${token} ${json}\n`;
}

/** The message in one line from fd 4, or null if the line is not (only) ours. */
export function parseReportLine(line: string, token: string): ChildMessage | null {
  const prefix = `${REPORT_MARK}${token} `;
  const start = line.lastIndexOf(prefix);
  if (start === -1) return null;
  try {
    return JSON.parse(line.slice(start + prefix.length)) as ChildMessage;
  } catch {
    return null;
  }
}

/**
 * Exit code of a harness whose pipes to the parent were closed or replaced by the handler:
 * nothing more can be reported, so it ends at once rather than run unobserved. Only with a
 * 'channel-lost' message before it: a handler can exit with this code too.
 */
export const CHANNEL_LOST_EXIT_CODE = 86;

/** How the child finds the handler: a file (with an export path) or a Lambda handler string. */
export type HandlerSpec =
  | { mode: 'file'; file: string; exportPath: string }
  | { mode: 'handler'; taskRoot: string; handler: string };

/**
 * What the child was waiting for at a deadline: the loop to empty after callback(null, …) or
 * after a streamed response (legacy), the handler, or the end of a streaming handler's body.
 */
export type DeadlineState = 'waiting-for-empty-loop' | 'handler-pending' | 'stream-not-ended' | 'idle';

/** Given to the child in the LHC_CONFIG environment variable. */
export interface HarnessConfig {
  runtime: RuntimeId;
  spec: HandlerSpec;
  /** Absolute paths of the tool's own files, whose frames never count as the user's. */
  ownFiles: string[];
  /** Frames per captured creation stack. */
  stackDepth: number;
}

export interface InvokeMessage {
  type: 'invoke';
  index: number;
  requestId: string;
  event: unknown;
  /** Epoch ms, as in Lambda-Runtime-Deadline-Ms. */
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
}

export interface SnapshotRequest {
  type: 'snapshot';
}

export type ParentMessage = InvokeMessage | SnapshotRequest;

/** A resource as the child sees it: raw frames, not yet source-mapped or relativised. */
export interface RawResource {
  asyncId: number;
  type: string;
  kind: import('../types.js').ResourceKind;
  ref: boolean;
  /** 0 for init, otherwise the invocation index. */
  origin: number;
  summary: string;
  frames: RawFrame[];
  /** Creation stacks of the resources whose callbacks created this one: the location fallback. */
  parentFrames: RawFrame[];
  /** How many resources this entry stands for, when many alike were grouped into one. */
  count?: number;
}

export interface RawFrame {
  function: string | null;
  file: string;
  line: number;
  column: number;
}

/**
 * A callback of a resource created by invocation `origin` that ran after that invocation had
 * posted its response. `atNs` is process.hrtime.bigint() (CLOCK_MONOTONIC, shared with the
 * parent), so the parent can tell whether it ran before the freeze or after a thaw.
 */
export interface ExecutionEvent {
  atNs: string;
  resource: RawResource;
}

/** A response over Lambda's payload limit, and where the handler that returned it is defined. */
export interface ResponseTooLarge {
  bytes: number;
  limitBytes: number;
  streaming: boolean;
  handlerAt?: RawFrame;
}

export interface HandlerShape {
  /** handler.length: declared parameters before the first default or rest. */
  arity: number;
  /** Every parameter the source declares, defaults and rest included (a callback after a default). */
  declaredParameters?: number;
  isAsync: boolean;
  isStreaming: boolean;
  /** Where awslambda.streamifyResponse wrapped it: the place to point at for the stream. */
  streamingFrames?: RawFrame[];
  /** Where the handler function is defined, for findings about the handler itself; read only when one can arise. */
  definedAt?: RawFrame;
}

export type ChildMessage =
  | { type: 'init-done'; durationMs: number; handler: HandlerShape }
  | {
      type: 'init-error';
      durationMs: number;
      error: ErrorInfo;
      /** Runtime.HandlerNotFound: what the module exports where the handler was looked for, functions first (`main()`), bounded. */
      exports?: string[];
    }
  | {
      type: 'result';
      index: number;
      outcome: 'response' | 'error';
      /** The response body exactly as the runtime would post it (JSON text; a streaming handler's body as UTF-8). */
      responseText?: string;
      /** Only for a streaming handler's response. */
      responseContentType?: string;
      /** A streamed body longer than the harness keeps: responseText is its beginning. */
      responseTruncated?: true;
      /** The response was over Lambda's limit (outcome error, Function.ResponseSizeTooLarge); its body is not sent. */
      tooLarge?: ResponseTooLarge;
      error?: ErrorInfo;
      completedBy: CompletionKind;
      /** ms from hand-out to post. */
      durationMs: number;
      /** ms between callback(null, …) and the post, when the runtime waited for the loop. */
      waitedForLoopMs: number | null;
      /** Ref'd resources alive when callback(null, …) was called, if the post was held back. */
      heldBy: RawResource[];
      /** A non-async handler's plain return value that the legacy runtime ignored. */
      ignoredReturn: boolean;
      lingering: RawResource[];
      /** Whether the handler's promise (if any) was still unsettled at the post. */
      promisePending: boolean;
      /** Callbacks of earlier invocations' resources observed since the previous message. */
      executions: ExecutionEvent[];
    }
  | {
      type: 'process-error';
      kind: 'unhandledRejection' | 'uncaughtException';
      /** Invocation open when it happened (the last one handed out), 0 during init. */
      index: number;
      /** Whether the response of that invocation had already been posted. */
      afterResponse: boolean;
      /** The thrown value or rejection reason itself. */
      error: ErrorInfo;
      /** The invocation whose work raised it (0 = init), by the async chain. */
      origin: number;
      /** The user's resource in whose callback it was thrown (a socket, a timer), when known. */
      resource?: RawResource;
      /** Thrown by Node for an 'error' event that nothing listened to. */
      unhandledErrorEvent?: boolean;
    }
  | {
      /** Sent first on a snapshot request: the loop is responsive, the snapshot itself may take a while. */
      type: 'snapshot-ack';
    }
  | {
      type: 'snapshot';
      /** What the open invocation is waiting for. */
      state: DeadlineState;
      index: number;
      resources: RawResource[];
      executions: ExecutionEvent[];
    }
  | {
      /**
       * The client asks for the next event (the Runtime API's /next): from here on Lambda may
       * freeze the environment. Legacy: one setImmediate after the post; 4.x: right after it.
       */
      type: 'next';
      index: number;
      /** A legacy streamed response: how long the client waited for the empty loop before asking. */
      waitedForLoopMs?: number;
      /** What is pending now, if the request comes later than the post: what the freeze takes. */
      lingering?: RawResource[];
    }
  | {
      /** Nothing was left on the loop while an invocation was open (4.x: the process now exits). */
      type: 'loop-drained';
      index: number;
      promisePending: boolean;
    }
  | {
      /**
       * The handler closed or replaced fd 3 or fd 4: the harness ends with CHANNEL_LOST_EXIT_CODE
       * right after this message, written on CHANNEL_LOST_FD (report-channel.ts).
       * Without it, that exit code is the handler's own (process.reallyExit(86)).
       */
      type: 'channel-lost';
    }
  | {
      /** process 'exit' fired; frames show who called process.exit(), if anyone did. */
      type: 'exit';
      code: number;
      index: number;
      frames: RawFrame[];
    };
