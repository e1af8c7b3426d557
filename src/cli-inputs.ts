/** Reading what the CLI is given: events (file, inline JSON or stdin) and environment. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import { READ_LIMITS, readRegularFile } from './read-regular-file.js';

/** `--event` values: the plain ones for every target, `Name=…` ones for one function of a template each. */
export interface EventInputs {
  events: unknown[];
  /** Per function name (logical ID, serverless.yml key or CDK construct path), in the order given. */
  functionEvents: Record<string, unknown[]>;
}

/**
 * `--event <file|json|->` and `--event <FunctionName>=<file|json|->`. A value is the
 * `Name=` form only when it is neither `-`, nor an existing file (a file named `a=b.json`
 * stays a file), nor inline JSON (`{"k":"a=b"}`), and has a name before its first `=`.
 */
export function readEventInputs(values: string[], standardInput?: string): EventInputs {
  const read = createEventReader(standardInput);
  const events: unknown[] = [];
  const functionEvents: Record<string, unknown[]> = {};
  for (const value of values) {
    const named = splitFunctionEvent(value);
    if (named) (functionEvents[named.name] ??= []).push(read(named.value, `--event ${named.name}=`));
    else events.push(read(value, '--event '));
  }
  return { events, functionEvents };
}

export function readEvents(values: string[]): unknown[] {
  const read = createEventReader(undefined);
  return values.map((value) => read(value, '--event '));
}

/** `Orders=events/order.json` → Orders and the rest; null for a plain value. */
export function splitFunctionEvent(value: string): { name: string; value: string } | null {
  if (value === '-' || isExistingFile(value) || looksLikeJson(value)) return null;
  const eq = value.indexOf('=');
  if (eq <= 0) return null;
  return { name: value.slice(0, eq), value: value.slice(eq + 1) };
}

/** Whether an `--event` value (plain or `Name=-`) asks for standard input, which the caller reads first. */
export function wantsStandardInput(values: string[]): boolean {
  return values.some((value) => value === '-' || splitFunctionEvent(value)?.value === '-');
}

/**
 * Standard input, read without blocking the event loop (so Ctrl-C still ends the CLI) and up to
 * the event cap (`< /dev/zero` must not fill memory).
 */
export async function readStandardInput(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    total += buffer.length;
    if (total > READ_LIMITS.event) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new UsageError(`--event -: standard input is larger than ${READ_LIMITS.event / (1024 * 1024)} MB (Lambda's request payload limit)`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one event; standard input (read beforehand) only once over all of them. `flag` names the option in messages. */
function createEventReader(standardInput: string | undefined): (value: string, flag: string) => unknown {
  let stdinUsed = false;
  return (value, flag) => {
    if (value === '-') {
      if (stdinUsed) throw new UsageError(`${flag}- (standard input) can be given only once`);
      stdinUsed = true;
      if (standardInput === undefined) throw new UsageError(`${flag}-: standard input was not read`);
      return parseJson(standardInput, 'the event on standard input');
    }
    // A file first (its name may look like JSON, e.g. 1.json); otherwise the value is inline JSON.
    if (isExistingFile(value)) return parseJson(readText(value), `event file '${value}'`);
    if (looksLikeJson(value)) return parseJson(value.trim(), `the inline ${flag.trim()}`);
    return parseJson(readText(value), `event file '${value}'`);
  };
}

/** A name that exists and is not a directory (a FIFO or a device named as an event is then refused by the reader, not taken for JSON). */
function isExistingFile(value: string): boolean {
  return existsSync(value) && !statSync(value).isDirectory();
}

function looksLikeJson(value: string): boolean {
  const trimmed = value.trim();
  return /^[[{"]/.test(trimmed) || /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(trimmed);
}

function readText(file: string): string {
  const read = readRegularFile(file, READ_LIMITS.event);
  if (!read.ok) throw new UsageError(`cannot read event file '${file}': ${read.reason}`);
  return read.text;
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
  const read = readRegularFile(file, READ_LIMITS.envFile);
  if (!read.ok) throw new UsageError(`cannot read --env-file '${file}': ${read.reason}`);
  const text = read.text;
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
