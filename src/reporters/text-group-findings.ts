import type { Finding } from '../types.js';

/** A finding as the text report shows it: the same problem seen in several invocations once. */
export interface FindingGroup<F extends Finding = Finding> {
  finding: F;
  invocations: number[];
}

/**
 * A module-scope interval that times out every invocation is one problem, not N: findings with
 * the same code, message and resource sites are shown once with the invocations they hit.
 */
export function groupRepeatedFindings<F extends Finding>(findings: readonly F[]): FindingGroup<F>[] {
  const groups = new Map<string, FindingGroup<F>>();
  for (const finding of findings) {
    const sites = finding.resources.map((r) => `${r.location?.file}:${r.location?.line}:${r.summary}`).join('|');
    const key = `${finding.code}\u0000${finding.message.replace(/invocation \d+/g, '')}\u0000${sites}`;
    const group = groups.get(key);
    if (group && finding.invocation !== null) group.invocations.push(finding.invocation);
    else groups.set(key, { finding, invocations: finding.invocation === null ? [] : [finding.invocation] });
  }
  return [...groups.values()];
}
