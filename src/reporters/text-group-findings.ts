import type { Finding, TargetReport } from '../types.js';

/** A finding as the reports show it: the same problem seen in several invocations once. */
export interface FindingGroup<F extends Finding = Finding> {
  /** The first finding of the group; its message gives the range of durations that differ (`401–412 ms`). */
  finding: F;
  invocations: number[];
}

/** A duration in a message: `412 ms`. */
const DURATION = /(\d+(?:\.\d+)?) ms\b/g;

/**
 * A module-scope interval that times out every invocation is one problem, not N: findings with
 * the same code, message and resource sites are shown once with the invocations they hit. The
 * invocation's own number and durations (a response held back 403 ms, then 401 ms) do not
 * make a finding different; the error's type, message and place, or the resources, do.
 */
export function groupRepeatedFindings<F extends Finding>(findings: readonly F[]): FindingGroup<F>[] {
  const groups = new Map<string, { members: F[]; invocations: number[] }>();
  for (const finding of findings) {
    const sites = finding.resources.map((r) => `${r.location?.file}:${r.location?.line}:${r.summary}`).join('|');
    const message = finding.message.replace(/invocation \d+/gi, '').replace(DURATION, '# ms');
    const at = finding.location ? `${finding.location.file}:${finding.location.line}` : '';
    const key = `${finding.code}\u0000${message}\u0000${at}\u0000${sites}`;
    const group = groups.get(key);
    if (group && finding.invocation !== null) {
      group.members.push(finding);
      group.invocations.push(finding.invocation);
    } else if (!group) {
      groups.set(key, { members: [finding], invocations: finding.invocation === null ? [] : [finding.invocation] });
    }
  }
  return [...groups.values()].map(({ members, invocations }) => ({ finding: withDurationRanges(members), invocations }));
}

/** What the reports count: the findings a reader sees, a group repeated over invocations once. */
export function countShownFindings(result: Pick<TargetReport, 'findings' | 'suppressed'>): { error: number; warning: number; info: number; suppressed: number } {
  const counts = { error: 0, warning: 0, info: 0, suppressed: groupRepeatedFindings(result.suppressed ?? []).length };
  for (const { finding } of groupRepeatedFindings(result.findings)) counts[finding.severity] += 1;
  return counts;
}

/** The first finding, with each duration of its message as the range over the group. */
function withDurationRanges<F extends Finding>(members: F[]): F {
  const first = members[0]!;
  if (members.length === 1) return first;
  const series = members.map((member) => [...member.message.matchAll(DURATION)].map((match) => Number(match[1])));
  let position = 0;
  const message = first.message.replace(DURATION, (whole) => {
    const values = series.map((numbers) => numbers[position]).filter((value) => value !== undefined);
    position++;
    const low = Math.min(...values);
    const high = Math.max(...values);
    return low === high ? whole : `${low}–${high} ms`;
  });
  return message === first.message ? first : { ...first, message };
}
