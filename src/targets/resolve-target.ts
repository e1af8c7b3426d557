/**
 * From what the user named (a file, `file#export`, or a Lambda handler string) to what the
 * child loads. TypeScript is compiled here, in the parent, so the child needs nothing but Node.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import type { HandlerSpec } from '../runner/protocol.js';
import { toRelativePath } from '../analysis/frames.js';
import { compileTypeScript, isTypeScript, type CompiledHandler } from './compile-typescript.js';

export interface ResolvedTarget {
  /** How the report names it: `path#export` or the handler string. */
  display: string;
  spec: HandlerSpec;
  functionName: string;
  /** The `_HANDLER` value the function would have. */
  handlerString: string;
  taskRoot: string;
  /** For TypeScript: the TypeScript file to compile (the compiled output is set by prepare()). */
  typeScriptSource?: string;
}

const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

export function resolveTargets(options: ResolvedOptions): ResolvedTarget[] {
  if (options.handler) return [handlerTarget(options)];
  return options.targets.map((target) => fileTarget(target, options));
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
  };
}

function fileTarget(target: string, options: ResolvedOptions): ResolvedTarget {
  const hash = target.lastIndexOf('#');
  const path = hash > 0 ? target.slice(0, hash) : target;
  const exportPath = hash > 0 ? target.slice(hash + 1) : options.exportName;
  if (!exportPath) throw new UsageError(`empty export name in '${target}'`);
  const file = resolve(options.cwd, path);
  if (!existsSync(file)) throw new UsageError(`target not found: ${path}`);
  if (statSync(file).isDirectory()) throw new UsageError(`target is a directory, not a handler file: ${path}`);
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
  };
}

/** Compiles a TypeScript target; the spec then points at the compiled file. */
export async function compileTarget(target: ResolvedTarget): Promise<{ target: ResolvedTarget; compiled: CompiledHandler | null }> {
  if (!target.typeScriptSource) return { target, compiled: null };
  const source = target.typeScriptSource;
  const compiled = await compileTypeScript(source, typeScriptFormat(source));
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
        return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module' ? 'esm' : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    if (dirname(dir) === dir) return 'cjs';
  }
}

function sanitizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'function';
}
