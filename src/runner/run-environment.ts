/**
 * The parent's side of the lifecycle for one target: Init, then each invocation with its
 * deadline, freeze and thaw between invocations, and a fresh Init after a timeout or a
 * runtime exit, as Lambda resets the environment then. The parent owns the clock: whatever
 * the handler does, every wait here ends.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { INIT_LIMIT_MS, runtimeExitError, timeoutMessage } from '../runtime-rules.js';
import type { TimelineEvent, TimelineEventKind } from '../types.js';
import type { ExecutionEvent, HandlerShape, HarnessConfig, RawFrame } from './protocol.js';
import { CHANNEL_LOST_EXIT_CODE } from './protocol.js';
import { notRun, type InitRecord, type InvocationRecord, type ProcessErrorRecord, type RunRecord } from './run-record.js';
import { captureBlockedStack } from './inspector/capture-blocked-stack.js';

import { createOutputCapture } from './output-capture.js';
import { spawnHarness, type Delivery, type HarnessProcess } from './spawn-harness.js';

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

/** How long a child that is not blocked gets to acknowledge a snapshot request at the deadline. */
const SNAPSHOT_GRACE_MS = 1000;
/** How long an acknowledged snapshot may take (thousands of resources, a loaded machine). */
const SNAPSHOT_BUDGET_MS = 5000;
/** How long reading a blocked child's stack through the inspector may take. */
/** How long the child may take from its post to asking for the next event (a busy handler may never). */
const NEXT_GRACE_MS = 2000;
const INSPECTOR_BUDGET_MS = 1500;

export async function runEnvironment(plan: RunPlan): Promise<RunRecord> {
  const startedAt = performance.now();
  const timeline: TimelineEvent[] = [];
  const mark = (kind: TimelineEventKind, invocation: number | null, detail?: string): void => {
    timeline.push({ atMs: Math.round((performance.now() - startedAt) * 10) / 10, kind, invocation, ...(detail ? { detail } : {}) });
  };
  const output = createOutputCapture();
  const processErrors: ProcessErrorRecord[] = [];
  const executions: ExecutionEvent[] = [];
  /** hrtime of the last thaw: the next invocation's time starts there, not at its hand-out. */
  let thawedAtNs: string | null = null;
  const invocations: InvocationRecord[] = [];
  let environment = 0;
  let child: HarnessProcess | null = null;
  let shape: HandlerShape | null = null;

  /** Who called process.exit() during Init, if the harness said so before it ended. */
  let initExit: { frames: RawFrame[] } | null = null;
  /** Whether the running harness said goodbye ('exit' message): without it, an exit with CHANNEL_LOST_EXIT_CODE is the harness's own. */
  let exitMessageSeen = false;
  /** Handles messages that can arrive at any time; returns true if it consumed the message. */
  const absorb = (message: Delivery, record: InvocationRecord | null): boolean => {
    if (message.type === 'process-error') {
      processErrors.push({ kind: message.kind, origin: message.origin, during: message.index, afterResponse: message.afterResponse, error: message.error });
      return true;
    }
    if (message.type === 'loop-drained') {
      if (record) record.drainedWithPromisePending = message.promisePending;
      return true;
    }
    if (message.type === 'exit') {
      exitMessageSeen = true;
      if (record) record.exitFrames = message.frames;
      else initExit = { frames: message.frames };
      return true;
    }
    return false;
  };

  const startEnvironment = async (): Promise<InitRecord> => {
    environment++;
    mark('init-start', null, environment > 1 ? `environment ${environment}` : undefined);
    child = spawnHarness({ ...plan, env: { ...plan.env, LHC_CONFIG: JSON.stringify(plan.config) }, output });
    initExit = null;
    exitMessageSeen = false;
    const limit = performance.now() + INIT_LIMIT_MS;
    for (;;) {
      const message = await child.receive(limit);
      if (message === null) {
        const blockedFrames = (await readBlockedStack(child)) ?? [];
        await child.kill();
        child = null;
        mark('init-end', null, 'Init timed out');
        const error = { errorType: 'Runtime.InitTimeout', errorMessage: `Init did not finish within ${INIT_LIMIT_MS / 1000} s` };
        return { ok: false, durationMs: INIT_LIMIT_MS, error, timedOut: true, blockedFrames };
      }
      if (absorb(message, null)) continue;
      if (message.type === 'init-done') {
        shape = message.handler;
        mark('init-end', null);
        return { ok: true, durationMs: message.durationMs, error: null, timedOut: false };
      }
      if (message.type === 'init-error') {
        await child.kill();
        child = null;
        mark('init-end', null, message.error.errorType);
        return { ok: false, durationMs: message.durationMs, error: message.error, timedOut: false };
      }
      if (message.type === 'process-exit') {
        child = null;
        mark('init-end', null, 'runtime exited');
        const exited = initExit as { frames: RawFrame[] } | null;
        return {
          ok: false,
          durationMs: performance.now() - (limit - INIT_LIMIT_MS),
          error: runtimeExitError(message.code, message.signal),
          timedOut: false,
          exitFrames: exited?.frames ?? [],
          channelLost: isChannelLost(message.code, exitMessageSeen),
        };
      }
    }
  };

  try {
    const init = await startEnvironment();
    if (!init.ok) {
      for (let index = 1; index <= plan.invocations; index++) invocations.push(notRun(index, environment));
      return { init, shape, invocations, processErrors, executions, timeline, output: output.result() };
    }
    for (let index = 1; index <= plan.invocations; index++) {
      if (!child) {
        const reinit = await startEnvironment();
        if (!reinit.ok) {
          invocations.push({ ...notRun(index, environment), outcome: 'error', error: reinit.error });
          continue;
        }
      }
      const record = await invoke(child!, index, environment);
      invocations.push(record);
      if (record.outcome === 'timeout' || record.outcome === 'runtime-exit') child = null;
      else if (record.completedBy === 'process-error') child = await awaitExit(child!);
      else child = await awaitNext(child!, record);
      if (child && index < plan.invocations) await freezeAndThaw(child, index);
    }
    if (child) await collectLastExecutions(child);
    return { init, shape, invocations, processErrors, executions, timeline, output: output.result() };
  } finally {
    if (child) await (child as HarnessProcess).kill();
  }

  async function invoke(harness: HarnessProcess, index: number, env: number): Promise<InvocationRecord> {
    const record = notRun(index, env);
    record.startedAtNs = thawedAtNs ?? process.hrtime.bigint().toString();
    thawedAtNs = null;
    const timeoutMs = plan.timeoutMs;
    const sentAt = performance.now();
    const deadline = sentAt + timeoutMs;
    mark('invoke', index);
    harness.send({
      type: 'invoke',
      index,
      requestId: record.requestId,
      event: plan.events[Math.min(index, plan.events.length) - 1] ?? {},
      deadlineMs: Date.now() + timeoutMs,
      invokedFunctionArn: plan.functionArn,
      traceId: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Parent=${randomUUID().replace(/-/g, '').slice(0, 16)};Sampled=0`,
    });
    for (;;) {
      const message = await harness.receive(deadline);
      if (message === null) return timeOut(harness, record, timeoutMs);
      if (absorb(message, record)) continue;
      if (message.type === 'result' && message.index === index) {
        Object.assign(record, {
          outcome: message.outcome,
          durationMs: message.durationMs,
          responseText: message.responseText,
          error: message.error ?? null,
          completedBy: message.completedBy,
          lingering: message.lingering,
          waitedForLoopMs: message.waitedForLoopMs,
          heldBy: message.heldBy,
          ignoredReturn: message.ignoredReturn,
        });
        executions.push(...message.executions);
        if (message.waitedForLoopMs !== null) mark('callback', index, `waited ${Math.round(message.waitedForLoopMs)} ms for the event loop`);
        mark(message.outcome === 'response' ? 'response' : 'error', index, message.error?.errorType);
        return record;
      }
      if (message.type === 'process-exit') {
        record.outcome = 'runtime-exit';
        record.durationMs = performance.now() - sentAt;
        record.exitCode = message.code;
        record.signal = message.signal;
        record.error = runtimeExitError(message.code, message.signal);
        record.channelLost = isChannelLost(message.code, exitMessageSeen);
        mark('exit', index, message.signal ?? `exit status ${message.code}`);
        return record;
      }
    }
  }

  async function timeOut(harness: HarnessProcess, record: InvocationRecord, timeoutMs: number): Promise<InvocationRecord> {
    mark('deadline', record.index, timeoutMessage(timeoutMs));
    harness.send({ type: 'snapshot' });
    let graceEnds = performance.now() + SNAPSHOT_GRACE_MS;
    let deadlineState: NonNullable<InvocationRecord['deadline']> = { state: 'unresponsive', resources: [], blockedFrames: [] };
    for (;;) {
      const message = await harness.receive(graceEnds);
      if (message === null) break;
      if (absorb(message, record)) continue;
      if (message.type === 'snapshot-ack') {
        graceEnds = performance.now() + SNAPSHOT_BUDGET_MS;
        continue;
      }
      if (message.type === 'snapshot') {
        deadlineState = { state: message.state, resources: message.resources, blockedFrames: [] };
        executions.push(...message.executions);
        break;
      }
      if (message.type === 'process-exit') break;
    }
    if (deadlineState.state === 'unresponsive' && !harness.exited) deadlineState.blockedFrames = (await readBlockedStack(harness)) ?? [];
    await harness.kill();
    record.outcome = 'timeout';
    record.durationMs = timeoutMs;
    record.error = { errorType: 'Sandbox.Timedout', errorMessage: timeoutMessage(timeoutMs) };
    record.deadline = deadlineState;
    return record;
  }

  /** The child did not answer: its thread is stuck in JavaScript. Ask the inspector where. */
  async function readBlockedStack(harness: HarnessProcess): Promise<RawFrame[] | null> {
    output.hideInspectorLines();
    // Only a URL this child prints from now on: an earlier environment's is dead. Counted, not
    // searched for in the captured text, which is bounded and may have dropped it.
    const seen = output.inspectorUrls().length;
    return captureBlockedStack({
      pid: harness.pid,
      timeoutMs: INSPECTOR_BUDGET_MS,
      inspectorUrl: async () => {
        const until = performance.now() + INSPECTOR_BUDGET_MS;
        for (;;) {
          const url = output.inspectorUrls()[seen] ?? null;
          if (url || performance.now() > until) return url;
          await sleep(5);
        }
      },
    });
  }

  /**
   * Lambda freezes the environment once the client asks for the next event, not at the post
   * itself: what runs in between (a setImmediate of the handler's) runs before the freeze. A
   * process that dies in that window dies after answering: the next request just re-inits.
   */
  async function awaitNext(harness: HarnessProcess, record: InvocationRecord): Promise<HarnessProcess | null> {
    const until = performance.now() + NEXT_GRACE_MS;
    for (;;) {
      const message = await harness.receive(until);
      if (message === null) return harness;
      if (message.type === 'next' && message.index === record.index) return harness;
      if (message.type === 'process-exit') {
        mark('exit', record.index, 'runtime exited after answering');
        return null;
      }
      absorb(message, record);
    }
  }

  /** The legacy client posts the error of an unhandled rejection, then exits: the next request re-inits. */
  async function awaitExit(harness: HarnessProcess): Promise<null> {
    const until = performance.now() + 2000;
    for (;;) {
      const message = await harness.receive(until);
      if (message === null || message.type === 'process-exit') break;
      absorb(message, invocations.at(-1) ?? null);
    }
    if (!harness.exited) await harness.kill();
    mark('exit', invocations.at(-1)?.index ?? null, 'runtime exited after posting the error');
    return null;
  }

  /**
   * Callbacks that ran after the last result (I/O that was ready at the thaw together with the
   * invoke, in whatever order the poll returned them) are only reported on request.
   */
  async function collectLastExecutions(harness: HarnessProcess): Promise<void> {
    harness.send({ type: 'snapshot' });
    const until = performance.now() + SNAPSHOT_GRACE_MS;
    for (;;) {
      const message = await harness.receive(until);
      if (message === null || message.type === 'process-exit') return;
      if (message.type === 'snapshot') return void executions.push(...message.executions);
      absorb(message, invocations.at(-1) ?? null);
    }
  }

  async function freezeAndThaw(harness: HarnessProcess, index: number): Promise<void> {
    harness.freeze();
    mark('freeze', index);
    await sleep(plan.freezeMs);
    thawedAtNs = process.hrtime.bigint().toString();
    harness.thaw();
    mark('thaw', index + 1);
  }
}

/** The harness ended itself because the handler closed or replaced fd 3 / fd 4 (report-channel.ts). */
function isChannelLost(code: number | null, exitMessageSeen: boolean): boolean {
  return code === CHANNEL_LOST_EXIT_CODE && !exitMessageSeen;
}
