import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dist = new URL('../../dist/', import.meta.url);

/** Module specifiers a bundle imports, static or dynamic. */
function importsOf(file: string): string[] {
  const code = readFileSync(new URL(file, dist), 'utf8');
  const specifiers = new Set<string>();
  for (const match of code.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm)) {
    specifiers.add((match[1] ?? match[2] ?? match[3])!);
  }
  return [...specifiers];
}

describe('the process boundary in the built package', () => {
  it.each(['harness.js', 'esm-node-path-hooks.js'])("%s, which runs inside the user's process, imports nothing but node: built-ins", (file) => {
    const imports = importsOf(file);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
  });

  it('does not make users install what the CLI bundle carries', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', dist), 'utf8'));
    expect(Object.keys(manifest.dependencies)).not.toContain('commander');
    expect(Object.keys(manifest.dependencies)).not.toContain('chalk');
  });

  it('the CLI bundle carries commander and chalk, loads esbuild only on demand, and the API ships its types', () => {
    const imports = importsOf('cli.js');
    // Bundled: resolving them as packages at every start-up costs time (scripts/build.mjs).
    expect(imports).not.toContain('commander');
    expect(imports).not.toContain('chalk');
    expect(imports).toContain('esbuild');
    expect(readFileSync(new URL('index.d.ts', dist), 'utf8')).toMatch(/types\/index/);
    expect(readFileSync(new URL('types/index.d.ts', dist), 'utf8')).toMatch(/export \{ check \}/);
  });
});
