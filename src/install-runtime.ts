/**
 * `lambda-hang-check install-runtime <runtime...>`: puts a Node of each runtime's major into the
 * tool's cache, from the npm registry (the node-<os>-<arch> packages ship Node's own binary), so
 * that later checks run each handler on the Node its runtime has on Lambda. Idempotent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';
import { cacheRoot, cachedNodePath, createNodeLocator, majorOf, nodePackageName } from './runner/node-binary.js';
import { RUNTIME_IDS, isRuntimeId } from './runtime-rules.js';
import type { RuntimeId } from './types.js';

export interface InstalledRuntime {
  runtime: string;
  nodePath: string;
  version: string;
  /** Whether this call downloaded it (false: a Node of that major was there already). */
  installed: boolean;
}

export function installRuntimes(runtimes: string[], env: NodeJS.ProcessEnv = process.env): InstalledRuntime[] {
  if (runtimes.length === 0) throw new UsageError(`install-runtime: name at least one runtime (${RUNTIME_IDS.join(', ')})`);
  for (const runtime of runtimes) {
    if (!isRuntimeId(runtime)) throw new UsageError(`install-runtime: unknown runtime '${runtime}': use one of ${RUNTIME_IDS.join(', ')}`);
  }
  const locate = createNodeLocator(null, env);
  return runtimes.map((runtime) => {
    // A Node of that major the checks would find already (the tool's own, PATH, a version manager, the cache) is enough.
    const found = locate(runtime as RuntimeId);
    return found.matches ? { runtime, nodePath: found.path, version: found.version, installed: false } : install(runtime as RuntimeId, env);
  });
}

function install(runtime: RuntimeId, env: NodeJS.ProcessEnv): InstalledRuntime {
  const major = majorOf(runtime);
  const nodePath = cachedNodePath(major, env);
  let installed = false;
  if (!existsSync(nodePath)) {
    const prefix = join(cacheRoot(env), `node-${major}`);
    mkdirSync(prefix, { recursive: true });
    if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
    const npm = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `${nodePackageName()}@${major}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    if (npm.error) throw new UsageError(`install-runtime: cannot run npm (${(npm.error as NodeJS.ErrnoException).code ?? npm.error.message}): it installs Node ${major} from the npm registry`);
    if (npm.status !== 0 || !existsSync(nodePath)) {
      const why = (npm.stderr || npm.stdout).trim().split('\n').slice(-3).join(' / ');
      throw new UsageError(`install-runtime: npm could not install ${nodePackageName()}@${major} into ${dirname(dirname(dirname(nodePath)))}: ${why}`);
    }
    installed = true;
  }
  const version = spawnSync(nodePath, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
  return { runtime, nodePath, version, installed };
}
