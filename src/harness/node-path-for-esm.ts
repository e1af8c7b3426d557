/**
 * NODE_PATH for ES modules, as on Lambda (esm-node-path-hooks.ts). Where Node has in-thread
 * hooks (module.registerHooks: 22.15+, 24) they cost nothing and are set before the first
 * import() of the user's code. Older Nodes (the nodejs18.x and nodejs20.x lines) only have
 * module.register, whose hooks thread costs about 120 ms at Init: it is started only once an
 * import has failed to find a package, and the import is then tried again.
 */
import * as nodeModule from 'node:module';
import { createSyncResolve } from './esm-node-path-hooks.js';

type ModuleApi = {
  registerHooks?: (hooks: { resolve: ReturnType<typeof createSyncResolve> }) => unknown;
  register?: (specifier: URL, options: { data: unknown }) => void;
};
const api = nodeModule as ModuleApi;

let inThread = false;
let onHooksThread = false;

function folders(): string[] {
  return (process.env.NODE_PATH ?? '').split(':').filter(Boolean);
}

/** Sets the in-thread hooks where Node has them; true when NODE_PATH now applies to ES modules. */
export function enableNodePathForEsm(): boolean {
  if (!inThread && typeof api.registerHooks === 'function' && folders().length > 0) {
    inThread = true;
    try {
      api.registerHooks({ resolve: createSyncResolve(folders()) });
    } catch {
      // Hooks that cannot be set change nothing but NODE_PATH for ES modules.
    }
  }
  return inThread;
}

/** After an import failed to find a package on a Node without in-thread hooks: true if it is worth trying again. */
export function enableNodePathForEsmLate(): boolean {
  if (inThread || onHooksThread || typeof api.register !== 'function' || folders().length === 0) return false;
  onHooksThread = true;
  try {
    api.register(new URL('./esm-node-path-hooks.js', import.meta.url), { data: { nodePath: process.env.NODE_PATH } });
    return true;
  } catch {
    return false;
  }
}
