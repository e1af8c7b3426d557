/**
 * A template's functions as targets. Each runs with its own Runtime, Timeout, MemorySize and
 * Environment; a setting given on the command line (or to the API) wins over the template's,
 * and `--env` is added on top of the function's variables.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { isRuntimeId, RUNTIME_IDS } from '../runtime-rules.js';
import { toRelativePath } from '../analysis/frames.js';
import { findHandlerModule, sanitizeName } from './handler-module.js';
import type { ResolvedTarget, TargetSettings } from './resolve-target.js';
import { readTemplateFunctions, type TemplateFunction } from './template/template-functions.js';

export function templateTargets(options: ResolvedOptions): ResolvedTarget[] {
  const file = resolve(options.cwd, options.template!);
  const functions = readTemplateFunctions(file, options.template!);
  checkFunctionEventNames(functions, options);
  return functions.map((fn) => {
    const target = toTarget(fn, options);
    const events = eventsFor(fn, options.functionEvents);
    return events ? { ...target, events } : target;
  });
}

/** The names a per-function event may use: the logical ID (the serverless.yml key), and a CDK construct's path. */
function namesOf(fn: TemplateFunction): string[] {
  return fn.displayName ? [fn.displayName, fn.logicalId] : [fn.logicalId];
}

function eventsFor(fn: TemplateFunction, functionEvents: Record<string, unknown[]>): unknown[] | undefined {
  const name = namesOf(fn).find((candidate) => functionEvents[candidate] !== undefined);
  return name === undefined ? undefined : functionEvents[name];
}

/** A name the template does not have is a typo to point out, not an event to drop silently. */
function checkFunctionEventNames(functions: TemplateFunction[], options: ResolvedOptions): void {
  const known = new Set(functions.flatMap(namesOf));
  const unknown = Object.keys(options.functionEvents).find((name) => !known.has(name));
  if (unknown === undefined) return;
  const listed = functions.map((fn) => namesOf(fn)[0]!).join(', ') || 'none';
  throw new UsageError(`--event ${unknown}=…: --template '${options.template}' has no function '${unknown}'; its functions: ${listed}`);
}

function toTarget(fn: TemplateFunction, options: ResolvedOptions): ResolvedTarget {
  const taskRoot = fn.codeDir ?? resolve(options.cwd);
  const handler = fn.handler ?? '';
  const codePrefix = fn.codeDir ? toRelativePath(fn.codeDir, options.cwd) : '';
  // A CDK asset directory (cdk.out/asset.<hash>) says nothing to the reader: the construct's name does.
  const shownPrefix = codePrefix && codePrefix !== '.' && !fn.displayName ? `${codePrefix}/` : '';
  const shown = fn.handler ? ` (${shownPrefix}${handler})` : '';
  const settings: TargetSettings = {
    runtime: options.runtime,
    timeoutMs: options.explicit.timeout || fn.timeoutS === null ? options.timeoutMs : fn.timeoutS * 1000,
    memoryMB: options.explicit.memory || fn.memoryMB === null ? options.memoryMB : fn.memoryMB,
    env: { ...fn.env, ...options.env },
    layers: fn.layers,
  };
  const base = {
    display: `${fn.displayName ?? fn.logicalId}${shown}`,
    functionName: sanitizeName(fn.functionName),
    handlerString: handler,
    taskRoot,
    naming: { by: 'template' as const, handler },
    settings,
  };
  const skipReason = fn.skipReason ?? runtimeSkipReason(fn, options);
  if (skipReason) {
    return { ...base, spec: { mode: 'handler', taskRoot, handler }, handlerFile: null, skipped: { reason: skipReason, runtime: fn.runtime ?? 'unknown' } };
  }
  if (!options.explicit.runtime && fn.runtime !== null && isRuntimeId(fn.runtime)) settings.runtime = fn.runtime;
  if (fn.entryPoint) {
    // Checked from the TypeScript (or JavaScript) source esbuild would bundle, export named by the handler.
    const exportPath = handler.slice(handler.lastIndexOf('/') + 1).split('.').slice(1).join('.');
    return {
      ...base,
      spec: { mode: 'file', file: fn.entryPoint.file, exportPath },
      ...(/\.(c|m)?ts$/.test(fn.entryPoint.file) ? { typeScriptSource: fn.entryPoint.file } : {}),
      ...(fn.entryPoint.format ? { moduleFormat: fn.entryPoint.format } : {}),
      handlerFile: toRelativePath(fn.entryPoint.file, options.cwd),
    };
  }
  return { ...base, spec: { mode: 'handler', taskRoot, handler }, handlerFile: findHandlerModule(taskRoot, handler, options.cwd) };
}

/** A Node.js runtime whose rules are not modelled (nodejs18.x …) runs only under an explicit --runtime. */
function runtimeSkipReason(fn: TemplateFunction, options: ResolvedOptions): string | null {
  if (options.explicit.runtime || fn.runtime === null || isRuntimeId(fn.runtime)) return null;
  return `runtime ${fn.runtime} is not one this tool models (${RUNTIME_IDS.join(', ')}); pass --runtime to check it under one of them`;
}
