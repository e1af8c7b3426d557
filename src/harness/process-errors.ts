/**
 * Unhandled rejections and uncaught exceptions, per runtime line (semantics section 3). The
 * legacy client installs handlers that post an error for the open invocation and exit with
 * 128/129; the 4.x client installs none, so Node's default crash (exit 1) applies. Either
 * way we watch through uncaughtExceptionMonitor, which never changes Node's behaviour and is
 * kept in place even if the handler removes every listener (guarded-listeners.ts).
 */
import type { RuntimeRules } from '../runtime-rules.js';
import type { ErrorInfo } from '../types.js';
import { safeString, toErrorInfo, toPostedError } from './error-info.js';
import { keepListener } from './guarded-listeners.js';
import type { Lifecycle } from './lifecycle.js';
import { sendToParent } from './report-channel.js';
import type { ResourceTracker } from './resource-tracker.js';

type Kind = 'unhandledRejection' | 'uncaughtException';

/** Installs the watchers and, for the legacy line, the runtime client's handlers. Call before loading user code. */
export function installProcessErrorHandlers(rules: RuntimeRules, tracker: ResourceTracker, getLifecycle: () => Lifecycle | null): void {
  const report = (kind: Kind, value: unknown, origin: number): void => {
    const lifecycle = getLifecycle();
    const index = lifecycle?.lastIndex() ?? 0;
    // Work of an invocation failing once it answered, or Init's work failing while no
    // invocation is open any more: either way the next request pays for it.
    const afterResponse = lifecycle !== null && (origin > 0 ? lifecycle.isPosted(origin) : index > 0 && lifecycle.isPosted(index));
    // An error Node or a library raises in a resource's callback (a refused connection) has
    // no frame of the user's: the resource it came from, and the line that made it, say where.
    const resource = kind === 'uncaughtException' ? tracker.describeCurrent() : null;
    sendToParent({
      type: 'process-error',
      kind,
      index,
      afterResponse,
      error: toErrorInfo(value),
      origin: Math.max(origin, 0),
      ...(resource ? { resource } : {}),
      ...(isUnhandledErrorEvent(value) ? { unhandledErrorEvent: true } : {}),
    });
  };

  // Every uncaught exception passes here first, and so does a rejection nobody listens for
  // (Node then raises it as an uncaught exception with origin 'unhandledRejection').
  keepListener('uncaughtExceptionMonitor', (error: unknown, origin: string) => {
    report(origin === 'unhandledRejection' ? 'unhandledRejection' : 'uncaughtException', error, tracker.currentOrigin());
  });
  if (!rules.postsProcessErrors) return;

  const fatal = (kind: Kind, value: unknown): void => {
    const posted: ErrorInfo =
      kind === 'unhandledRejection'
        ? { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: safeString(value), trace: toErrorInfo(value).trace }
        : toPostedError(value, rules.errorFormat);
    const lifecycle = getLifecycle();
    if (lifecycle) lifecycle.failOpenInvocation(posted);
    else sendToParent({ type: 'init-error', durationMs: 0, error: posted });
    process.exit(kind === 'unhandledRejection' ? rules.rejectionExitCode : rules.exceptionExitCode);
  };
  // The legacy client's own handlers: plain listeners, removable by the handler as on Lambda.
  process.on('uncaughtException', (error) => fatal('uncaughtException', error));
  process.on('unhandledRejection', (reason, promise) => {
    report('unhandledRejection', reason, tracker.originOf(promise));
    fatal('unhandledRejection', reason);
  });
}

/**
 * Node throws an 'error' event nobody listens for as the error itself, marked with a symbol
 * of its own for the inspector (lib/events.js, kEnhanceStackBeforeInspector): the mark is how
 * "no 'error' listener" is told apart from a plain throw.
 */
function isUnhandledErrorEvent(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return Object.getOwnPropertySymbols(value).some((symbol) => symbol.description === 'kEnhanceStackBeforeInspector');
  } catch {
    return false;
  }
}
