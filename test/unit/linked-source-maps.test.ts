import { describe, expect, it } from 'vitest';
import { linkedSourceMaps, resolveSource, sourceMappingUrl, type SourceFiles } from '../../src/analysis/linked-source-maps.js';

/** Files in memory: what the analysis may read. */
const filesOf = (contents: Record<string, string>): SourceFiles => ({
  read: (file) => contents[file] ?? null,
  exists: (file) => Object.hasOwn(contents, file),
});

// One mapping per generated line: line 1 → source 0 line 1, line 2 → source 0 line 5 (column 3).
const MAP = JSON.stringify({ version: 3, sources: ['../src/app.ts'], mappings: 'AAAA;AAIE', names: [] });

describe('sourceMappingUrl', () => {
  it('takes the last comment, and only when it ends the file', () => {
    expect(sourceMappingUrl('a();\n//# sourceMappingURL=inner.js.map\nb();\n//# sourceMappingURL=app.js.map\n')).toBe('app.js.map');
    expect(sourceMappingUrl('a();\n//# sourceMappingURL=inner.js.map\nb();\n')).toBeNull();
    expect(sourceMappingUrl('a();\n//@ sourceMappingURL=old-style.map')).toBe('old-style.map');
    expect(sourceMappingUrl('a();\n')).toBeNull();
  });
});

describe('linked source maps', () => {
  it('maps a bundle through the .map file beside it, sources relative to the map', () => {
    const maps = linkedSourceMaps(filesOf({ '/app/build/app.js': 'x;\ny;\n//# sourceMappingURL=app.js.map\n', '/app/build/app.js.map': MAP }));
    expect(maps.get('/app/build/app.js')?.find(2, 1)).toEqual({ source: '/app/src/app.ts', line: 5, column: 3 });
  });

  it('reads an inline data: URL', () => {
    const inline = `x;\ny;\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(MAP).toString('base64')}\n`;
    const maps = linkedSourceMaps(filesOf({ '/app/build/app.js': inline }));
    expect(maps.get('/app/build/app.js')?.find(1, 1)).toEqual({ source: '/app/src/app.ts', line: 1, column: 1 });
  });

  it('leaves files without a map, with a broken map, and inside node_modules unmapped', () => {
    const maps = linkedSourceMaps(filesOf({
      '/app/plain.js': 'x;\n',
      '/app/broken.js': 'x;\n//# sourceMappingURL=broken.js.map',
      '/app/broken.js.map': '{ not json',
      '/app/node_modules/lib/index.js': 'x;\n//# sourceMappingURL=index.js.map',
      '/app/node_modules/lib/index.js.map': MAP,
    }));
    expect(maps.get('/app/plain.js')).toBeUndefined();
    expect(maps.get('/app/broken.js')).toBeUndefined();
    expect(maps.get('/app/missing.js')).toBeUndefined();
    expect(maps.get('/app/node_modules/lib/index.js')).toBeUndefined();
  });

  it('lets a map the tool made itself win over the file\'s comment', () => {
    const maps = linkedSourceMaps(filesOf({ '/app/x.js': 'x;\n//# sourceMappingURL=x.js.map', '/app/x.js.map': MAP }));
    const own = { find: () => ({ source: '/app/own.ts', line: 9, column: 9 }) };
    maps.set('/app/x.js', own);
    expect(maps.get('/app/x.js')).toBe(own);
  });
});

describe('resolveSource', () => {
  const files = filesOf({ '/project/src/handler.ts': '' });

  it('resolves relative sources against the map and file:// URLs to paths', () => {
    expect(resolveSource('../src/handler.ts', '/project/dist', files)).toBe('/project/src/handler.ts');
    expect(resolveSource('file:///project/src/handler.ts', '/anywhere', files)).toBe('/project/src/handler.ts');
  });

  it('finds a webpack:// source in the nearest directory above the map that has it', () => {
    expect(resolveSource('webpack://shop/./src/handler.ts', '/project/dist/functions', files)).toBe('/project/src/handler.ts');
    expect(resolveSource('webpack:///./src/missing.ts', '/project/dist', files)).toBe('/project/dist/src/missing.ts');
  });
});
