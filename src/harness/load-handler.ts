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
import { enableNodePathForEsm } from './node-path-for-esm.js';

/** `exports`: when the handler was not found, what the module does export there (for the finding, never the posted error). */
export type LoadedHandler = { ok: true; handler: Function; name: string } | { ok: false; error: ErrorInfo; cause?: unknown; exports?: string[] };

/** Export names reported when the handler is not found: enough to spot the right one, bounded for a huge module. */
const MAX_EXPORT_NAMES = 10;

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
    if (typeof handler !== 'function') {
      const message = handler ? `${parsed.name} is not a function` : `${parsed.name} is undefined or not exported`;
      return { ok: false, error: notFound(message).info, exports: listExports(exports, parsed.propertyPath) };
    }
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
  const url = pathToFileURL(file).href;
  try {
    return await import(url);
  } catch (error) {
    // A package only NODE_PATH has (a layer's, the runtime's SDK): with NODE_PATH now applying
    // to ES modules, the module is loaded again under a URL of its own, since Node keeps a
    // failed load. Nothing of it ran: resolution fails before any code is evaluated.
    if ((error as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' && enableNodePathForEsm()) return import(`${url}?node-path`);
    throw error;
  }
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

/**
 * The names the module exports at the level the handler was looked for (`a.b.main` for a
 * path `a.b.handler`), functions first, at most MAX_EXPORT_NAMES, then `…N more`. The
 * exports of CommonJS loaded through import() are on the namespace's `default` too.
 * A getter that throws hides only its own name.
 */
function listExports(exports: unknown, path: string[]): string[] {
  let level = exports;
  const prefix: string[] = [];
  for (const key of path.slice(0, -1)) {
    const next = readKey(level, key);
    if (next === null || (typeof next !== 'object' && typeof next !== 'function')) break;
    level = next;
    prefix.push(key);
  }
  const values = new Map<string, unknown>();
  const collect = (from: unknown): void => {
    if (from === null || (typeof from !== 'object' && typeof from !== 'function')) return;
    let keys: string[] = [];
    try {
      keys = Object.keys(from);
    } catch {
      return;
    }
    // Node 23+ names a CommonJS module's whole exports object 'module.exports' in its namespace.
    for (const key of keys) if (key !== 'module.exports' && !values.has(key)) values.set(key, readKey(from, key));
  };
  collect(level);
  const fallback = values.get('default');
  if (prefix.length === 0 && fallback !== null && typeof fallback === 'object') {
    values.delete('default');
    collect(fallback);
  }
  const names = [...values];
  const ordered = [...names.filter(([, value]) => typeof value === 'function'), ...names.filter(([, value]) => typeof value !== 'function')];
  const shown = ordered.slice(0, MAX_EXPORT_NAMES).map(([name, value]) => `${[...prefix, name].join('.')}${typeof value === 'function' ? '()' : ''}`);
  if (ordered.length > shown.length) shown.push(`…${ordered.length - shown.length} more`);
  return shown;
}

function readKey(from: unknown, key: string): unknown {
  try {
    return (from as Record<string, unknown>)?.[key];
  } catch {
    return undefined;
  }
}
