import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/options.js';
import { expandBraces, expandGlob, hasGlob, toRegExp } from '../../src/targets/expand-globs.js';
import { resolveTargets } from '../../src/targets/resolve-target.js';

const root = mkdtempSync(path.join(tmpdir(), 'lhc-glob-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const files = [
  'src/functions/a/handler.ts',
  'src/functions/b/handler.ts',
  'src/functions/b/types.d.ts',
  'src/functions/c/deep/handler.mjs',
  'src/functions/readme.md',
  'src/functions/.hidden/handler.ts',
  'src/functions/node_modules/dep/index.ts',
  'src/index.js',
  'src/[id].js',
];
for (const file of files) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), '');
}
const glob = (pattern: string) => expandGlob(pattern, root).map((file) => path.relative(root, file));

describe('expandGlob', () => {
  it.each<[string, string[]]>([
    ['src/functions/**/*.ts', ['src/functions/a/handler.ts', 'src/functions/b/handler.ts', 'src/functions/b/types.d.ts']],
    ['src/**/handler.{ts,mjs}', ['src/functions/a/handler.ts', 'src/functions/b/handler.ts', 'src/functions/c/deep/handler.mjs']],
    ['src/functions/?/handler.ts', ['src/functions/a/handler.ts', 'src/functions/b/handler.ts']],
    ['src/functions/[!a]/*.ts', ['src/functions/b/handler.ts', 'src/functions/b/types.d.ts']],
    ['src/*.js', ['src/[id].js', 'src/index.js']],
    ['src/\\[id\\].js', ['src/[id].js']],
    ['src/functions/.hidden/*.ts', ['src/functions/.hidden/handler.ts']],
    ['nowhere/**/*.ts', []],
  ])('%s', (pattern, expected) => {
    expect(glob(pattern)).toEqual(expected);
  });

  it('expands braces, nested, and leaves a brace without a comma alone', () => {
    expect(expandBraces('a{b,c{d,e}}f')).toEqual(['abf', 'acdf', 'acef']);
    expect(expandBraces('a{b}c')).toEqual(['a{b}c']);
    expect(hasGlob('src/app.ts')).toBe(false);
    expect(toRegExp('*.ts').test('x.d.ts')).toBe(true);
  });
});

describe('glob targets', () => {
  it('become one sorted target per handler file (no .d.ts, no node_modules), with the export applied to each', () => {
    const targets = resolveTargets(resolveOptions({ targets: ['src/functions/**/*.{ts,mjs}#main', 'src/index.js'], cwd: root }));
    expect(targets.map((target) => target.display)).toEqual([
      'src/functions/a/handler.ts#main',
      'src/functions/b/handler.ts#main',
      'src/functions/c/deep/handler.mjs#main',
      'src/index.js#handler',
    ]);
  });

  it('that match nothing are a usage error; an existing file whose name looks like a glob is taken as is', () => {
    expect(() => resolveTargets(resolveOptions({ targets: ['src/**/*.py'], cwd: root }))).toThrow(/no handler file matches 'src\/\*\*\/\*\.py'/);
    expect(resolveTargets(resolveOptions({ targets: ['src/[id].js'], cwd: root }))[0]!.display).toBe('src/[id].js#handler');
  });
});
