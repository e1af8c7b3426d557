import { RULES } from '../analysis/rules.js';
import type { CheckReport, ErrorInfo, Finding, InvocationOutcome, InvocationReport, SuppressedFinding, TargetReport } from '../types.js';
import type { ReporterContext } from './context.js';
import { toIndentedLines, toSingleLine } from './sanitize.js';
import { formatCount, formatLocation, formatSeconds, paintSeverity } from './text-format.js';
import { renderCapturedOutput } from './text-output.js';
import { renderResources } from './text-resources.js';
import { countShownFindings, groupRepeatedFindings } from './text-group-findings.js';
import { renderTimeline } from './text-timeline.js';

export type { ReporterContext } from './context.js';

const INDENT = '  ';
/** A response body is context, not the point: one line of it is enough. */
const MAX_RESPONSE_CHARS = 120;

/**
 * The default, human report: per target the verdict first, then each finding with its resources
 * and a fix, the tail of the handler's output when something failed, and the lifecycle timeline;
 * a one-line summary last.
 */
export function renderText(report: CheckReport, ctx: ReporterContext): string {
  const blocks = report.results.map((result) => renderTarget(result, ctx).join('\n'));
  blocks.push(renderSummary(report, ctx));
  return `${blocks.join('\n\n')}\n`;
}

function renderTarget(result: TargetReport, ctx: ReporterContext): string[] {
  // A skipped target (a template function that is not Node.js) ran nothing: the reason is all there is.
  if (result.verdict === 'skipped') return [renderHeading(result, ctx), `${INDENT}${ctx.chalk.yellow('skipped:')} ${toSingleLine(result.skipReason ?? 'not run')}`];
  const lines = [renderHeading(result, ctx), `${INDENT}${renderOutcomes(result.invocations, ctx)}`];
  if (!result.init.ok) lines.push(`${INDENT}${ctx.chalk.red('init failed')}${formatError(result.init.error)}`);
  // Every request after a failed Init gets its error: said once, not repeated per invocation.
  const metInitError = (invocation: InvocationReport): boolean => !result.init.ok && invocation.completedBy === 'init-error';
  const returned = result.invocations.filter(metInitError).map((invocation) => invocation.index);
  if (returned.length > 0) lines.push(`${INDENT}${formatIndexes(returned)} ${ctx.chalk.red('error')}: the init error, which Lambda returns to each request (it runs Init again for the next)`);
  for (const invocation of result.invocations) if (!metInitError(invocation)) lines.push(...renderInvocationDetail(invocation, ctx));
  for (const group of groupRepeatedFindings(result.findings)) lines.push('', ...renderFinding(group.finding, group.invocations, ctx));
  const suppressed = groupRepeatedFindings(result.suppressed ?? []);
  if (suppressed.length > 0) lines.push('', `${INDENT}${ctx.chalk.dim('suppressed')}`, ...suppressed.map(({ finding }) => `${INDENT}  ${ctx.chalk.dim(describeSuppressed(finding))}`));
  if (ctx.verbose || hasFailure(result)) {
    const output = renderCapturedOutput(result.output, ctx, `${INDENT}  `);
    if (output.length > 0) lines.push('', `${INDENT}${ctx.chalk.bold('output')}`, ...output);
  }
  const timeline = renderTimeline(result.timeline, ctx, `${INDENT}  `, result.findings);
  if (timeline.length > 0) lines.push('', `${INDENT}${ctx.chalk.bold('timeline')}`, ...timeline);
  return lines;
}

function renderHeading(result: TargetReport, ctx: ReporterContext): string {
  const { chalk } = ctx;
  const verdict =
    result.verdict === 'fail'
      ? chalk.bold.red('FAIL')
      : result.verdict === 'pass'
        ? chalk.bold.green('PASS')
        : chalk.bold.yellow('SKIP');
  const settings = `(${result.runtime}, timeout ${formatSeconds(result.timeoutMs)}, ${result.memoryMB} MB)`;
  return `${verdict} ${chalk.bold(toSingleLine(result.target))} ${chalk.dim(settings)}`;
}

function paintOutcome(ctx: ReporterContext, outcome: InvocationOutcome): string {
  if (outcome === 'response') return ctx.chalk.green(outcome);
  if (outcome === 'not-run') return ctx.chalk.dim(outcome);
  return ctx.chalk.red(outcome);
}

/** `3 invocations: #1–#2 response, #3 timeout`: consecutive equal outcomes collapse into a range. */
function renderOutcomes(invocations: readonly InvocationReport[], ctx: ReporterContext): string {
  if (invocations.length === 0) return ctx.chalk.dim('no invocations ran');
  const count = formatCount(invocations.length, 'invocation');
  const runs: { from: number; to: number; outcome: InvocationOutcome }[] = [];
  for (const { index, outcome } of invocations) {
    const last = runs.at(-1);
    if (last && last.outcome === outcome) last.to = index;
    else runs.push({ from: index, to: index, outcome });
  }
  if (runs.length === 1 && invocations.length > 1) return `${count}, all ${paintOutcome(ctx, runs[0]!.outcome)}`;
  const parts = runs.map(({ from, to, outcome }) => `#${from}${to === from ? '' : `–#${to}`} ${paintOutcome(ctx, outcome)}`);
  return `${count}: ${parts.join(', ')}`;
}

/** The message's further lines (a require stack, a code frame) go under it, indented past the report's own lines. */
/** `#1`, `#1–#3`, or `#1, #3` when not consecutive. */
function formatIndexes(indexes: number[]): string {
  const consecutive = indexes.every((index, i) => i === 0 || index === indexes[i - 1]! + 1);
  if (indexes.length > 1 && consecutive) return `#${indexes[0]}–#${indexes.at(-1)}`;
  return indexes.map((index) => `#${index}`).join(', ');
}

function formatError(error: ErrorInfo | null): string {
  return error ? `: ${toSingleLine(error.errorType)}: ${toIndentedLines(error.errorMessage, `${INDENT}    `)}` : '';
}

function renderInvocationDetail(invocation: InvocationReport, ctx: ReporterContext): string[] {
  const label = `${INDENT}#${invocation.index} `;
  if (invocation.error) return [`${label}${ctx.chalk.red('error')}${formatError(invocation.error)}`];
  if (invocation.outcome === 'runtime-exit' && invocation.exitCode !== null) {
    return [`${label}${ctx.chalk.red(`exited with code ${invocation.exitCode}`)}`];
  }
  if (ctx.verbose && invocation.outcome === 'response') {
    return [`${label}${ctx.chalk.dim('response')} ${formatResponse(invocation.response)}`];
  }
  return [];
}

function formatResponse(response: unknown): string {
  // The runtime posts `null` when the handler gave nothing; JSON.stringify(undefined) is undefined.
  const json = JSON.stringify(response) ?? 'null';
  const clipped = json.length > MAX_RESPONSE_CHARS ? `${json.slice(0, MAX_RESPONSE_CHARS)}…` : json;
  return toSingleLine(clipped);
}

function renderFinding(finding: Finding, invocations: number[], ctx: ReporterContext): string[] {
  const { chalk } = ctx;
  // A report from a newer version may carry a code this table does not know: print it without a title.
  const title = RULES.get(finding.code)?.title;
  const invocation =
    invocations.length === 0 ? '' : chalk.dim(` (invocation${invocations.length > 1 ? 's' : ''} ${invocations.join(', ')})`);
  const lines = [
    `${INDENT}${paintSeverity(chalk, finding.severity, finding.severity)}  ${chalk.bold(finding.code)}${title ? `  ${title}` : ''}${invocation}`,
    `${INDENT}  ${toSingleLine(finding.message)}`,
  ];
  const { location } = finding;
  const shownWithResource = location && finding.resources.some((r) => r.location && formatLocation(r.location) === formatLocation(location));
  if (location && !shownWithResource) lines.push(`${INDENT}  at ${formatLocation(location)}`);
  lines.push(...renderResources(finding.resources, ctx, `${INDENT}  `));
  const hint = finding.hint || RULES.get(finding.code)?.fix;
  if (hint) lines.push(`${INDENT}  ${chalk.green('fix:')} ${toSingleLine(hint)}`);
  return lines;
}

/** `PENDING_AT_FREEZE at src/audit.js:9 (in source: the audit may run at the next thaw)`: one line, so accepted findings stay visible without taking room. */
function describeSuppressed(finding: SuppressedFinding): string {
  const where = finding.location ? ` at ${formatLocation(finding.location)}` : '';
  const how = finding.suppression.kind === 'external' ? '--ignore' : `in source${finding.suppression.justification ? `: ${finding.suppression.justification}` : ''}`;
  return toSingleLine(`${finding.code}${where} (${how})`);
}

function hasFailure(result: TargetReport): boolean {
  return (
    result.verdict === 'fail' ||
    !result.init.ok ||
    result.findings.some((finding) => finding.severity === 'error') ||
    result.invocations.some((invocation) => invocation.outcome !== 'response' && invocation.outcome !== 'not-run')
  );
}

/** `2 targets: 1 failed, 1 passed; 3 errors, 1 warning`, findings counted as the blocks above show them. */
export function renderSummary(report: CheckReport, ctx: Pick<ReporterContext, 'chalk'>): string {
  const { chalk } = ctx;
  const { results } = report;
  const verdicts = { fail: 0, pass: 0, skipped: 0 };
  const severities = { error: 0, warning: 0, info: 0 };
  let suppressed = 0;
  // Counted as shown: a finding repeated over invocations is one block above, so it counts once.
  for (const result of results) {
    verdicts[result.verdict] += 1;
    const counts = countShownFindings(result);
    severities.error += counts.error;
    severities.warning += counts.warning;
    severities.info += counts.info;
    suppressed += counts.suppressed;
  }
  const failed = `${verdicts.fail} failed`;
  const passed = `${verdicts.pass} passed`;
  const outcome = [verdicts.fail > 0 ? chalk.red(failed) : failed, verdicts.pass > 0 ? chalk.green(passed) : passed];
  if (verdicts.skipped > 0) outcome.push(chalk.yellow(`${verdicts.skipped} skipped`));
  const counts = [
    severities.error > 0 ? chalk.red(formatCount(severities.error, 'error')) : '',
    severities.warning > 0 ? chalk.yellow(formatCount(severities.warning, 'warning')) : '',
    severities.info > 0 ? chalk.blue(formatCount(severities.info, 'info', 'info')) : '',
  ].filter(Boolean);
  if (suppressed > 0) counts.push(chalk.dim(`${suppressed} suppressed`));
  const findings = counts.length > 0 ? counts.join(', ') : 'no findings';
  return `${chalk.bold(formatCount(results.length, 'target'))}: ${outcome.join(', ')}; ${findings}`;
}
