/**
 * Init: start a fresh execution environment (one harness child) and wait, at most Lambda's
 * Init limit, for the handler to load. A thread stuck at Init is read through the inspector.
 */
import { INIT_LIMIT_MS, runtimeExitError } from '../runtime-rules.js';
import { isChannelLost, type Session } from './environment-session.js';
import { readBlockedStack } from './invoke-phase.js';
import type { InitRecord } from './run-record.js';
import { spawnHarness, type HarnessProcess } from './spawn-harness.js';

export interface Started {
  init: InitRecord;
  /** The harness, ready for invocations; null when Init failed (it is gone then). */
  child: HarnessProcess | null;
}

export async function startEnvironment(session: Session): Promise<Started> {
  const { plan, mark } = session;
  session.environment++;
  mark('init-start', null, session.environment > 1 ? `environment ${session.environment}` : undefined);
  const child = spawnHarness({ ...plan, env: { ...plan.env, LHC_CONFIG: JSON.stringify(plan.config) }, output: session.output });
  session.initExit = null;
  session.exitMessageSeen = false;
  session.channelLostSeen = false;
  const limit = performance.now() + INIT_LIMIT_MS;
  try {
    return await awaitInit(session, child, limit);
  } catch (error) {
    // A bug of ours while waiting: the environment must not outlive the check.
    await child.kill();
    throw error;
  }
}

async function awaitInit(session: Session, child: HarnessProcess, limit: number): Promise<Started> {
  const { mark } = session;
  for (;;) {
    const message = await child.receive(limit);
    if (message === null) {
      const blockedFrames = (await readBlockedStack(session, child)) ?? [];
      await child.kill();
      mark('init-end', null, 'Init timed out');
      const error = { errorType: 'Runtime.InitTimeout', errorMessage: `Init did not finish within ${INIT_LIMIT_MS / 1000} s` };
      return { init: { ok: false, durationMs: INIT_LIMIT_MS, error, timedOut: true, blockedFrames }, child: null };
    }
    if (session.absorb(message, null)) continue;
    if (message.type === 'init-done') {
      session.shape = message.handler;
      mark('init-end', null);
      return { init: { ok: true, durationMs: message.durationMs, error: null, timedOut: false }, child };
    }
    if (message.type === 'init-error') {
      await child.kill();
      mark('init-end', null, message.error.errorType);
      return { init: { ok: false, durationMs: message.durationMs, error: message.error, timedOut: false, ...(message.exports ? { exports: message.exports } : {}) }, child: null };
    }
    if (message.type === 'process-exit') {
      mark('init-end', null, 'runtime exited');
      const init: InitRecord = {
        ok: false,
        durationMs: performance.now() - (limit - INIT_LIMIT_MS),
        error: runtimeExitError(message.code, message.signal),
        timedOut: false,
        exitFrames: session.initExit?.frames ?? [],
        channelLost: isChannelLost(message.code, session),
        ...(message.reportOverflowBytes !== undefined ? { reportOverflowBytes: message.reportOverflowBytes } : {}),
      };
      return { init, child: null };
    }
  }
}
