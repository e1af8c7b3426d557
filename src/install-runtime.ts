/**
 * `lambda-hang-check install-runtime <runtime...>`: puts a Node of each runtime's major into the
 * tool's cache, from the npm registry (the node-<os>-<arch> packages ship Node's own binary), so
 * that later checks run each handler on the Node its runtime has on Lambda. Idempotent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { cacheRoot, cachedNodePath, createNodeLocator, nodePackageName, runtimeSdkPrefix } from './runner/node-binary.js';
import { RUNTIME_IDS, isRuntimeId, majorOf } from './runtime-rules.js';
import type { RuntimeId } from './types.js';

export interface InstalledRuntime {
  runtime: string;
  nodePath: string;
  version: string;
  /** Whether this call downloaded it (false: a Node of that major was there already). */
  installed: boolean;
}

/**
 * The AWS SDK v3 packages the runtimes provide (`@aws-sdk/client-lambda` …), into the folder that
 * stands for /var/runtime/node_modules: npm's newest v3 release, which may be newer than the one a
 * runtime bundles (AWS lists those as "Runtime-included SDK versions").
 */
export function installRuntimeSdk(packages: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  for (const name of packages) {
    if (!/^@aws-sdk\/[a-z0-9][\w.-]*$/.test(name)) throw new UsageError(`install-runtime --aws-sdk: '${name}' is not an AWS SDK v3 package (@aws-sdk/…)`);
  }
  if (packages.length === 0) return [];
  const prefix = runtimeSdkPrefix(env);
  npmInstall(prefix, packages.map((name) => `${name}@3`), env, `the AWS SDK packages ${packages.join(', ')}`);
  return packages.map((name) => {
    const version = (JSON.parse(readFileSync(join(prefix, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    return `${name}@${version}`;
  });
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
    npmInstall(join(cacheRoot(env), `node-${major}`), [`${nodePackageName()}@${major}`], env, `Node ${major}`);
    if (!existsSync(nodePath)) throw new UsageError(`install-runtime: npm installed ${nodePackageName()}@${major}, but ${nodePath} is not there`);
    installed = true;
  }
  const version = spawnSync(nodePath, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
  return { runtime, nodePath, version, installed };
}

/** `npm install` into a folder of the cache; `what` names it in the one line of a failure. */
function npmInstall(prefix: string, specs: string[], env: NodeJS.ProcessEnv, what: string): void {
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  const npm = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', ...specs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
  if (npm.error) throw new UsageError(`install-runtime: cannot run npm (${(npm.error as NodeJS.ErrnoException).code ?? npm.error.message}): it installs ${what} from the npm registry`);
  if (npm.status !== 0) {
    const why = (npm.stderr || npm.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new UsageError(`install-runtime: npm could not install ${what} into ${prefix}: ${why}`);
  }
}
