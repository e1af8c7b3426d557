import type { Resource } from '../types.js';
import type { ReporterContext } from './context.js';
import { toSingleLine } from './sanitize.js';
import { formatCount, formatLocation } from './text-format.js';

/** Resources created at the same place with the same summary: one leak per request shows once, with a count. */
export interface ResourceGroup {
  first: Resource;
  count: number;
  createdAtInit: boolean;
  /** Sorted, distinct invocation indexes that created a member of the group. */
  invocations: number[];
}

const MAX_VERBOSE_FRAMES = 10;

function groupKey(resource: Resource): string {
  const { location } = resource;
  const where = location ? `${location.file}:${location.line}:${location.column}` : '';
  return `${where}\u0000${resource.summary}`;
}

/** Groups identical resources (same location and summary), keeping the order of first appearance. */
export function groupResources(resources: readonly Resource[]): ResourceGroup[] {
  const groups = new Map<string, ResourceGroup>();
  for (const resource of resources) {
    const key = groupKey(resource);
    const group = groups.get(key) ?? { first: resource, count: 0, createdAtInit: false, invocations: [] };
    // A resource may already stand for many alike ones (the harness groups them).
    group.count += resource.count ?? 1;
    if (resource.createdIn === 'init') group.createdAtInit = true;
    else if (resource.invocation !== undefined && !group.invocations.includes(resource.invocation)) {
      group.invocations.push(resource.invocation);
    }
    groups.set(key, group);
  }
  for (const group of groups.values()) group.invocations.sort((a, b) => a - b);
  return [...groups.values()];
}

// Init-time resources are reused across invocations by design; invocation-time ones are the usual
// leak. Saying which is half the diagnosis.
function describeOrigin(group: ResourceGroup): string {
  const byInvocation =
    group.invocations.length === 0
      ? ''
      : `by ${group.invocations.length === 1 ? 'invocation' : 'invocations'} ${group.invocations.join(', ')}`;
  if (group.createdAtInit) {
    const atInit = 'created at init (kept across invocations)';
    return byInvocation ? `${atInit} and ${byInvocation}` : atInit;
  }
  return byInvocation ? `created ${byInvocation}` : 'created by an invocation';
}

/** The lines for `resources`, grouped, each line prefixed with `indent`. */
export function renderResources(resources: readonly Resource[], ctx: ReporterContext, indent: string): string[] {
  const { chalk } = ctx;
  const lines: string[] = [];
  for (const group of groupResources(resources)) {
    const { first } = group;
    const count = group.count > 1 ? chalk.bold(` ×${group.count}`) : '';
    const unref = first.ref ? '' : chalk.dim(" (unref'd)");
    lines.push(`${indent}${chalk.cyan(first.kind)}  ${toSingleLine(first.summary)}${count}${unref}`);
    const where = first.location ? `created at ${formatLocation(first.location)}` : 'created outside your code';
    const via = first.via ? chalk.dim(` via ${toSingleLine(first.via)}`) : '';
    lines.push(`${indent}  ${where}${via}`);
    lines.push(`${indent}  ${chalk.dim(describeOrigin(group))}`);
    if (ctx.verbose) lines.push(...renderStack(first, ctx, `${indent}    `));
  }
  return lines;
}

function renderStack(resource: Resource, ctx: ReporterContext, indent: string): string[] {
  const frames = resource.stack.slice(0, MAX_VERBOSE_FRAMES).map((frame) => {
    const where = formatLocation(frame);
    const text = frame.function ? `at ${toSingleLine(frame.function)} (${where})` : `at ${where}`;
    return `${indent}${ctx.chalk.dim(text)}`;
  });
  const hidden = resource.stack.length - frames.length;
  if (hidden > 0) frames.push(`${indent}${ctx.chalk.dim(`… ${formatCount(hidden, 'more frame')}`)}`);
  return frames;
}
