import type { TraceEvent } from '../../src/reporters/trace.js';

/**
 * The trace-event format's rules that Perfetto's JSON importer relies on: an object with a
 * traceEvents array; every event a name, a phase, numeric non-negative ts, integer pid/tid;
 * complete events ('X') a non-negative dur; instants ('i') a scope; metadata ('M') args.name.
 */
export function validateTrace(json: unknown): string[] {
  const problems: string[] = [];
  const root = json as { traceEvents?: unknown };
  if (!root || !Array.isArray(root.traceEvents)) return ['traceEvents must be an array'];
  root.traceEvents.forEach((value, i) => {
    const event = value as Partial<TraceEvent>;
    const at = `traceEvents[${i}]`;
    if (typeof event.name !== 'string' || event.name === '') problems.push(`${at}.name`);
    if (!['X', 'i', 'M'].includes(event.ph as string)) problems.push(`${at}.ph`);
    if (typeof event.ts !== 'number' || event.ts < 0 || !Number.isFinite(event.ts)) problems.push(`${at}.ts`);
    if (!Number.isInteger(event.pid) || !Number.isInteger(event.tid)) problems.push(`${at}.pid/tid`);
    if (event.ph === 'X' && (typeof event.dur !== 'number' || event.dur < 0)) problems.push(`${at}.dur`);
    if (event.ph === 'i' && !['g', 'p', 't'].includes(event.s as string)) problems.push(`${at}.s`);
    if (event.ph === 'M' && typeof (event.args as { name?: unknown } | undefined)?.name !== 'string') problems.push(`${at}.args.name`);
  });
  return problems;
}
