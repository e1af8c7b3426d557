/**
 * The options of a check, as the programmatic API takes them (the CLI's flags in camelCase),
 * their defaults, and their validation. Anything wrong is a UsageError: one line, exit 2.
 */
import { cpus } from 'node:os';
import { UsageError } from './errors.js';
import { RUNTIME_IDS, defaultRuntimeFor, isRuntimeId } from './runtime-rules.js';
import type { FailOn, RuntimeId } from './types.js';

export interface CheckOptions {
  /** Handler files, optionally `file#export`. */
  targets?: string[];
  /** Export name for file targets without `#export`. */
  exportName?: string;
  /** A Lambda handler string (`src/app.handler`), resolved from `taskRoot`. */
  handler?: string;
  taskRoot?: string;
  runtime?: RuntimeId | string;
  /** Function timeout in seconds, 1–900. */
  timeout?: number;
  invocations?: number;
  /** Event payloads, one per invocation; the last repeats. */
  events?: unknown[];
  /** How long the environment stays frozen between invocations, in ms. */
  freeze?: number;
  /** Memory size in MB. */
  memory?: number;
  env?: Record<string, string>;
  failOn?: FailOn | string;
  jobs?: number;
  /** Working directory: paths in the report are relative to it. */
  cwd?: string;
}

export interface ResolvedOptions {
  targets: string[];
  exportName: string;
  handler: string | null;
  taskRoot: string;
  runtime: RuntimeId;
  timeoutMs: number;
  invocations: number;
  events: unknown[];
  freezeMs: number;
  memoryMB: number;
  env: Record<string, string>;
  failOn: FailOn;
  jobs: number;
  cwd: string;
}

const FAIL_ON: FailOn[] = ['error', 'warning', 'never'];

export function resolveOptions(options: CheckOptions): ResolvedOptions {
  const cwd = options.cwd ?? process.cwd();
  const runtime = options.runtime ?? defaultRuntimeFor(process.version);
  if (!isRuntimeId(runtime)) throw new UsageError(`--runtime: unknown runtime '${runtime}': use one of ${RUNTIME_IDS.join(', ')}`);
  const failOn = options.failOn ?? 'error';
  if (!FAIL_ON.includes(failOn as FailOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not '${failOn}'`);
  const targets = options.targets ?? [];
  if (!options.handler && targets.length === 0) throw new UsageError('no target given: name a handler file, or use --handler <module.export>');
  if (options.handler && targets.length > 0) throw new UsageError('give either handler files or --handler, not both');
  const events = options.events && options.events.length > 0 ? options.events : [{}];
  return {
    targets,
    exportName: options.exportName ?? 'handler',
    handler: options.handler ?? null,
    taskRoot: options.taskRoot ?? cwd,
    runtime,
    timeoutMs: 1000 * wholeNumber('--timeout', options.timeout ?? 3, 1, 900, 'seconds'),
    invocations: wholeNumber('--invocations', options.invocations ?? 2, 1, 100),
    events,
    freezeMs: wholeNumber('--freeze', options.freeze ?? 100, 0, 600_000, 'ms'),
    memoryMB: wholeNumber('--memory', options.memory ?? 128, 128, 10_240, 'MB'),
    env: options.env ?? {},
    failOn: failOn as FailOn,
    jobs: wholeNumber('--jobs', options.jobs ?? Math.max(1, cpus().length), 1, 256),
    cwd,
  };
}

function wholeNumber(flag: string, value: unknown, min: number, max: number, unit = ''): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''}, not '${String(value)}'`);
  }
  return number;
}
