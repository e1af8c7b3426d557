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
  it("the harness, which runs inside the user's process, imports nothing but node: built-ins", () => {
    const imports = importsOf('harness.js');
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
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
