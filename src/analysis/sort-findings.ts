/** Findings in a stable order: invocation (target-wide first), location, then code. */
import type { Finding } from '../types.js';

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.invocation ?? 0) - (b.invocation ?? 0) ||
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
