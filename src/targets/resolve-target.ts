/**
 * From what the user named (files, globs, `file#export`, a Lambda handler string, or a
 * template's functions) to what the child loads, with the settings each target runs under.
 * TypeScript is compiled here, in the parent, so the child needs nothing but Node.
 */
import { existsSync, statSync } from 'node:fs';
import { READ_LIMITS, readRegularFile } from '../read-regular-file.js';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import type { HandlerSpec } from '../runner/protocol.js';
import { toRelativePath } from '../analysis/frames.js';
import type { HandlerNaming } from '../analysis/handler-not-found.js';
import type { RuntimeId } from '../types.js';
import { compileTypeScript, isTypeScript, type CompiledHandler } from './compile-typescript.js';
import { expandGlob, hasGlob } from './expand-globs.js';
import { findHandlerModule, sanitizeName } from './handler-module.js';
import { templateTargets } from './template-targets.js';

/** What one target runs under: the options, or a template function's own settings. */
export interface TargetSettings {
  runtime: RuntimeId;
  timeoutMs: number;
  memoryMB: number;
  env: Record<string, string>;
  /** Local directories of a template function's layers, oldest first (what Lambda unpacks into /opt). */
  layers?: string[];
}

export interface ResolvedTarget {
  /** How the report names it: `path#export`, the handler string, or `LogicalId (dir/app.handler)`. */
  display: string;
  spec: HandlerSpec;
  functionName: string;
  /** The `_HANDLER` value the function would have. */
  handlerString: string;
  taskRoot: string;
  /** For TypeScript: the TypeScript file to compile (the compiled output is set by compileTarget()). */
  typeScriptSource?: string;
  /** Module format of the compiled output, when the build says (SAM esbuild `Format`). */
  moduleFormat?: 'esm' | 'cjs';
  /** The handler's file relative to the working directory, when it can be found. */
  handlerFile: string | null;
  settings: TargetSettings;
  /** Events for this target alone (a template function named in `functionEvents`); else the run's events. */
  events?: unknown[];
  /** How the user named the handler: what a suggestion for another export looks like. */
  naming: HandlerNaming;
  /** Listed, not run: a template function that is not a Node.js function with local code. */
  skipped?: { reason: string; runtime: string };
}

const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** Every target in a stable order: files and globs as given (each glob's matches sorted), then the template's functions. */
export function resolveTargets(options: ResolvedOptions): ResolvedTarget[] {
  const targets = options.handler ? [handlerTarget(options)] : options.targets.flatMap((target) => expandTarget(target, options));
  if (options.template) targets.push(...templateTargets(options));
  // A file named and also matched by a glob (`a.js 'src/*.js'`) is checked once, where it came first.
  const seen = new Set<string>();
  return targets.filter((target) => {
    if (seen.has(target.display)) return false;
    seen.add(target.display);
    return true;
  });
}

export function defaultSettings(options: ResolvedOptions): TargetSettings {
  return { runtime: options.runtime, timeoutMs: options.timeoutMs, memoryMB: options.memoryMB, env: options.env };
}

/** A glob becomes one target per matching handler file; `glob#export` applies the export to each. */
function expandTarget(target: string, options: ResolvedOptions): ResolvedTarget[] {
  const hash = target.lastIndexOf('#');
  const path = hash > 0 ? target.slice(0, hash) : target;
  if (!hasGlob(path) || existsSync(resolve(options.cwd, path))) return [fileTarget(target, options)];
  const suffix = hash > 0 ? target.slice(hash) : '';
  const files = expandGlob(path, options.cwd).filter((file) => isHandlerFile(file));
  if (files.length === 0) throw new UsageError(`no handler file matches '${path}'`, `Handler files end in ${HANDLER_EXTENSIONS.join(' ')}.`);
  return files.map((file) => fileTarget(file + suffix, options));
}

function isHandlerFile(file: string): boolean {
  return HANDLER_EXTENSIONS.some((ext) => file.endsWith(ext)) && !/\.d\.[cm]?ts$/.test(file);
}

function handlerTarget(options: ResolvedOptions): ResolvedTarget {
  const taskRoot = resolve(options.cwd, options.taskRoot);
  if (!existsSync(taskRoot) || !statSync(taskRoot).isDirectory()) throw new UsageError(`--task-root '${options.taskRoot}' is not a directory`);
  const handler = options.handler!;
  return {
    display: handler,
    spec: { mode: 'handler', taskRoot, handler },
    functionName: sanitizeName(basename(handler).split('.')[0] || 'function'),
    handlerString: handler,
    taskRoot,
    handlerFile: findHandlerModule(taskRoot, handler, options.cwd),
    naming: { by: 'handler', handler },
    settings: defaultSettings(options),
  };
}

function fileTarget(target: string, options: ResolvedOptions): ResolvedTarget {
  const hash = target.lastIndexOf('#');
  const path = hash > 0 ? target.slice(0, hash) : target;
  const exportPath = hash > 0 ? target.slice(hash + 1) : options.exportName;
  if (!exportPath) throw new UsageError(`empty export name in '${target}'`);
  const file = resolve(options.cwd, path);
  if (!existsSync(file)) throw new UsageError(`target not found: ${path}`);
  const stat = statSync(file);
  if (stat.isDirectory()) throw new UsageError(`target is a directory, not a handler file: ${path}`);
  // A FIFO or a device would block or never end the harness's read of it: Init would time out.
  if (!stat.isFile()) throw new UsageError(`target is not a regular file: ${path}`);
  const extension = HANDLER_EXTENSIONS.find((ext) => file.endsWith(ext));
  if (!extension) throw new UsageError(`not a handler file (expected ${HANDLER_EXTENSIONS.join(' ')}): ${path}`);
  const moduleName = basename(file).slice(0, -extension.length);
  const display = `${toRelativePath(file, options.cwd)}#${exportPath}`;
  return {
    display,
    spec: { mode: 'file', file, exportPath },
    functionName: sanitizeName(moduleName),
    handlerString: `${moduleName}.${exportPath}`,
    taskRoot: dirname(file),
    ...(isTypeScript(file) ? { typeScriptSource: file } : {}),
    handlerFile: toRelativePath(file, options.cwd),
    naming: { by: 'file', file: toRelativePath(file, options.cwd) },
    settings: defaultSettings(options),
  };
}

/** Compiles a TypeScript target; the spec then points at the compiled file. */
export async function compileTarget(target: ResolvedTarget): Promise<{ target: ResolvedTarget; compiled: CompiledHandler | null }> {
  if (!target.typeScriptSource) return { target, compiled: null };
  const source = target.typeScriptSource;
  const compiled = await compileTypeScript(source, target.moduleFormat ?? typeScriptFormat(source));
  const exportPath = target.spec.mode === 'file' ? target.spec.exportPath : 'handler';
  return { target: { ...target, spec: { mode: 'file', file: compiled.file, exportPath } }, compiled };
}

/** .mts is ESM, .cts CommonJS, .ts follows the nearest package.json `type`, as tsc does. */
function typeScriptFormat(file: string): 'esm' | 'cjs' {
  if (file.endsWith('.mts')) return 'esm';
  if (file.endsWith('.cts')) return 'cjs';
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const read = readRegularFile(manifest, READ_LIMITS.source);
        return read.ok && JSON.parse(read.text).type === 'module' ? 'esm' : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    if (dirname(dir) === dir) return 'cjs';
  }
}
