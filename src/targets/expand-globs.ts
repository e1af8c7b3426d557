/**
 * Shell-style globs for targets, for when the shell did not expand them (quoted in a CI step,
 * or passed through the API): `*`, `?`, `[...]`, `{a,b}` and `**` for any depth. As in bash
 * with globstar, wildcards skip dot-files and `**` does not descend into dot-directories; it
 * also skips node_modules, where handlers never live but thousands of .js files do.
 * Written here rather than taken from a package: the tool's runtime dependencies stay few.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

const GLOB_CHARS = /[*?[{]/;

export function hasGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Absolute paths of the files `pattern` matches under `cwd`, sorted, without duplicates. */
export function expandGlob(pattern: string, cwd: string): string[] {
  const found = new Set<string>();
  for (const expanded of expandBraces(pattern)) {
    const segments = expanded.split('/');
    const root = isAbsolute(expanded) ? '/' : cwd;
    walk(isAbsolute(expanded) ? segments.slice(1) : segments, resolve(root), found);
  }
  return [...found].sort();
}

function walk(segments: string[], dir: string, found: Set<string>): void {
  if (segments.length === 0) return;
  const [segment, ...rest] = segments as [string, ...string[]];
  if (segment === '' || segment === '.') return walk(rest, dir, found);
  if (segment === '**') {
    walk(rest, dir, found);
    for (const entry of list(dir)) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') walk(segments, join(dir, entry.name), found);
    }
    return;
  }
  if (!hasGlob(segment)) {
    const path = join(dir, unescape(segment));
    if (rest.length === 0) {
      if (isFile(path)) found.add(path);
    } else if (isDirectory(path)) walk(rest, path, found);
    return;
  }
  const matcher = toRegExp(segment);
  for (const entry of list(dir)) {
    // A leading dot must be matched literally, as in the shell.
    if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
    if (!matcher.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (rest.length === 0) {
      if (isFile(path)) found.add(path);
    } else if (isDirectory(path)) walk(rest, path, found);
  }
}

/** `a{b,c{d,e}}f` → `abf`, `acdf`, `acef`; a brace without a top-level comma stays literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '{' && depth++ === 0) {
      open = i;
      commas.length = 0;
    } else if (char === ',' && depth === 1) commas.push(i);
    else if (char === '}' && depth > 0 && --depth === 0) {
      if (commas.length === 0) continue;
      const cuts = [open, ...commas, i];
      const before = pattern.slice(0, open);
      const after = pattern.slice(i + 1);
      return cuts.slice(0, -1).flatMap((cut, n) => expandBraces(before + pattern.slice(cut + 1, cuts[n + 1]) + after));
    }
  }
  return [pattern];
}

/** One path segment's glob as a regular expression over a whole name. */
export function toRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === '\\' && i + 1 < segment.length) source += escapeRegExp(segment[++i]!);
    else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function unescape(segment: string): string {
  return segment.replace(/\\(.)/g, '$1');
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
