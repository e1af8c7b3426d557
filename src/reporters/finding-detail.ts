import { RULES } from '../analysis/rules.js';
import type { Finding, Resource, SourceLocation } from '../types.js';

/**
 * A finding as plain lines for CI formats (a JUnit failure body, an annotation): the message,
 * where, each resource with its creation site and origin, and the fix. No colour, no escaping:
 * each format escapes for itself.
 */
export function renderFindingDetail(finding: Finding, location: SourceLocation | null): string {
  const lines = [finding.message];
  if (location) lines.push(`at ${formatSite(location)}`);
  for (const resource of finding.resources) lines.push(describeResource(resource));
  const fix = finding.hint || RULES.get(finding.code)?.fix;
  if (fix) lines.push(`fix: ${fix}`);
  return lines.join('\n');
}

function describeResource(resource: Resource): string {
  const count = resource.count && resource.count > 1 ? ` ×${resource.count}` : '';
  const origin = resource.createdIn === 'init' ? 'created at init' : `created by invocation ${resource.invocation ?? '?'}`;
  const site = resource.location ? ` at ${formatSite(resource.location)}` : '';
  const via = resource.via ? ` via ${resource.via}` : '';
  return `  ${resource.kind}${count} ${resource.summary}, ${origin}${site}${via}`;
}

function formatSite(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
