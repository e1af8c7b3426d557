/** Reading what the CLI is given: events (file, inline JSON or stdin) and environment. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import { MAX_ASYNC_EVENT_BYTES, MAX_SYNC_EVENT_BYTES } from './payload-limits.js';
import { READ_LIMITS, readRegularFile } from './read-regular-file.js';

/** `--event` values: the plain ones for every target, `Name=…` ones for one function of a template each. */
export interface EventInputs {
  events: unknown[];
  /** Per function name (logical ID, serverless.yml key or CDK construct path), in the order given. */
  functionEvents: Record<string, unknown[]>;
  /** One line each, for stderr: events that only a synchronous invocation accepts. */
  notes: string[];
}

/**
 * `--event <file|json|->` and `--event <FunctionName>=<file|json|->`. A value is the
 * `Name=` form only when it is neither `-`, nor an existing file (a file named `a=b.json`
 * stays a file), nor inline JSON (`{"k":"a=b"}`), and has a name before its first `=`.
 */
export function readEventInputs(values: string[], standardInput?: string): EventInputs {
  const notes: string[] = [];
  const read = createEventReader(standardInput, notes);
  const events: unknown[] = [];
  const functionEvents: Record<string, unknown[]> = {};
  for (const value of values) {
    const named = splitFunctionEvent(value);
    if (named) (functionEvents[named.name] ??= []).push(read(named.value, `--event ${named.name}=`));
    else events.push(read(value, '--event '));
  }
  return { events, functionEvents, notes };
}

export function readEvents(values: string[]): unknown[] {
  const read = createEventReader(undefined, []);
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
    if (total > MAX_SYNC_EVENT_BYTES) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      // Its size is not known: it is read only up to the limit.
      checkEventSize(total, STANDARD_INPUT, []);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const STANDARD_INPUT = 'the event on standard input';

/** Reads one event; standard input (read beforehand) only once over all of them. `flag` names the option in messages. */
function createEventReader(standardInput: string | undefined, notes: string[]): (value: string, flag: string) => unknown {
  let stdinUsed = false;
  const parseEvent = (text: string, what: string): unknown => {
    checkEventSize(Buffer.byteLength(text, 'utf8'), what, notes);
    return parseJson(text, what);
  };
  return (value, flag) => {
    if (value === '-') {
      if (stdinUsed) throw new UsageError(`${flag}- (standard input) can be given only once`);
      stdinUsed = true;
      if (standardInput === undefined) throw new UsageError(`${flag}-: standard input was not read`);
      return parseEvent(standardInput, STANDARD_INPUT);
    }
    // A file first (its name may look like JSON, e.g. 1.json); otherwise the value is inline JSON.
    if (isExistingFile(value)) return parseEvent(readEventFile(value, notes), `event file '${value}'`);
    if (looksLikeJson(value)) return parseEvent(value.trim(), `the inline ${flag.trim()}`);
    return parseEvent(readEventFile(value, notes), `event file '${value}'`);
  };
}

/**
 * The invoker sends the event's bytes as they are: over 6 MB no function can be invoked
 * synchronously with it (Lambda refuses the request, the handler never runs); over 1 MB only
 * a synchronous invocation takes it.
 */
export function checkEventSize(bytes: number, what: string, notes: string[]): void {
  if (bytes > MAX_SYNC_EVENT_BYTES) {
    // Standard input is read only up to one byte past the limit: its size is not known.
    const size = what === STANDARD_INPUT ? '' : `${bytes} bytes, `;
    throw new UsageError(`${what} is ${size}over the ${MAX_SYNC_EVENT_BYTES} bytes (6 MB) Lambda accepts for a synchronous invocation: Lambda would refuse the request before the handler runs`);
  }
  if (bytes > MAX_ASYNC_EVENT_BYTES) {
    notes.push(`${what} is ${bytes} bytes, over the ${MAX_ASYNC_EVENT_BYTES} bytes (1 MB) of an asynchronous invocation: S3, SNS, EventBridge or SQS could not deliver it; checked as a synchronous invocation`);
  }
}

/** An event file too large to send is refused by its size, before it is read. */
function readEventFile(file: string, notes: string[]): string {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readText says why it cannot be read.
  }
  if (size > MAX_SYNC_EVENT_BYTES) checkEventSize(size, `event file '${file}'`, notes);
  return readText(file);
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
