/**
 * The parent's side of the lifecycle for one target: Init, then each invocation with its
 * deadline, freeze and thaw between invocations, and a fresh Init after a timeout or a
 * runtime exit, as Lambda resets the environment then. The parent owns the clock: whatever
 * the handler does, every wait in the phases (init-phase.ts, invoke-phase.ts,
 * between-invocations.ts) ends.
 */
import { awaitExit, awaitNext, collectLastExecutions, freezeAndThaw } from './between-invocations.js';
import { createSession, type RunPlan, type Session } from './environment-session.js';
import { startEnvironment } from './init-phase.js';
import { invoke } from './invoke-phase.js';
import { metFailedInit, type InitRecord, type RunRecord } from './run-record.js';
import type { HarnessProcess } from './spawn-harness.js';

export type { RunPlan } from './environment-session.js';

export async function runEnvironment(plan: RunPlan): Promise<RunRecord> {
  const session = createSession(plan);
  const { invocations } = session;
  let child: HarnessProcess | null = null;
  try {
    const first = await startEnvironment(session);
    child = first.child;
    if (!first.init.ok) {
      // The check does not repeat a failed Init for each request: the same module fails the same way.
      for (let index = 1; index <= plan.invocations; index++) invocations.push(metFailedInit(index, session.environment, first.init));
      return recordOf(session, first.init);
    }
    for (let index = 1; index <= plan.invocations; index++) {
      if (!child) {
        const reinit = await startEnvironment(session);
        child = reinit.child;
        if (!reinit.init.ok) {
          invocations.push(metFailedInit(index, session.environment, reinit.init));
          continue;
        }
      }
      const record = await invoke(session, child!, index);
      invocations.push(record);
      if (record.outcome === 'timeout' || record.outcome === 'runtime-exit') child = null;
      else if (record.completedBy === 'process-error') child = await awaitExit(session, child!);
      else child = await awaitNext(session, child!, record);
      if (child && index < plan.invocations) await freezeAndThaw(session, child, index);
    }
    if (child) await collectLastExecutions(session, child);
    return recordOf(session, first.init);
  } finally {
    if (child) await (child as HarnessProcess).kill();
  }
}

function recordOf(session: Session, init: InitRecord): RunRecord {
  const { shape, invocations, processErrors, executions, timeline, output } = session;
  return { init, shape, invocations, processErrors, executions, timeline, output: output.result() };
}
