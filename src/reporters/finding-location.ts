import type { Finding, SourceLocation, TargetReport } from '../types.js';

/**
 * Where a CI system should file a finding: its own location, else its first resource's, else
 * line 1 of the handler's file (an init error without a frame, a runtime exit), so that code
 * scanning and annotations still land on the right file. Null when even the file is unknown.
 */
export function locateFinding(finding: Finding, result: TargetReport): SourceLocation | null {
  if (finding.location) return finding.location;
  const fromResource = finding.resources.find((resource) => resource.location)?.location;
  if (fromResource) return fromResource;
  return result.handlerFile ? { file: result.handlerFile, line: 1, column: 1 } : null;
}
