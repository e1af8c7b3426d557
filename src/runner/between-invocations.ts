/**
 * What happens after an invocation answered and before the next is handed out: the child
 * asks for the next event (Lambda freezes it then), or exits after an error; the parent
 * freezes and thaws it; and after the last one, collects callbacks that ran late.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RUNTIME_RULES } from '../runtime-rules.js';
import { SNAPSHOT_GRACE_MS, type Session } from './environment-session.js';
import { stateAtDeadline } from './invoke-phase.js';
import type { InvocationRecord } from './run-record.js';
import type { HarnessProcess } from './spawn-harness.js';

/** How long the child may take from its post to asking for the next event (a busy handler may never). */
const NEXT_GRACE_MS = 2000;
/** How long the legacy client may take from posting a process error's body to exiting. */
const EXIT_GRACE_MS = 2000;

/**
 * Lambda freezes the environment once the client asks for the next event, not at the post
 * itself: what runs in between (a setImmediate of the handler's) runs before the freeze. A
 * process that dies in that window dies after answering: the next request just re-inits.
 */
export async function awaitNext(session: Session, harness: HarnessProcess, record: InvocationRecord): Promise<HarnessProcess | null> {
  // A legacy streaming handler's response is out, but its client asks for the next event only
  // once the loop is empty (by default), and the invocation lasts until then.
  const waitsForLoop = Boolean(session.shape?.isStreaming) && RUNTIME_RULES[session.plan.config.runtime].callbacks;
  const until = waitsForLoop ? session.deadlineAt : performance.now() + NEXT_GRACE_MS;
  for (;;) {
    const message = await harness.receive(until);
    if (message === null && waitsForLoop) return timeOutAfterResponse(session, harness, record);
    if (message === null) return harness;
    if (message.type === 'next' && message.index === record.index) {
      if (message.waitedForLoopMs !== undefined) record.waitedForLoopMs = message.waitedForLoopMs;
      if (message.lingering) record.lingering = message.lingering;
      return harness;
    }
    if (message.type === 'process-exit') {
      session.mark('exit', record.index, 'runtime exited after answering');
      return null;
    }
    session.absorb(message, record);
  }
}

/** The loop never emptied: Lambda times the invocation out (its body already went out) and resets the environment. */
async function timeOutAfterResponse(session: Session, harness: HarnessProcess, record: InvocationRecord): Promise<null> {
  record.deadline = await stateAtDeadline(session, harness, record);
  await harness.kill();
  return null;
}

/** The legacy client posts the error of an unhandled rejection, then exits: the next request re-inits. */
export async function awaitExit(session: Session, harness: HarnessProcess): Promise<null> {
  const last = session.invocations.at(-1) ?? null;
  const until = performance.now() + EXIT_GRACE_MS;
  for (;;) {
    const message = await harness.receive(until);
    if (message === null || message.type === 'process-exit') break;
    session.absorb(message, last);
  }
  if (!harness.exited) await harness.kill();
  session.mark('exit', last?.index ?? null, 'runtime exited after posting the error');
  return null;
}

export async function freezeAndThaw(session: Session, harness: HarnessProcess, index: number): Promise<void> {
  harness.freeze();
  session.mark('freeze', index);
  await sleep(session.plan.freezeMs);
  session.thawedAtNs = process.hrtime.bigint().toString();
  harness.thaw();
  session.mark('thaw', index + 1);
}

/**
 * Callbacks that ran after the last result (I/O that was ready at the thaw together with the
 * invoke, in whatever order the poll returned them) are only reported on request.
 */
export async function collectLastExecutions(session: Session, harness: HarnessProcess): Promise<void> {
  harness.send({ type: 'snapshot' });
  const until = performance.now() + SNAPSHOT_GRACE_MS;
  for (;;) {
    const message = await harness.receive(until);
    if (message === null || message.type === 'process-exit') return;
    if (message.type === 'snapshot') return void session.executions.push(...message.executions);
    session.absorb(message, session.invocations.at(-1) ?? null);
  }
}
