/**
 * Findings a team has looked at and accepted, kept out of the verdict but not out of the
 * report: `--ignore CODE` for a whole run, or a comment where the finding points,
 *
 *     // lambda-hang-check-ignore PENDING_AT_FREEZE -- the audit may run at the next thaw
 *     setTimeout(audit, 5_000);
 *
 * at the end of the line itself or on a comment line of its own just above. A finding about resources is suppressed only when
 * the comment is at every place it points to (each resource's creation line), so accepting
 * one timer does not hide another that the same finding lists. The codes are named one by
 * one; there is no comment that silences everything.
 */
import type { Finding, FindingCode, SourceLocation, SuppressedFinding, Suppression } from '../types.js';
import type { SourceLines } from './frames.js';

export interface SuppressionContext {
  /** Codes suppressed for the whole run (`--ignore`). */
  ignore: ReadonlySet<FindingCode>;
  /** The target's source lines, by path as findings give it. */
  lines: SourceLines;
}

/** `lambda-hang-check-ignore CODE[, CODE …] [-- reason]`, in any comment style. */
const COMMENT = new RegExp(`lambda-hang-check-ignore\\s+([A-Z_]+(?:\\s*,\\s*[A-Z_]+)*)(?:\\s+--\\s*(.*?))?\\s*(?:\\*/)?\\s*$`);

const COMMENT_ONLY_LINE = /^\s*(\/\/|\/\*|\*)/;

export function splitSuppressed(findings: readonly Finding[], ctx: SuppressionContext): { active: Finding[]; suppressed: SuppressedFinding[] } {
  const active: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const suppression = ctx.ignore.has(finding.code) ? { kind: 'external' as const, justification: '--ignore' } : inSource(finding, ctx.lines);
    if (suppression) suppressed.push({ ...finding, suppression });
    else active.push(finding);
  }
  return { active, suppressed };
}

/** The comment that covers every place the finding points to, or null. */
function inSource(finding: Finding, lines: SourceLines): Suppression | null {
  const places = finding.resources.length > 0 ? finding.resources.map((resource) => resource.location) : [finding.location];
  if (places.length === 0 || places.some((place) => place === null)) return null;
  let justification: string | null = null;
  for (const place of places as SourceLocation[]) {
    const comment = commentAt(place, finding.code, lines);
    if (!comment) return null;
    justification ??= comment.justification;
  }
  return { kind: 'inSource', justification };
}

function commentAt(place: SourceLocation, code: FindingCode, lines: SourceLines): { justification: string | null } | null {
  const text = lines(place.file);
  if (!text) return null;
  const own = text[place.line - 1];
  // The line above counts only when it is a comment of its own: a trailing comment belongs to its line.
  const above = text[place.line - 2];
  for (const line of [own, above !== undefined && COMMENT_ONLY_LINE.test(above) ? above : undefined]) {
    const match = line === undefined ? null : COMMENT.exec(line);
    if (match && match[1]!.split(',').map((name) => name.trim()).includes(code)) return { justification: match[2] || null };
  }
  return null;
}
