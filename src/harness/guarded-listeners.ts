/**
 * Process listeners the tool itself needs (the exit location, the crash monitor, the 4.x
 * drain notice), kept in place whatever the handler does: a handler may call
 * process.removeAllListeners() or replace process.on. The listeners that stand for the
 * runtime client's own (legacy uncaughtException/unhandledRejection/beforeExit) are NOT
 * kept here: the real client registers them before loading the handler, so a handler can
 * remove those on Lambda too, and then gets Node's defaults (lambda-runtime-semantics.md §3).
 */

// Taken before any user code runs.
const on = process.on.bind(process) as (event: string, listener: (...args: any[]) => void) => void;
const listenersOf = process.listeners.bind(process) as (event: string) => Function[];

const kept: Array<[string, (...args: any[]) => void]> = [];

export function keepListener(event: string, listener: (...args: any[]) => void): void {
  kept.push([event, listener]);
  on(event, listener);
}

/** Puts back any kept listener the handler removed. Cheap: called at every lifecycle step. */
export function restoreListeners(): void {
  for (const [event, listener] of kept) {
    try {
      if (!listenersOf(event).includes(listener)) on(event, listener);
    } catch {
      // A handler that broke EventEmitter itself gets Node's behaviour, unobserved.
    }
  }
}
