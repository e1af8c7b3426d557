import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createSourceMapLookup } from '../../src/analysis/source-map.js';

const TS_SOURCE = [
  'interface Event { id: string }', // 1: erased
  'type Result = { ok: boolean };', // 2: erased
  '',
  'export async function handler(event: Event): Promise<Result> {', // 4
  '  const started: number = Date.now();', // 5
  '  setInterval(() => poll(event.id), 1000);', // 6
  '  return { ok: started > 0 };', // 7
  '}',
  '',
  'function poll(id: string): void {', // 10
  "  console.log('polling', id);", // 11
  '}',
  '',
].join('\n');

/** 1-based line and column of the first occurrence of `needle` in the generated code. */
function positionOf(code: string, needle: string): { line: number; column: number } {
  const lines = code.split('\n');
  const line = lines.findIndex((text) => text.includes(needle));
  if (line === -1) throw new Error(`'${needle}' is not in the generated code`);
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

describe('createSourceMapLookup with a source map from esbuild', () => {
  it('maps generated positions back to the TypeScript lines they came from', async () => {
    const result = await transform(TS_SOURCE, { loader: 'ts', format: 'esm', sourcemap: 'external', sourcefile: 'handler.ts' });
    const lookup = createSourceMapLookup(JSON.parse(result.map), (source) => `/work/app/src/${source}`);
    // The erased type lines shift everything up by three lines in the output.
    const cases: Array<[needle: string, line: number, column: number]> = [
      ['setInterval', 6, 3],
      ['Date.now', 5, 27],
      ['return', 7, 3],
      ['console.log', 11, 3],
      ['handler(event)', 4, 23],
    ];
    for (const [needle, line, column] of cases) {
      const at = positionOf(result.code, needle);
      expect(at.line, needle).not.toBe(line);
      expect(lookup.find(at.line, at.column), needle).toEqual({ source: '/work/app/src/handler.ts', line, column });
    }
  });

  it('returns null for a generated line without mappings and for lines past the end', async () => {
    const result = await transform(TS_SOURCE, { loader: 'ts', format: 'esm', sourcemap: 'external', sourcefile: 'handler.ts' });
    const lookup = createSourceMapLookup(JSON.parse(result.map), (source) => source);
    const exportLine = positionOf(result.code, 'export {').line;
    expect(lookup.find(exportLine, 1)).toBeNull();
    expect(lookup.find(result.code.split('\n').length + 5, 1)).toBeNull();
  });
});

describe('createSourceMapLookup with hand-written VLQ mappings', () => {
  // Segments (generated column, source, original line, original column; 0-based, deltas):
  // line 1: AAAA = [0,0,0,0]; ICEC = +4,+1,+2,+1 → [4,1,2,1]
  // line 2: AADD = [0, 1, 2-1, 1-1] → negative line and column deltas, state kept across lines
  // line 3: empty
  // line 4: ADGA = [0, 1-1, 1+3, 0] → negative source delta; UAAK = [10,0,4,5];
  //         C = one-field segment (column 11, no mapping); CAAC = [12,0,4,6]
  // line 5: AAgBA: a two-digit VLQ, original line +16 → 20 (column stays 6: state carries over)
  const map = { sources: ['a.ts', 'b.ts'], mappings: 'AAAA,ICEC;AADD;;ADGA,UAAK,C,CAAC;AAgBA' };
  const lookup = createSourceMapLookup(map, (source) => `/src/${source}`);

  it.each([
    [1, 1, { source: '/src/a.ts', line: 1, column: 1 }],
    [1, 4, { source: '/src/a.ts', line: 1, column: 1 }],
    [1, 5, { source: '/src/b.ts', line: 3, column: 2 }],
    [1, 80, { source: '/src/b.ts', line: 3, column: 2 }],
    [2, 1, { source: '/src/b.ts', line: 2, column: 1 }],
    [4, 1, { source: '/src/a.ts', line: 5, column: 1 }],
    [4, 11, { source: '/src/a.ts', line: 5, column: 6 }],
    [4, 12, { source: '/src/a.ts', line: 5, column: 6 }],
    [4, 13, { source: '/src/a.ts', line: 5, column: 7 }],
    [5, 1, { source: '/src/a.ts', line: 21, column: 7 }],
  ])('line %i column %i maps to %o', (line, column, expected) => {
    expect(lookup.find(line, column)).toEqual(expected);
  });

  it('returns null for a line with no segments and for a line beyond the mappings', () => {
    expect(lookup.find(3, 1)).toBeNull();
    expect(lookup.find(6, 1)).toBeNull();
  });

  it('returns null when a segment names a source index the map does not have', () => {
    // AEAA: source index +2 → 2, but there are only two sources.
    const broken = createSourceMapLookup({ sources: ['a.ts', 'b.ts'], mappings: 'AEAA' }, (source) => source);
    expect(broken.find(1, 1)).toBeNull();
  });

  it('ignores the optional fifth (names) field', () => {
    const named = createSourceMapLookup({ sources: ['a.ts'], mappings: 'AAAAA,GACCC' }, (source) => source);
    expect(named.find(1, 4)).toEqual({ source: 'a.ts', line: 2, column: 2 });
  });

  it('prefixes sourceRoot before resolving each source', () => {
    const seen: string[] = [];
    const rooted = createSourceMapLookup({ sources: ['a.ts'], sourceRoot: 'src/', mappings: 'AAAA' }, (source) => {
      seen.push(source);
      return `/work/app/${source}`;
    });
    expect(seen).toEqual(['src/a.ts']);
    expect(rooted.find(1, 1)?.source).toBe('/work/app/src/a.ts');
  });
});
