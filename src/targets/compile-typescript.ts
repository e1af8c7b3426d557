/**
 * TypeScript handlers are compiled with esbuild before the child loads them, as Lambda
 * deployments do. Relative imports are bundled; packages stay external so they resolve from
 * the project's own node_modules, which is why the output lives under
 * node_modules/.cache next to the project rather than in a temp directory.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

import { UsageError } from '../errors.js';

export interface CompiledHandler {
  /** The JavaScript file the child loads. */
  file: string;
  /** The source map, as JSON, with sources relative to the compiled file's directory. */
  sourceMap: { sources: string[]; mappings: string; sourceRoot?: string };
}

export function isTypeScript(file: string): boolean {
  return /\.(c|m)?ts$/.test(file) && !file.endsWith('.d.ts');
}

export async function compileTypeScript(sourceFile: string, moduleFormat: 'esm' | 'cjs'): Promise<CompiledHandler> {
  const outDir = cacheDirFor(sourceFile);
  const hash = createHash('sha256').update(sourceFile).digest('hex').slice(0, 12);
  const file = join(outDir, `${basename(sourceFile).replace(/\.[^.]+$/, '')}-${hash}${moduleFormat === 'esm' ? '.mjs' : '.cjs'}`);
  let result;
  try {
    // Loaded on first use: start-up time counts, and most targets are JavaScript.
    const { build } = await import('esbuild');
    result = await build({
      entryPoints: [sourceFile],
      outfile: file,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: moduleFormat,
      target: 'node20',
      sourcemap: 'external',
      write: false,
      logLevel: 'silent',
    });
  } catch (error) {
    // A syntax error in the user's TypeScript is a finding of theirs, reported like Node's own.
    const first = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : sourceFile;
    throw new TypeScriptSyntaxError(`${where}: ${first?.text ?? String(error)}`);
  }
  let sourceMap: CompiledHandler['sourceMap'] = { sources: [], mappings: '' };
  for (const output of result.outputFiles) {
    if (output.path.endsWith('.map')) sourceMap = JSON.parse(output.text);
    else writeAtomically(output.path, output.contents);
  }
  return { file, sourceMap };
}

/**
 * Checks running side by side (--jobs, or several CI steps) compile the same file to the same
 * path: written in place, one could truncate it while another's child loads it, which then
 * finds no handler. A rename replaces it whole.
 */
function writeAtomically(path: string, contents: Uint8Array): void {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** Compilation failed: the handler does not parse. Reported as Runtime.UserCodeSyntaxError. */
export class TypeScriptSyntaxError extends Error {}

function cacheDirFor(sourceFile: string): string {
  for (let dir = dirname(resolve(sourceFile)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules')) || existsSync(join(dir, 'package.json'))) {
      const cache = join(dir, 'node_modules', '.cache', 'lambda-hang-check');
      try {
        mkdirSync(cache, { recursive: true });
        return cache;
      } catch {
        break;
      }
    }
    if (dirname(dir) === dir) break;
  }
  const fallback = join(tmpdir(), 'lambda-hang-check');
  try {
    mkdirSync(fallback, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create a directory for compiled TypeScript: ${(error as Error).message}`);
  }
  return fallback;
}
