/**
 * The options of a check, as the programmatic API takes them (the CLI's flags in camelCase),
 * their defaults, and their validation. Anything wrong is a UsageError: one line, exit 2.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from './errors.js';
import { DEFAULT_RUNTIME, RUNTIME_IDS, isRuntimeId } from './runtime-rules.js';
import { RULES } from './analysis/rules.js';
import type { FailOn, FindingCode, RuntimeId, TargetReport } from './types.js';

/** What `onProgress` hears: a target started (with the longest it can wait for deadlines) or ended. */
export type ProgressEvent =
  | { type: 'target-start'; index: number; total: number; target: string; budgetMs: number }
  | { type: 'target-end'; index: number; total: number; target: string; verdict: TargetReport['verdict'] };

export interface CheckOptions {
  /** Handler files or shell-style globs (`src/functions/**\/*.ts`), optionally `file#export`. */
  targets?: string[];
  /** Export name for file targets without `#export`. */
  exportName?: string;
  /** A Lambda handler string (`src/app.handler`), resolved from `taskRoot`. */
  handler?: string;
  taskRoot?: string;
  /** A SAM/CloudFormation template or a Serverless Framework service file (YAML or JSON): every Node.js function in it is checked. */
  template?: string;
  /** Given, it applies to every target; otherwise a template function's own Runtime applies. */
  runtime?: RuntimeId | string;
  /** Function timeout in seconds, 1–900; given, it overrides a template function's Timeout. */
  timeout?: number;
  invocations?: number;
  /** Event payloads, one per invocation; the last repeats. */
  events?: unknown[];
  /**
   * Events for single functions of `template`, by the function's name there (a SAM or
   * CloudFormation logical ID, a serverless.yml function key, a CDK construct path), one per
   * invocation like `events`; a function without an entry gets `events`. A name the template
   * does not have is a usage error (the CLI's `--event Name=<file|json|->`).
   */
  functionEvents?: Record<string, unknown[]>;
  /** How long the environment stays frozen between invocations, in ms. */
  freeze?: number;
  /** Memory size in MB; given, it overrides a template function's MemorySize. */
  memory?: number;
  /** Added to (and winning over) a template function's Environment.Variables. */
  env?: Record<string, string>;
  failOn?: FailOn | string;
  /** Finding codes kept out of the verdict for this run (listed under `suppressed`). */
  ignore?: string[];
  /** Targets checked at once, each in its own child process. Default: the number of cores. */
  jobs?: number;
  /** The Node binary that runs every handler, whatever its runtime (else one of the runtime's major is looked for). */
  node?: string;
  /** Working directory: paths in the report are relative to it. */
  cwd?: string;
  /** Called as targets start and end (the CLI draws its TTY progress line from it). */
  onProgress?: (event: ProgressEvent) => void;
}

export interface ResolvedOptions {
  targets: string[];
  exportName: string;
  handler: string | null;
  taskRoot: string;
  template: string | null;
  runtime: RuntimeId;
  timeoutMs: number;
  invocations: number;
  events: unknown[];
  /** Only names with at least one event; empty without a template. */
  functionEvents: Record<string, unknown[]>;
  freezeMs: number;
  memoryMB: number;
  env: Record<string, string>;
  failOn: FailOn;
  ignore: ReadonlySet<FindingCode>;
  jobs: number;
  cwd: string;
  /** `--node`, absolute. */
  nodePath: string | null;
  /** Which settings the caller gave: those override a template function's own. */
  explicit: { runtime: boolean; timeout: boolean; memory: boolean };
  onProgress: ((event: ProgressEvent) => void) | null;
}

const FAIL_ON: FailOn[] = ['error', 'warning', 'never'];

/** `0`, `5`, `900`: no sign, no leading zero, no fraction, exponent, base prefix, separator or space. */
const PLAIN_DECIMAL = /^(0|[1-9][0-9]*)$/;

/** `--ignore` takes codes one by one or comma-separated; a code the tool does not have is a mistake worth a line. */
function ignoredCodes(values: string[]): ReadonlySet<FindingCode> {
  const codes = values.flatMap((value) => value.split(',')).map((code) => code.trim()).filter(Boolean);
  for (const code of codes) {
    if (!RULES.has(code as FindingCode)) throw new UsageError(`--ignore: unknown finding code '${code}' (see the README's finding codes)`);
  }
  return new Set(codes as FindingCode[]);
}

export function resolveOptions(options: CheckOptions): ResolvedOptions {
  const cwd = options.cwd ?? process.cwd();
  const runtime = options.runtime ?? DEFAULT_RUNTIME;
  if (!isRuntimeId(runtime)) throw new UsageError(`--runtime: unknown runtime '${runtime}': use one of ${RUNTIME_IDS.join(', ')}`);
  const failOn = options.failOn ?? 'error';
  if (!FAIL_ON.includes(failOn as FailOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not '${failOn}'`);
  const targets = options.targets ?? [];
  const template = options.template ?? null;
  if (!options.handler && targets.length === 0 && !template) {
    throw new UsageError('no target given: name a handler file, use --handler <module.export>, or --template <template.yaml>');
  }
  if (options.handler && targets.length > 0) throw new UsageError('give either handler files or --handler, not both');
  const events = options.events && options.events.length > 0 ? options.events : [{}];
  const functionEvents = Object.fromEntries(Object.entries(options.functionEvents ?? {}).filter(([, list]) => Array.isArray(list) && list.length > 0));
  const named = Object.keys(functionEvents);
  if (named.length > 0 && !template) {
    throw new UsageError(`--event ${named[0]}=…: an event for one function needs --template (and no event file '${named[0]}=…' exists)`);
  }
  return {
    targets,
    exportName: options.exportName ?? 'handler',
    handler: options.handler ?? null,
    taskRoot: options.taskRoot ?? cwd,
    template,
    runtime,
    timeoutMs: 1000 * wholeNumber('--timeout', options.timeout ?? 3, 1, 900, 'seconds'),
    invocations: wholeNumber('--invocations', options.invocations ?? 2, 1, 100),
    events,
    functionEvents,
    freezeMs: wholeNumber('--freeze', options.freeze ?? 100, 0, 600_000, 'ms'),
    memoryMB: wholeNumber('--memory', options.memory ?? 128, 128, 10_240, 'MB'),
    env: options.env ?? {},
    failOn: failOn as FailOn,
    ignore: ignoredCodes(options.ignore ?? []),
    // availableParallelism, not cpus().length: it honours CPU affinity and cgroup limits.
    jobs: wholeNumber('--jobs', options.jobs ?? availableParallelism(), 1, 256),
    cwd,
    nodePath: options.node ? resolve(cwd, options.node) : null,
    explicit: { runtime: options.runtime !== undefined, timeout: options.timeout !== undefined, memory: options.memory !== undefined },
    onProgress: options.onProgress ?? null,
  };
}

/**
 * Validates a whole number in a range; `flag` names it in the message (a flag or a template field).
 * Text must be plain decimal digits: Number() would also take `0x5`, `1e0`, `0b1`, ` 5 ` and
 * `5.0`, and a leading zero (`010`) is octal to YAML 1.1, which templates are read as.
 */
export function wholeNumber(flag: string, value: unknown, min: number, max: number, unit = ''): number {
  const number = typeof value === 'string' ? (PLAIN_DECIMAL.test(value) ? Number(value) : Number.NaN) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''}, not '${String(value)}'`);
  }
  return number;
}
