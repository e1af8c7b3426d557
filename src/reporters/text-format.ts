import type { ChalkInstance } from 'chalk';
import type { Severity, SourceLocation } from '../types.js';
import { toSingleLine } from './sanitize.js';

/** `1 error`, `3 errors`; `plural` defaults to `word + 's'`. */
export function formatCount(count: number, word: string, plural = `${word}s`): string {
  return `${count} ${count === 1 ? word : plural}`;
}

/** `fixtures/x.js:4:3`, sanitised: a file name can carry escape sequences too. */
export function formatLocation(location: SourceLocation): string {
  return toSingleLine(`${location.file}:${location.line}:${location.column}`);
}

/** `3 s`, `2.5 s`: Lambda timeouts are whole seconds, but the report stores milliseconds. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export function paintSeverity(chalk: ChalkInstance, severity: Severity, text: string): string {
  if (severity === 'error') return chalk.red(text);
  if (severity === 'warning') return chalk.yellow(text);
  return chalk.blue(text);
}
