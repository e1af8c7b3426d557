/**
 * Source maps of the JavaScript that ran, found the way Node's --enable-source-maps finds
 * them: the file's last `//# sourceMappingURL=` comment, an inline `data:` URL or a file
 * beside it. A bundle (esbuild, webpack, a CDK `NodejsFunction` asset, `sam build` output)
 * then reports its findings at the lines of the sources it was built from, and the library
 * code bundled into it at `node_modules/…`, as the user's project has them.
 *
 * Looked up lazily, once per file, and only for files that reach a report. File access comes
 * in through `SourceFiles`, so that this stays free of I/O of its own.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLibraryFile } from './frames.js';
import { createSourceMapLookup, type SourceMapLookup } from './source-map.js';

export interface SourceFiles {
  /** The file's text, or null when it cannot be read. */
  read(file: string): string | null;
  exists(file: string): boolean;
}

export interface SourceMaps {
  get(file: string): SourceMapLookup | undefined;
  /** A map the tool made itself (compiled TypeScript), which wins over any comment. */
  set(file: string, lookup: SourceMapLookup): void;
}

/** How far up from a webpack map a `webpack://…/./src/x.ts` source is looked for (its context is not in the map). */
const WEBPACK_CONTEXT_LEVELS = 6;

export function linkedSourceMaps(files: SourceFiles): SourceMaps {
  const cache = new Map<string, SourceMapLookup | null>();
  return {
    get(file) {
      if (!cache.has(file)) cache.set(file, loadLinkedMap(file, files));
      return cache.get(file) ?? undefined;
    },
    set(file, lookup) {
      cache.set(file, lookup);
    },
  };
}

function loadLinkedMap(file: string, files: SourceFiles): SourceMapLookup | null {
  // A package's own map may name sources outside node_modules and pass its code off as the user's.
  if (isLibraryFile(file)) return null;
  const text = files.read(file);
  const url = text === null ? null : sourceMappingUrl(text);
  if (!url) return null;
  // Sources are relative to the map: the bundle's own directory for an inline one.
  const mapFile = url.startsWith('data:') ? null : resolve(dirname(file), safeDecode(url));
  const map = parseMap(mapFile === null ? decodeDataUrl(url) : files.read(mapFile));
  if (!map) return null;
  const mapDir = dirname(mapFile ?? file);
  return createSourceMapLookup(map, (source) => resolveSource(source, mapDir, files));
}

/** A percent-encoded URL path, or the text as it is when it is not valid percent-encoding. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The last sourceMappingURL comment (a bundle may contain others, from the modules it inlined). */
export function sourceMappingUrl(text: string): string | null {
  const at = Math.max(text.lastIndexOf('//# sourceMappingURL='), text.lastIndexOf('//@ sourceMappingURL='));
  if (at === -1) return null;
  const match = /^\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(text.slice(at));
  return match ? match[1]! : null;
}

function decodeDataUrl(url: string): string | null {
  const comma = url.indexOf(',');
  if (comma === -1) return null;
  const data = url.slice(comma + 1);
  try {
    return url.slice(0, comma).endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
  } catch {
    return null;
  }
}

function parseMap(json: string | null): { sources: string[]; mappings: string; sourceRoot?: string } | null {
  if (json === null) return null;
  try {
    const map = JSON.parse(json);
    // An index map (`sections`) is rare in what runs on Lambda; it is left unmapped.
    if (typeof map?.mappings !== 'string' || !Array.isArray(map.sources)) return null;
    return { sources: map.sources.map(String), mappings: map.mappings, ...(typeof map.sourceRoot === 'string' ? { sourceRoot: map.sourceRoot } : {}) };
  } catch {
    return null;
  }
}

/**
 * A map's source as a path: relative to the map (esbuild, tsc, rollup), a `file://` URL, or
 * webpack's `webpack://<name>/./src/x.ts`, relative to a build context the map does not
 * record: the nearest directory above the map that has the file.
 */
export function resolveSource(source: string, mapDir: string, files: SourceFiles): string {
  if (source.startsWith('file://')) return fileURLToPath(source);
  const webpack = /^webpack:\/\/[^/]*\/(.*)$/.exec(source);
  if (!webpack) return isAbsolute(source) ? source : resolve(mapDir, source);
  const relativePath = webpack[1]!;
  let dir = mapDir;
  for (let level = 0; level <= WEBPACK_CONTEXT_LEVELS; level++) {
    if (files.exists(join(dir, relativePath))) return join(dir, relativePath);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return resolve(mapDir, relativePath);
}
