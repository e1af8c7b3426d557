/**
 * What the phases of one target's run share (run-environment.ts drives them): the plan, the
 * records being filled, the timeline, and the handling of messages that may arrive at any
 * moment, whichever phase is waiting.
 */
import type { TimelineEvent, TimelineEventKind } from '../types.js';
import { createOutputCapture, type OutputCapture } from './output-capture.js';
import { CHANNEL_LOST_EXIT_CODE, type ExecutionEvent, type HandlerShape, type HarnessConfig, type RawFrame } from './protocol.js';
import type { InvocationRecord, ProcessErrorRecord } from './run-record.js';
import type { Delivery } from './spawn-harness.js';

/** How long a child that is not blocked gets to acknowledge a snapshot request. */
export const SNAPSHOT_GRACE_MS = 1000;

/**
 * The harness ended itself because the handler closed or replaced fd 3 / fd 4 (report-channel.ts):
 * it said so, then exited with its code. The same code without the message is the handler's own exit.
 */
export function isChannelLost(code: number | null, session: Pick<Session, 'exitMessageSeen' | 'channelLostSeen'>): boolean {
  return code === CHANNEL_LOST_EXIT_CODE && session.channelLostSeen && !session.exitMessageSeen;
}

export interface RunPlan {
  execPath: string;
  nodeArgs: string[];
  harnessFile: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  config: HarnessConfig;
  timeoutMs: number;
  invocations: number;
  /** One event per invocation; the last repeats. */
  events: unknown[];
  freezeMs: number;
  functionArn: string;
}

export interface Session {
  readonly plan: RunPlan;
  readonly output: OutputCapture;
  readonly timeline: TimelineEvent[];
  readonly processErrors: ProcessErrorRecord[];
  readonly executions: ExecutionEvent[];
  readonly invocations: InvocationRecord[];
  /** Which execution environment runs now: 1 for the first, +1 after each re-init. */
  environment: number;
  shape: HandlerShape | null;
  /** hrtime of the last thaw: the next invocation's time starts there, not at its hand-out. */
  thawedAtNs: string | null;
  /** The open invocation's deadline (performance.now() time). */
  deadlineAt: number;
  /** Who called process.exit() during Init, if the harness said so before it ended. */
  initExit: { frames: RawFrame[] } | null;
  /** Whether the running harness said goodbye ('exit' message): without it, an exit with CHANNEL_LOST_EXIT_CODE is the harness's own. */
  exitMessageSeen: boolean;
  /** Whether the running harness said it lost its pipes ('channel-lost' message). */
  channelLostSeen: boolean;
  mark(kind: TimelineEventKind, invocation: number | null, detail?: string): void;
  /** Handles messages that can arrive at any time; returns true if it consumed the message. */
  absorb(message: Delivery, record: InvocationRecord | null): boolean;
}

export function createSession(plan: RunPlan): Session {
  const startedAt = performance.now();
  const session: Session = {
    plan,
    output: createOutputCapture(),
    timeline: [],
    processErrors: [],
    executions: [],
    invocations: [],
    environment: 0,
    shape: null,
    thawedAtNs: null,
    deadlineAt: 0,
    initExit: null,
    exitMessageSeen: false,
    channelLostSeen: false,
    mark(kind, invocation, detail) {
      session.timeline.push({ atMs: Math.round((performance.now() - startedAt) * 10) / 10, kind, invocation, ...(detail ? { detail } : {}) });
    },
    absorb(message, record) {
      if (message.type === 'process-error') {
        const { kind, origin, index: during, afterResponse, error, resource, unhandledErrorEvent } = message;
        session.processErrors.push({ kind, origin, during, environment: session.environment, afterResponse, error, resource, unhandledErrorEvent });
        return true;
      }
      if (message.type === 'loop-drained') {
        if (record) record.drainedWithPromisePending = message.promisePending;
        return true;
      }
      if (message.type === 'channel-lost') {
        session.channelLostSeen = true;
        return true;
      }
      if (message.type === 'exit') {
        session.exitMessageSeen = true;
        if (record) record.exitFrames = message.frames;
        else session.initExit = { frames: message.frames };
        return true;
      }
      return false;
    },
  };
  return session;
}
