import type { ExecutionEvent, RawResource } from '../runner/protocol.js';

/**
 * Executions observed since the last message, at most the first and the last per resource:
 * enough to see an interval tick both before a freeze and after the thaw, bounded however
 * often it ticks.
 */
export function createExecutionLog(): { add(asyncId: number, describe: () => RawResource): void; drain(): ExecutionEvent[] } {
  let seen = new Map<number, { first: ExecutionEvent; last: ExecutionEvent | null }>();
  return {
    // Described once, on first sight: describing formats a stack, and intervals tick often.
    add(asyncId, describe) {
      const atNs = process.hrtime.bigint().toString();
      const entry = seen.get(asyncId);
      if (entry) entry.last = { atNs, resource: entry.first.resource };
      else if (seen.size < 1000) seen.set(asyncId, { first: { atNs, resource: describe() }, last: null });
    },
    drain() {
      const events = [...seen.values()].flatMap((entry) => (entry.last ? [entry.first, entry.last] : [entry.first]));
      seen = new Map();
      return events;
    },
  };
}
