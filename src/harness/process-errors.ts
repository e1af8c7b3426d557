/**
 * Unhandled rejections and uncaught exceptions, per runtime line (semantics section 3). The
 * legacy client installs handlers that post an error for the open invocation and exit with
 * 128/129; the 4.x client installs none, so Node's default crash (exit 1) applies and we
 * only watch, through uncaughtExceptionMonitor, which never changes that behaviour.
 */
import type { RuntimeRules } from '../runtime-rules.js';
import type { ErrorInfo } from '../types.js';
import { safeString, toErrorInfo } from './error-info.js';
import type { Lifecycle } from './lifecycle.js';
import { sendToParent } from './report-channel.js';
import type { ResourceTracker } from './resource-tracker.js';

type Kind = 'unhandledRejection' | 'uncaughtException';

export function installProcessErrorHandlers(rules: RuntimeRules, tracker: ResourceTracker, getLifecycle: () => Lifecycle | null): void {
  const report = (kind: Kind, value: unknown, origin: number): void => {
    const lifecycle = getLifecycle();
    const index = lifecycle?.lastIndex() ?? 0;
    const afterResponse = lifecycle !== null && origin > 0 && lifecycle.isPosted(origin);
    sendToParent({ type: 'process-error', kind, index, afterResponse, error: toErrorInfo(value), origin: Math.max(origin, 0) });
  };

  if (!rules.postsProcessErrors) {
    process.on('uncaughtExceptionMonitor', (error, origin) => {
      report(origin === 'unhandledRejection' ? 'unhandledRejection' : 'uncaughtException', error, tracker.currentOrigin());
    });
    return;
  }

  const fatal = (kind: Kind, value: unknown, origin: number): void => {
    report(kind, value, origin);
    const posted: ErrorInfo =
      kind === 'unhandledRejection'
        ? { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: safeString(value), trace: toErrorInfo(value).trace }
        : toErrorInfo(value);
    const lifecycle = getLifecycle();
    if (lifecycle) lifecycle.failOpenInvocation(posted);
    else sendToParent({ type: 'init-error', durationMs: 0, error: posted });
    process.exit(kind === 'unhandledRejection' ? rules.rejectionExitCode : rules.exceptionExitCode);
  };
  process.on('uncaughtException', (error) => fatal('uncaughtException', error, tracker.currentOrigin()));
  process.on('unhandledRejection', (reason, promise) => fatal('unhandledRejection', reason, tracker.originOf(promise)));
}
