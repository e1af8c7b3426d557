/**
 * SARIF 2.1.0 for code scanning (GitHub's upload-sarif and others): one rule per finding code,
 * with the rule table's title, description and fix as help; one result per distinct problem,
 * at the user's file and line, sorted by location so the file is stable between runs.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import { RULES } from '../analysis/rules.js';
import type { CheckReport, Finding, Severity, SourceLocation, Suppression, TargetReport } from '../types.js';
import { locateFinding } from './finding-location.js';
import { toSafeJson } from './safe-json.js';
import { groupRepeatedFindings } from './text-group-findings.js';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const RULE_IDS = [...RULES.keys()];

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: unknown[];
  relatedLocations?: unknown[];
  properties: Record<string, unknown>;
  suppressions?: unknown[];
}

export function renderSarif(report: CheckReport): string {
  const results = report.results.flatMap((result) => [
    ...groupRepeatedFindings(result.findings).map(({ finding, invocations }) => toResult(finding, invocations, result)),
    // Accepted findings stay in the log, marked, so code scanning shows them as suppressed rather than fixed.
    ...groupRepeatedFindings(result.suppressed ?? []).map(({ finding, invocations }) => ({
      ...toResult(finding, invocations, result),
      suppressions: [toSuppression(finding.suppression)],
    })),
  ]);
  results.sort(compareResults);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules: RULE_IDS.map(toRule) } },
        // V8 counts columns in UTF-16 code units, as JavaScript strings do.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return toSafeJson(log);
}

function toRule(code: string) {
  const rule = RULES.get(code as Finding['code'])!;
  return {
    id: rule.code,
    name: toPascalCase(rule.code),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.description}\n\nFix: ${rule.fix}`,
      markdown: `**${rule.title}**\n\n${rule.description}\n\n**Fix:** ${rule.fix}`,
    },
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: { tags: ['aws-lambda', 'reliability'], precision: 'high' },
  };
}

function toResult(finding: Finding, invocations: number[], result: TargetReport): SarifResult {
  const location = locateFinding(finding, result);
  const related = finding.resources
    .filter((resource) => resource.location && !sameSite(resource.location, location))
    .map((resource, id) => ({ id, message: { text: resource.summary }, physicalLocation: toPhysicalLocation(resource.location!) }));
  const fix = finding.hint || RULES.get(finding.code)?.fix;
  return {
    ruleId: finding.code,
    ruleIndex: RULE_IDS.indexOf(finding.code),
    level: LEVELS[finding.severity],
    message: { text: `${finding.message} (${result.target})${fix ? `\nFix: ${fix}` : ''}` },
    ...(location ? { locations: [{ physicalLocation: toPhysicalLocation(location) }] } : {}),
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    properties: { target: result.target, runtime: result.runtime, invocations },
  };
}

function toSuppression(suppression: Suppression) {
  return { kind: suppression.kind, status: 'accepted', ...(suppression.justification ? { justification: suppression.justification } : {}) };
}

function toPhysicalLocation(location: SourceLocation) {
  return {
    // Relative to the working directory, which in CI is the checkout: what code scanning resolves against.
    artifactLocation: { uri: location.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
    region: { startLine: Math.max(1, location.line), startColumn: Math.max(1, location.column) },
  };
}

function sameSite(a: SourceLocation, b: SourceLocation | null): boolean {
  return b !== null && a.file === b.file && a.line === b.line && a.column === b.column;
}

/** Sorted by file, line, column, rule and message: the order of targets or of parallel runs never shows. */
function compareResults(a: SarifResult, b: SarifResult): number {
  const key = (result: SarifResult): [string, number, number] => {
    const region = (result.locations?.[0] as { physicalLocation: ReturnType<typeof toPhysicalLocation> } | undefined)?.physicalLocation;
    return [region?.artifactLocation.uri ?? '', region?.region.startLine ?? 0, region?.region.startColumn ?? 0];
  };
  const [fileA, lineA, columnA] = key(a);
  const [fileB, lineB, columnB] = key(b);
  return compare(fileA, fileB) || lineA - lineB || columnA - columnB || compare(a.ruleId, b.ruleId) || compare(a.message.text, b.message.text);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toPascalCase(code: string): string {
  return code.toLowerCase().replace(/(^|_)([a-z])/g, (_match, _sep: string, char: string) => char.toUpperCase());
}
