/** Reading what the CLI is given: events (file, inline JSON or stdin) and environment. */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { UsageError } from './errors.js';

export function readEvents(values: string[]): unknown[] {
  let stdinUsed = false;
  return values.map((value) => {
    if (value === '-') {
      if (stdinUsed) throw new UsageError('--event - (standard input) can be given only once');
      stdinUsed = true;
      return parseJson(readFileSync(0, 'utf8'), 'the event on standard input');
    }
    // A file first (its name may look like JSON, e.g. 1.json); otherwise the value is inline JSON.
    if (existsSync(value) && statSync(value).isFile()) return parseJson(readText(value), `event file '${value}'`);
    const trimmed = value.trim();
    if (/^[[{"]/.test(trimmed) || /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(trimmed)) return parseJson(trimmed, 'the inline --event');
    const text = readText(value);
    return parseJson(text, `event file '${value}'`);
  });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read event file '${file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

export function parseEnvAssignments(values: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env expects KEY=VALUE, not '${value}'`);
    env[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return env;
}

export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --env-file '${file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const env: Record<string, string> = {};
  for (const [number, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new UsageError(`--env-file '${file}' line ${number + 1} is not KEY=VALUE`);
    env[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/** Writes a report file; a path that cannot be written is the user's to fix, so a UsageError. */
export function writeOutputFile(file: string, text: string, flag: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${flag} '${file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
