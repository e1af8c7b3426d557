/**
 * One invocation: hand out the event, wait for the result until the deadline, and at the
 * deadline ask the child what it was waiting for, or, if its thread is stuck in JavaScript,
 * read where through the inspector. A timeout ends the environment.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { runtimeExitError, timeoutMessage } from '../runtime-rules.js';
import { SNAPSHOT_GRACE_MS, isChannelLost, type Session } from './environment-session.js';
import { captureBlockedStack } from './inspector/capture-blocked-stack.js';
import type { RawFrame } from './protocol.js';
import { notRun, type InvocationRecord } from './run-record.js';
import type { HarnessProcess } from './spawn-harness.js';

/** How long an acknowledged snapshot may take (thousands of resources, a loaded machine). */
const SNAPSHOT_BUDGET_MS = 5000;
/** How long reading a blocked child's stack through the inspector may take. */
const INSPECTOR_BUDGET_MS = 1500;

export async function invoke(session: Session, harness: HarnessProcess, index: number): Promise<InvocationRecord> {
  const { plan, mark } = session;
  const record = notRun(index, session.environment);
  record.startedAtNs = session.thawedAtNs ?? process.hrtime.bigint().toString();
  session.thawedAtNs = null;
  const timeoutMs = plan.timeoutMs;
  const sentAt = performance.now();
  const deadline = sentAt + timeoutMs;
  session.deadlineAt = deadline;
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
    if (message === null) return timeOut(session, harness, record, timeoutMs);
    if (session.absorb(message, record)) continue;
    if (message.type === 'result' && message.index === index) {
      Object.assign(record, {
        outcome: message.outcome,
        durationMs: message.durationMs,
        responseText: message.responseText,
        responseContentType: message.responseContentType,
        responseTruncated: message.responseTruncated,
        tooLarge: message.tooLarge,
        error: message.error ?? null,
        completedBy: message.completedBy,
        lingering: message.lingering,
        waitedForLoopMs: message.waitedForLoopMs,
        heldBy: message.heldBy,
        ignoredReturn: message.ignoredReturn,
      });
      session.executions.push(...message.executions);
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
      record.channelLost = isChannelLost(message.code, session);
      if (message.reportOverflowBytes !== undefined) record.reportOverflowBytes = message.reportOverflowBytes;
      mark('exit', index, message.signal ?? `exit status ${message.code}`);
      return record;
    }
  }
}

async function timeOut(session: Session, harness: HarnessProcess, record: InvocationRecord, timeoutMs: number): Promise<InvocationRecord> {
  record.deadline = await stateAtDeadline(session, harness, record);
  await harness.kill();
  record.outcome = 'timeout';
  record.durationMs = timeoutMs;
  record.error = { errorType: 'Sandbox.Timedout', errorMessage: timeoutMessage(timeoutMs) };
  return record;
}

/** At a deadline: what the child was waiting for, and what it held; where it is stuck if it does not answer. */
export async function stateAtDeadline(session: Session, harness: HarnessProcess, record: InvocationRecord): Promise<NonNullable<InvocationRecord['deadline']>> {
  session.mark('deadline', record.index, timeoutMessage(session.plan.timeoutMs));
  harness.send({ type: 'snapshot' });
  let graceEnds = performance.now() + SNAPSHOT_GRACE_MS;
  let deadlineState: NonNullable<InvocationRecord['deadline']> = { state: 'unresponsive', resources: [], blockedFrames: [] };
  for (;;) {
    const message = await harness.receive(graceEnds);
    if (message === null) break;
    if (session.absorb(message, record)) continue;
    if (message.type === 'snapshot-ack') {
      graceEnds = performance.now() + SNAPSHOT_BUDGET_MS;
      continue;
    }
    if (message.type === 'snapshot') {
      deadlineState = { state: message.state, resources: message.resources, blockedFrames: [] };
      session.executions.push(...message.executions);
      break;
    }
    if (message.type === 'process-exit') break;
  }
  if (deadlineState.state === 'unresponsive' && !harness.exited) deadlineState.blockedFrames = (await readBlockedStack(session, harness)) ?? [];
  return deadlineState;
}

/** The child did not answer: its thread is stuck in JavaScript. Ask the inspector where. */
export async function readBlockedStack(session: Session, harness: HarnessProcess): Promise<RawFrame[] | null> {
  const { output } = session;
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
