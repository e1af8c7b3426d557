/** Findings in a stable order: invocation (target-wide first), location, then code. */
import type { Finding } from '../types.js';

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.invocation ?? 0) - (b.invocation ?? 0) ||
      compareText(a.location?.file ?? '', b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
      compareText(a.code, b.code),
  );
}

/** Code-unit order, not the locale's: the same report on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
