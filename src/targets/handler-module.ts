/** Naming helpers shared by file, handler-string and template targets. */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { toRelativePath } from '../analysis/frames.js';

/**
 * The file a handler string names, by the runtime's extension precedence (as the harness's
 * load-handler.ts resolves it), relative to `cwd`; null when none exists (Init will say why).
 */
export function findHandlerModule(taskRoot: string, handler: string, cwd: string): string | null {
  const file = findModuleFile(taskRoot, handler, ['', '.js', '.mjs', '.cjs']);
  return file ? toRelativePath(file, cwd) : null;
}

/** The first of `extensions` that, appended to the module a handler string names, is a file. */
export function findModuleFile(taskRoot: string, handler: string, extensions: string[]): string | null {
  const last = basename(handler);
  if (handler.includes('..') || !last.includes('.')) return null;
  const base = resolve(taskRoot, dirname(handler), last.slice(0, last.indexOf('.')));
  return extensions.map((ext) => base + ext).find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null;
}

/** A function name Lambda would accept (letters, digits, - and _), for AWS_LAMBDA_FUNCTION_NAME. */
export function sanitizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'function';
}
