/**
 * Finds and loads the handler the way each runtime line does (lambda-runtime-semantics.md
 * section 1): handler-string parsing, extension precedence, CommonJS vs ES module, property
 * paths, and the error types the runtime reports when any of it fails.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HandlerSpec } from '../runner/protocol.js';
import type { RuntimeRules } from '../runtime-rules.js';
import type { ErrorInfo } from '../types.js';
import { toPostedError, wrappedError } from './error-info.js';

export type LoadedHandler = { ok: true; handler: Function; name: string } | { ok: false; error: ErrorInfo; cause?: unknown };

class InitFailure extends Error {
  constructor(readonly info: ErrorInfo, readonly original?: unknown) {
    super(info.errorMessage);
  }
}

const nodeRequire = createRequire(import.meta.url);

export async function loadHandler(spec: HandlerSpec, rules: RuntimeRules): Promise<LoadedHandler> {
  const parsed = spec.mode === 'file' ? parseFileSpec(spec.file, spec.exportPath) : parseHandlerString(spec.taskRoot, spec.handler);
  try {
    if ('error' in parsed) throw new InitFailure(parsed.error);
    const exports = await loadModule(parsed, rules);
    const handler = findHandler(exports, parsed.propertyPath, rules);
    if (!handler) throw notFound(`${parsed.name} is undefined or not exported`);
    if (typeof handler !== 'function') throw notFound(`${parsed.name} is not a function`);
    return { ok: true, handler, name: parsed.name };
  } catch (error) {
    if (error instanceof InitFailure) return { ok: false, error: error.info, cause: error.original };
    return { ok: false, error: toPostedError(error, rules.errorFormat), cause: error };
  }
}

interface ParsedHandler {
  /** The handler as the runtime names it in messages (`app.handler`). */
  name: string;
  propertyPath: string[];
  /** Candidate files in the runtime's order, or an exact file for file targets. */
  exactFile?: string;
  moduleBase?: string;
  taskRoot?: string;
  moduleDir?: string;
  moduleName?: string;
}

function notFound(message: string): InitFailure {
  return new InitFailure({ errorType: 'Runtime.HandlerNotFound', errorMessage: message, trace: [] });
}

function malformed(message: string): { error: ErrorInfo } {
  return { error: { errorType: 'Runtime.MalformedHandlerName', errorMessage: message, trace: [] } };
}

function parseFileSpec(file: string, exportPath: string): ParsedHandler {
  const moduleName = basename(file).replace(/\.[^.]*$/, '');
  return { name: `${moduleName}.${exportPath}`, propertyPath: exportPath.split('.'), exactFile: file };
}

/** `_HANDLER` parsing: `..` anywhere is rejected, the last segment splits at its first dot. */
export function parseHandlerString(taskRoot: string, handler: string): ParsedHandler | { error: ErrorInfo } {
  if (handler.includes('..')) {
    return malformed(`'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const moduleDir = dirname(handler);
  const last = basename(handler);
  const dot = last.indexOf('.');
  if (dot === -1) return malformed('Bad handler');
  const moduleName = last.slice(0, dot);
  return {
    name: handler,
    propertyPath: last.slice(dot + 1).split('.'),
    moduleBase: resolve(taskRoot, moduleDir, moduleName),
    taskRoot,
    moduleDir,
    moduleName,
  };
}

async function loadModule(parsed: ParsedHandler, rules: RuntimeRules): Promise<unknown> {
  try {
    if (parsed.exactFile) return await loadFile(parsed.exactFile, rules);
    const base = parsed.moduleBase!;
    for (const extension of ['', '.js', '.mjs', '.cjs']) {
      const file = base + extension;
      if (isFile(file)) return await loadFile(file, rules);
    }
    // Last resort, as both clients do: Node resolution of the bare name (a handler in a package).
    const paths = [parsed.taskRoot!, resolve(parsed.taskRoot!, parsed.moduleDir!)];
    return nodeRequire(nodeRequire.resolve(parsed.moduleName!, { paths }));
  } catch (error) {
    throw classifyLoadError(error);
  }
}

/** The runtime wraps syntax errors and missing CommonJS modules; everything else passes through. */
function classifyLoadError(error: unknown): unknown {
  if (error instanceof InitFailure) return error;
  if (error instanceof SyntaxError) return new InitFailure(wrappedError('Runtime.UserCodeSyntaxError', error), error);
  if ((error as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND') {
    return new InitFailure(wrappedError('Runtime.ImportModuleError', error), error);
  }
  return error;
}

async function loadFile(file: string, rules: RuntimeRules): Promise<unknown> {
  if (rules.requiresCommonJs && isCommonJs(file)) return nodeRequire(file);
  return import(pathToFileURL(file).href);
}

function isCommonJs(file: string): boolean {
  const extension = extname(file);
  if (extension === '.cjs') return true;
  if (extension === '.mjs') return false;
  if (extension !== '.js') return true;
  return !hasTypeModule(dirname(file));
}

/** The nearest package.json decides; the walk stops at node_modules or the root. */
function hasTypeModule(directory: string): boolean {
  for (let dir = directory; ; dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') return false;
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function findHandler(exports: unknown, path: string[], rules: RuntimeRules): unknown {
  const walk = (root: unknown): unknown => {
    let value = root;
    for (const key of path) {
      if (value === null || value === undefined) return undefined;
      // 4.x only descends through objects; the legacy client goes through functions too.
      if (!rules.resolvesThroughFunctions && typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
  const found = walk(exports);
  if (found || rules.legacy) return found;
  // 4.x loads CommonJS through import(): the exports may only be on the namespace's default.
  return walk((exports as { default?: unknown } | null)?.default);
}
