/**
 * The orchestrator and public API: options → targets → run each in its own child →
 * analyse → one report. Never writes to stdout/stderr, never sets the exit code.
 */
import { existsSync, realpathSync } from 'node:fs';
import { READ_LIMITS, readRegularFile } from './read-regular-file.js';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify } from './analysis/classify.js';
import type { FrameContext } from './analysis/frames.js';
import { linkedSourceMaps, type SourceFiles } from './analysis/linked-source-maps.js';
import { createSourceMapLookup } from './analysis/source-map.js';
import { resolveOptions, type CheckOptions, type ProgressEvent, type ResolvedOptions } from './options.js';
import { buildLambdaEnv, functionArn, nodeArgsFor } from './runner/lambda-env.js';
import { createNodeLocator, runtimeSdkPrefix, type NodeBinary } from './runner/node-binary.js';
import { runEnvironment } from './runner/run-environment.js';
import { metFailedInit } from './runner/run-record.js';
import type { RunRecord } from './runner/run-record.js';
import { RUNTIME_RULES } from './runtime-rules.js';
import { TypeScriptSyntaxError } from './targets/compile-typescript.js';
import { compileTarget, resolveTargets, type ResolvedTarget } from './targets/resolve-target.js';
import { UsageError } from './errors.js';
import type { CheckReport, TargetReport } from './types.js';
import { mapWithConcurrency } from './map-with-concurrency.js';

export type { CheckOptions, ProgressEvent } from './options.js';
export type * from './types.js';

const HARNESS_FILE = fileURLToPath(new URL('./harness.js', import.meta.url));
const VERSION: string = createRequire(import.meta.url)('../package.json').version;

/** Checks each target under Lambda's rules and returns the report (the JSON report's shape). */
export async function check(options: CheckOptions): Promise<CheckReport> {
  const resolved = resolveOptions(options);
  const targets = resolveTargets(resolved);
  const locateNode = createNodeLocator(resolved.nodePath);
  // The folder standing for /var/runtime/node_modules: looked up once, not per target.
  const runtimeModules = existingDir(join(runtimeSdkPrefix(), 'node_modules'));
  const total = targets.length;
  const emit = (event: ProgressEvent): void => {
    try {
      resolved.onProgress?.(event);
    } catch {
      // A failing progress listener must not abandon targets whose children are still running.
    }
  };
  // Each target runs in its own child with its own deadline, so a hanging one holds only its slot.
  const results = await mapWithConcurrency(
    targets.map((target, index) => ({ target, index: index + 1 })),
    resolved.jobs,
    async ({ target, index }) => {
      if (target.skipped) {
        emit({ type: 'target-end', index, total, target: target.display, verdict: 'skipped' });
        return skippedReport(target);
      }
      const { invocations, freezeMs } = resolved;
      const budgetMs = invocations * target.settings.timeoutMs + (invocations - 1) * freezeMs;
      emit({ type: 'target-start', index, total, target: target.display, budgetMs });
      const result = { ...(await checkTarget(target, resolved, locateNode(target.settings.runtime), runtimeModules)), handlerFile: target.handlerFile };
      emit({ type: 'target-end', index, total, target: target.display, verdict: result.verdict });
      return result;
    },
  );
  refuseMissingRuntimeSdk(results);
  return { schemaVersion: 1, tool: { name: 'lambda-hang-check', version: VERSION }, node: process.version, results };
}

/**
 * Lambda's Node.js runtimes provide the AWS SDK v3 (/var/runtime/node_modules): a handler that
 * imports it without installing it works there. Without it here, Init fails where Lambda's
 * would not, and an INIT_ERROR would be a false failure: the check could not run (exit 2).
 */
function refuseMissingRuntimeSdk(results: TargetReport[]): void {
  const missing = results.flatMap((result) => {
    const name = /Cannot find (?:module|package) '(@aws-sdk\/[\w.-]+)/.exec(result.init.error?.errorMessage ?? '')?.[1];
    return name ? [{ target: result.target, runtime: result.runtime, name }] : [];
  });
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((entry) => entry.name))].join(',');
  const runtimes = [...new Set(missing.map((entry) => entry.runtime))].join(' ');
  const [first] = missing;
  const others = missing.length > 1 ? ` (and ${missing.length - 1} more target${missing.length > 2 ? 's' : ''})` : '';
  throw new UsageError(
    `${first!.target} imports ${first!.name}, which ${first!.runtime} provides on Lambda but this machine does not have${others}: run \`npx lambda-hang-check install-runtime ${runtimes} --aws-sdk ${names}\` once, or install it in the project, to check it`,
  );
}

/** A template function that is not a Node.js function with local code: listed with the reason. */
function skippedReport(target: ResolvedTarget): TargetReport {
  const { settings, skipped } = target;
  return {
    target: target.display,
    runtime: skipped!.runtime,
    timeoutMs: settings.timeoutMs,
    memoryMB: settings.memoryMB,
    verdict: 'skipped',
    skipReason: skipped!.reason,
    init: { ok: false, durationMs: 0, error: null },
    invocations: [],
    findings: [],
    output: { stdout: '', stderr: '', truncated: false },
    timeline: [],
    handlerFile: target.handlerFile,
  };
}

async function checkTarget(target: ResolvedTarget, options: ResolvedOptions, node: NodeBinary, runtimeModules: string | null): Promise<TargetReport> {
  // One read per file and target: a plain handler file is read for a sourceMappingURL, for the
  // line a library object is created on and for suppression comments.
  const read = readOnce();
  const sourceMaps = linkedSourceMaps({ read, exists: existsSync });
  const { runtime, timeoutMs, memoryMB, env } = target.settings;
  const info = { target: target.display, runtime, timeoutMs, memoryMB, naming: target.naming, today: new Date().toISOString().slice(0, 10), node: { version: node.version, matches: node.matches } };
  const ctx: FrameContext = { cwd: options.cwd, sourceMaps, isOwnFile: (file) => file === HARNESS_FILE, readSource: read, handlerFile: target.handlerFile };
  let run: RunRecord;
  try {
    const { target: ready, compiled } = await compileTarget(target);
    if (compiled) {
      const base = dirname(compiled.file);
      const lookup = createSourceMapLookup(compiled.sourceMap, (source) => resolve(base, source));
      sourceMaps.set(compiled.file, lookup);
      // Node names a module by its real path: under a symlinked node_modules (a monorepo's, a
      // shared install) the compiled file's frames carry that path, not the one we wrote to.
      const real = realpathOrNull(compiled.file);
      if (real && real !== compiled.file) sourceMaps.set(real, lookup);
    }
    run = await runEnvironment({
      execPath: node.path,
      nodeArgs: nodeArgsFor(RUNTIME_RULES[runtime].nodeFlags, memoryMB, node.flags),
      harnessFile: HARNESS_FILE,
      env: buildLambdaEnv({
        runtime,
        functionName: ready.functionName,
        handler: ready.handlerString,
        taskRoot: ready.taskRoot,
        memoryMB,
        userEnv: env,
        layers: target.settings.layers ?? [],
        runtimeModules,
      }),
      cwd: ready.taskRoot,
      config: { runtime, spec: ready.spec, ownFiles: [HARNESS_FILE], stackDepth: 30 },
      timeoutMs,
      invocations: options.invocations,
      events: target.events ?? options.events,
      freezeMs: options.freezeMs,
      functionArn: functionArn(ready.functionName),
    });
  } catch (error) {
    if (!(error instanceof TypeScriptSyntaxError)) throw error;
    run = syntaxErrorRun(error, options.invocations);
  }
  return classify(run, info, ctx, options.failOn, options.ignore);
}

/** The user's files as the analysis reads them (by absolute path; null when unreadable), each at most once. */
function readOnce(): SourceFiles['read'] {
  const texts = new Map<string, string | null>();
  return (file) => {
    if (!texts.has(file)) {
      // A frame's URL or a sourceURL comment can name anything (/dev/zero, a FIFO): then no source.
      const read = readRegularFile(file, READ_LIMITS.source);
      texts.set(file, read.ok ? read.text : null);
    }
    return texts.get(file)!;
  };
}

/** A TypeScript file that does not compile fails Init the way a JavaScript syntax error does. */
function syntaxErrorRun(error: TypeScriptSyntaxError, invocations: number): RunRecord {
  const where = /^(.+?):(\d+):(\d+): /.exec(error.message);
  const init: RunRecord['init'] = {
    ok: false,
    durationMs: 0,
    error: {
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: `SyntaxError: ${error.message}`,
      trace: where ? [`SyntaxError: ${error.message}`, `    at ${resolve(where[1]!)}:${where[2]}:${where[3]}`] : [],
    },
    timedOut: false,
  };
  return {
    init,
    shape: null,
    invocations: Array.from({ length: invocations }, (_, i) => metFailedInit(i + 1, 1, init)),
    processErrors: [],
    executions: [],
    timeline: [],
    output: { stdout: '', stderr: '', truncated: false },
  };
}

function realpathOrNull(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}

function existingDir(dir: string): string | null {
  return existsSync(dir) ? dir : null;
}
