/**
 * NODE_PATH for ES modules, as on Lambda (esm-node-path-hooks.ts), set up only once an import
 * has failed to find a package, and the import is then tried again: hooks also sit in every
 * require()'s resolution, and their frames would push the user's line out of the ten frames a
 * "Cannot find module" error keeps, a trace Lambda does not give. Where Node has in-thread hooks
 * (module.registerHooks: 22.15+, 24) they cost nothing; older Nodes (the nodejs18.x and
 * nodejs20.x lines) only have module.register, whose hooks thread costs about 120 ms.
 */
import * as nodeModule from 'node:module';
import { createSyncResolve } from './esm-node-path-hooks.js';

type ModuleApi = {
  registerHooks?: (hooks: { resolve: ReturnType<typeof createSyncResolve> }) => unknown;
  register?: (specifier: URL, options: { data: unknown }) => void;
};
const api = nodeModule as ModuleApi;

let enabled = false;

/** After an import failed to find a package: true if NODE_PATH now applies to ES modules, so that trying again is worth it. */
export function enableNodePathForEsm(): boolean {
  const folders = (process.env.NODE_PATH ?? '').split(':').filter(Boolean);
  if (enabled || folders.length === 0) return false;
  enabled = true;
  try {
    if (typeof api.registerHooks === 'function') api.registerHooks({ resolve: createSyncResolve(folders) });
    else if (typeof api.register === 'function') api.register(new URL('./esm-node-path-hooks.js', import.meta.url), { data: { nodePath: process.env.NODE_PATH } });
    else return false;
    return true;
  } catch {
    // Hooks that cannot be set change nothing but NODE_PATH for ES modules.
    return false;
  }
}
