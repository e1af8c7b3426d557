/**
 * JUnit XML, the format every CI system's test view reads: one `<testsuite>` per target, one
 * `<testcase>` per invocation, a `<failure type="CODE">` per finding at or above `--fail-on`.
 * No timestamps, host names or durations, so two runs of the same handlers give the same file.
 * Findings without an invocation (Init errors, callback handlers) go with the first invocation,
 * the request that would have met them first, and with every request a failed Init was returned to.
 */
import { reaches } from '../analysis/classify.js';
import { RULES } from '../analysis/rules.js';
import type { CheckReport, FailOn, Finding, InvocationReport, TargetReport } from '../types.js';
import type { ReporterContext } from './context.js';
import { locateFinding } from './finding-location.js';
import { renderFindingDetail } from './finding-detail.js';
import { escapeXmlText, openTag } from './xml.js';

interface Suite {
  xml: string[];
  tests: number;
  failures: number;
  skipped: number;
}

export function renderJunit(report: CheckReport, ctx: Pick<ReporterContext, 'failOn'>): string {
  const failOn = ctx.failOn ?? 'error';
  const suites = report.results.map((result) => renderSuite(result, failOn));
  const sum = (key: 'tests' | 'failures' | 'skipped') => suites.reduce((total, suite) => total + suite[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    openTag('testsuites', { name: 'lambda-hang-check', tests: sum('tests'), failures: sum('failures'), errors: 0, skipped: sum('skipped') }),
    ...suites.flatMap((suite) => suite.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function renderSuite(result: TargetReport, failOn: FailOn): Suite {
  const file = result.handlerFile ?? undefined;
  const cases: string[][] = [];
  let failures = 0;
  let skipped = 0;
  if (result.verdict === 'skipped') {
    cases.push([`    ${openTag('testcase', { name: 'skipped', classname: result.target, file })}`,
      `      ${openTag('skipped', { message: result.skipReason ?? 'skipped' }, true)}`, '    </testcase>']);
    skipped++;
  }
  result.invocations.forEach((invocation, i) => {
    // A failed Init fails every request it is returned to, not only the first.
    const metInit = i === 0 || invocation.completedBy === 'init-error';
    const own = result.findings.filter((finding) => finding.invocation === invocation.index || (metInit && finding.invocation === null));
    const failing = own.filter((finding) => reaches(finding.severity, failOn));
    const others = own.filter((finding) => !reaches(finding.severity, failOn));
    const location = failing[0] ? locateFinding(failing[0], result) : null;
    const lines = [`    ${openTag('testcase', { name: `invocation ${invocation.index}`, classname: result.target, file: location?.file ?? file, line: location?.line })}`];
    for (const finding of failing) lines.push(renderFailure(finding, result));
    if (failing.length > 0) failures++;
    else if (invocation.outcome === 'not-run') {
      lines.push(`      ${openTag('skipped', { message: 'not run' }, true)}`);
      skipped++;
    }
    const notes = [describeOutcome(invocation), ...others.map((finding) => `${finding.severity} ${finding.code}: ${finding.message}`)];
    lines.push(`      <system-out>${escapeXmlText(notes.join('\n'))}</system-out>`, '    </testcase>');
    cases.push(lines);
  });
  const properties = [
    ['runtime', result.runtime],
    ['timeoutMs', String(result.timeoutMs)],
    ['memoryMB', String(result.memoryMB)],
    ['verdict', result.verdict],
  ].map(([name, value]) => `      ${openTag('property', { name, value }, true)}`);
  const xml = [
    `  ${openTag('testsuite', { name: result.target, tests: cases.length, failures, errors: 0, skipped, file })}`,
    '    <properties>', ...properties, '    </properties>',
    ...cases.flat(),
    ...(result.output.stdout ? [`    <system-out>${escapeXmlText(result.output.stdout)}</system-out>`] : []),
    ...(result.output.stderr ? [`    <system-err>${escapeXmlText(result.output.stderr)}</system-err>`] : []),
    '  </testsuite>',
  ];
  return { xml, tests: cases.length, failures, skipped };
}

function renderFailure(finding: Finding, result: TargetReport): string {
  const title = RULES.get(finding.code)?.title;
  const body = renderFindingDetail(finding, locateFinding(finding, result));
  return `      ${openTag('failure', { type: finding.code, message: title ? `${finding.code}: ${title}` : finding.code })}${escapeXmlText(body)}</failure>`;
}

function describeOutcome(invocation: InvocationReport): string {
  const error = invocation.error ? ` (${invocation.error.errorType}: ${invocation.error.errorMessage})` : '';
  return `outcome: ${invocation.outcome}${error}`;
}
