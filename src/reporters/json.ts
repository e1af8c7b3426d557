import type {
  CheckReport,
  ErrorInfo,
  Finding,
  InitReport,
  InvocationReport,
  Resource,
  SourceLocation,
  StackFrame,
  TargetReport,
  TimelineEvent,
} from '../types.js';
import { toSafeJson } from './safe-json.js';

type Mappers<T> = { [K in keyof T]?: (value: NonNullable<T[K]>) => unknown };

/**
 * Copies `value` with the keys of `order` first, in that order, then any other keys in their own
 * order, so a field added to the data model later still appears, after the documented ones.
 * Nested values go through `mappers`; null and undefined pass through untouched.
 */
function orderKeys<T extends object>(
  value: T,
  order: readonly (keyof T & string)[],
  mappers: Mappers<T> = {},
): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const known: readonly string[] = order;
  const keys = [...known.filter((key) => Object.hasOwn(source, key)), ...Object.keys(source).filter((key) => !known.includes(key))];
  const map = mappers as Record<string, ((nested: unknown) => unknown) | undefined>;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const nested = source[key];
    const mapper = map[key];
    out[key] = mapper && nested != null ? mapper(nested) : nested;
  }
  return out;
}

// Key orders follow SPEC.md "JSON report"; fields the spec does not list (environment,
// completedBy, waitedForLoopMs, timeline) come after the documented ones.
const toLocation = (location: SourceLocation) => orderKeys(location, ['file', 'line', 'column']);
const toFrame = (frame: StackFrame) => orderKeys(frame, ['function', 'file', 'line', 'column']);
const toError = (error: ErrorInfo) => orderKeys(error, ['errorType', 'errorMessage', 'trace']);
const toResources = (resources: Resource[]) => resources.map(toResource);

function toResource(resource: Resource): Record<string, unknown> {
  return orderKeys(
    resource,
    ['asyncId', 'type', 'kind', 'ref', 'createdIn', 'invocation', 'summary', 'location', 'via', 'stack'],
    { location: toLocation, stack: (stack) => stack.map(toFrame) },
  );
}

function toFinding(finding: Finding): Record<string, unknown> {
  return orderKeys(finding, ['code', 'severity', 'invocation', 'message', 'location', 'resources', 'hint'], {
    location: toLocation,
    resources: toResources,
  });
}

function toInvocation(invocation: InvocationReport): Record<string, unknown> {
  return orderKeys(
    invocation,
    ['index', 'requestId', 'outcome', 'durationMs', 'response', 'error', 'exitCode', 'lingering', 'environment', 'completedBy', 'waitedForLoopMs', 'responseContentType', 'responseTruncated'],
    // `response` is the handler's own body: kept exactly as posted, not reordered.
    { error: toError, lingering: toResources },
  );
}

function toTarget(target: TargetReport): Record<string, unknown> {
  return orderKeys(
    target,
    ['target', 'runtime', 'timeoutMs', 'memoryMB', 'verdict', 'init', 'invocations', 'findings', 'suppressed', 'output', 'timeline'],
    {
      init: (init: InitReport) => orderKeys(init, ['ok', 'durationMs', 'error'], { error: toError }),
      invocations: (invocations) => invocations.map(toInvocation),
      findings: (findings) => findings.map(toFinding),
      suppressed: (suppressed) => suppressed.map((finding) => ({ ...toFinding(finding), suppression: orderKeys(finding.suppression, ['kind', 'justification']) })),
      output: (output) => orderKeys(output, ['stdout', 'stderr', 'truncated']),
      timeline: (timeline) => timeline.map((event: TimelineEvent) => orderKeys(event, ['atMs', 'kind', 'invocation', 'detail'])),
    },
  );
}

/** The `--format json` report (`schemaVersion: 1`): SPEC key order, 2-space indent, trailing newline. */
export function renderJson(report: CheckReport): string {
  const ordered = orderKeys(report, ['schemaVersion', 'tool', 'node', 'results'], {
    tool: (tool) => orderKeys(tool, ['name', 'version']),
    results: (results) => results.map(toTarget),
  });
  return toSafeJson(ordered);
}
