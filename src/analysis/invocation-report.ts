/** One invocation of the run record as the report shows it (SPEC "JSON report"). */
import type { RawResource } from '../runner/protocol.js';
import type { InvocationRecord } from '../runner/run-record.js';
import type { InvocationReport, Resource } from '../types.js';

export function toInvocationReport(record: InvocationRecord, resources: (raw: RawResource[]) => Resource[]): InvocationReport {
  const lingering = record.outcome === 'timeout' ? (record.deadline?.resources ?? []) : record.lingering;
  return {
    index: record.index,
    requestId: record.requestId,
    outcome: record.outcome,
    durationMs: round(record.durationMs),
    ...(record.outcome === 'response' ? responseOf(record) : {}),
    error: record.error,
    exitCode: record.exitCode,
    lingering: resources(lingering),
    environment: record.environment,
    completedBy: record.completedBy,
    waitedForLoopMs: record.waitedForLoopMs === null ? null : round(record.waitedForLoopMs),
  };
}

/** Durations to a tenth of a millisecond: finer is noise. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** A streamed body is text, whatever it looks like; a posted one is JSON. */
function responseOf(record: InvocationRecord): Pick<InvocationReport, 'response' | 'responseContentType' | 'responseTruncated'> {
  if (record.responseContentType === undefined) return { response: parseBody(record.responseText) };
  return {
    response: record.responseText ?? '',
    responseContentType: record.responseContentType,
    ...(record.responseTruncated ? { responseTruncated: true } : {}),
  };
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
