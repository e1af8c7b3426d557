/**
 * Module-resolution hooks for the handler's process: an ES module's bare import that Node's
 * own resolution cannot find is looked for in NODE_PATH's folders, as Lambda's Node.js runtimes
 * (18 and later) do, "to include the AWS SDK as an ES module or load ES modules from Lambda
 * layers" (AWS's Node.js 18 runtime launch notes). Node's ES module loader ignores NODE_PATH.
 * The same rule serves Node's in-thread hooks (module.registerHooks, synchronous) and, on Nodes
 * without them, the hooks thread of module.register (asynchronous). node: imports only.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

/** Where to try a bare specifier once Node's own resolution failed: [specifier, context] pairs. */
export function nodePathAttempts(folders: string[], specifier: string, context: ResolveContext): Array<[string, ResolveContext]> {
  if (/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier)) return [];
  return folders.flatMap((folder): Array<[string, ResolveContext]> => {
    // A `…/node_modules` folder holds packages: resolve as if imported from beside it, so that
    // package.json `exports` apply. Another folder (the task root) holds files: `lib/db.mjs` is
    // `<folder>/lib/db.mjs`, as CommonJS reads NODE_PATH.
    if (basename(folder) === 'node_modules') return [[specifier, { ...context, parentURL: pathToFileURL(join(dirname(folder), 'lambda-node-path.js')).href }]];
    const file = join(folder, specifier);
    return existsSync(file) ? [[pathToFileURL(file).href, context]] : [];
  });
}

const isNotFound = (error: unknown): boolean => (error as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND';

export function createSyncResolve(folders: string[]) {
  return (specifier: string, context: ResolveContext, nextResolve: (specifier: string, context?: ResolveContext) => Resolved): Resolved => {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      for (const [candidate, candidateContext] of nodePathAttempts(folders, specifier, context)) {
        try {
          return nextResolve(candidate, candidateContext);
        } catch {
          // Not in this folder: the next one, then Node's own error.
        }
      }
      throw error;
    }
  };
}

// For module.register: the hooks thread loads this file and calls these.
let folders: string[] = [];

export function initialize(data: { nodePath?: string } | undefined): void {
  folders = (data?.nodePath ?? '').split(':').filter(Boolean);
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: (specifier: string, context?: ResolveContext) => Promise<Resolved>): Promise<Resolved> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    for (const [candidate, candidateContext] of nodePathAttempts(folders, specifier, context)) {
      try {
        return await nextResolve(candidate, candidateContext);
      } catch {
        // Not in this folder: the next one, then Node's own error.
      }
    }
    throw error;
  }
}
