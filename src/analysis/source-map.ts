/**
 * A small source map (v3) reader: enough to map a generated line/column back to the original
 * file, line and column. Only survivors are mapped, so decoding cost is paid once per map.
 */
export interface OriginalPosition {
  source: string;
  line: number;
  column: number;
}

export interface SourceMapLookup {
  /** 1-based line and column in the generated file, as V8 reports them. */
  find(line: number, column: number): OriginalPosition | null;
}

interface RawSourceMap {
  sources: string[];
  mappings: string;
  sourceRoot?: string;
}

/** [generatedColumn, sourceIndex, originalLine, originalColumn], all 0-based. */
type Segment = [number, number, number, number];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((char, index) => [char, index]));

export function createSourceMapLookup(map: RawSourceMap, resolveSource: (source: string) => string): SourceMapLookup {
  const lines = decodeMappings(map.mappings);
  const sources = map.sources.map((source) => resolveSource((map.sourceRoot ?? '') + source));
  return {
    find(line, column) {
      const segments = lines[line - 1];
      if (!segments || segments.length === 0) return null;
      // The last segment starting at or before the column covers it.
      let best: Segment | undefined;
      for (const segment of segments) {
        if (segment[0] <= column - 1) best = segment;
        else break;
      }
      best ??= segments[0];
      const source = sources[best[1]];
      return source === undefined ? null : { source, line: best[2] + 1, column: best[3] + 1 };
    },
  };
}

function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let sourceIndex = 0;
  let originalLine = 0;
  let originalColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let generatedColumn = 0;
    for (const segmentText of lineText.split(',')) {
      if (!segmentText) continue;
      const fields = decodeVlq(segmentText);
      generatedColumn += fields[0] ?? 0;
      if (fields.length < 4) continue;
      sourceIndex += fields[1]!;
      originalLine += fields[2]!;
      originalColumn += fields[3]!;
      segments.push([generatedColumn, sourceIndex, originalLine, originalColumn]);
    }
    segments.sort((a, b) => a[0] - b[0]);
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let shift = 0;
  let value = 0;
  for (const char of text) {
    const digit = BASE64_VALUE.get(char);
    if (digit === undefined) break;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
