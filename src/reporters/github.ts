/**
 * GitHub Actions workflow commands, so findings show as annotations on the pull request:
 * `::error file=…,line=…,col=…,title=CODE::message`. Values are escaped as the runner
 * unescapes them (actions/toolkit, command.ts): in the message `%`, CR and LF; in properties
 * also `:` and `,`. Escaped newlines mean handler text can never start a line of its own,
 * so it cannot forge a command (`::add-mask::`, `::stop-commands::`).
 * https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
 */
import type { CheckReport, Severity, TargetReport } from '../types.js';
import { renderFindingDetail } from './finding-detail.js';
import { locateFinding } from './finding-location.js';
import { sanitizeForTerminal } from './sanitize.js';
import { groupRepeatedFindings } from './text-group-findings.js';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

export function renderGithub(report: CheckReport): string {
  const lines = report.results.flatMap(renderTarget);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function renderTarget(result: TargetReport): string[] {
  if (result.verdict === 'skipped') {
    return [toCommand('notice', { title: 'skipped' }, `${result.target}: skipped, ${result.skipReason ?? 'not run'}`)];
  }
  return groupRepeatedFindings(result.findings).map(({ finding, invocations }) => {
    const location = locateFinding(finding, result);
    const properties: Record<string, string> = location
      ? { file: location.file, line: String(location.line), col: String(location.column), title: finding.code }
      : { title: finding.code };
    const where = invocations.length > 0 ? ` (invocation${invocations.length > 1 ? 's' : ''} ${invocations.join(', ')})` : '';
    return toCommand(COMMANDS[finding.severity], properties, `${result.target}${where}: ${renderFindingDetail(finding, null)}`);
  });
}

export function toCommand(command: string, properties: Record<string, string>, message: string): string {
  const rendered = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${command}${rendered ? ` ${rendered}` : ''}::${escapeData(message)}`;
}

/** The runner's escaping, then any other control character as visible text (ESC → `\x1b`). */
export function escapeData(value: string): string {
  return sanitizeForTerminal(value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
