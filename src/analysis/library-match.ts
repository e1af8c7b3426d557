/**
 * Which library a resource belongs to, from its frames (the node_modules package nearest the
 * user's call wins: a pg socket is opened by pg/lib/connection.js, but the user called
 * pg-pool), and where the user created that library's object. The creation line is often not
 * on the resource's stack (a module-scope `new Pool()` opens nothing; the socket comes from
 * `pool.query()` later), so it is looked up in the user's source: the receiver of the call on
 * the user's line, then its `= new Pool(` declaration in the same file.
 */
import type { Resource, SourceLocation, StackFrame } from '../types.js';
import { isLibraryFile, type SourceLines } from './frames.js';
import { LIBRARIES, type Library, type LibraryObject } from './libraries.js';

export interface LibraryMatch {
  library: Library;
  object: LibraryObject;
}

/** The package a node_modules path belongs to: `@aws-sdk/client-dynamodb`, `pg-pool`. */
export function packageOf(file: string): string | null {
  const at = file.lastIndexOf('node_modules/');
  if (at === -1) return null;
  const [first, second] = file.slice(at + 'node_modules/'.length).split('/');
  if (!first) return null;
  return first.startsWith('@') && second ? `${first}/${second}` : first;
}

const ownsPackage = (library: Library, name: string): boolean =>
  library.packages.some((entry) => (entry.endsWith('/') ? name.startsWith(entry) : name === entry));

/** Library frames from the user's call inwards: the first one is the package the user called. */
function libraryFramesNearestUser(stack: StackFrame[]): StackFrame[] {
  const userIndex = stack.findIndex((frame) => !isLibraryFile(frame.file));
  return (userIndex === -1 ? stack : stack.slice(0, userIndex)).filter((frame) => isLibraryFile(frame.file)).reverse();
}

export function matchLibrary(resource: Resource): LibraryMatch | null {
  const files = libraryFramesNearestUser(resource.stack).map((frame) => frame.file);
  // A resource Node created for the library (a connect request) has the library only in `via`,
  // inherited from the resource whose callback created it.
  if (files.length === 0 && resource.via) files.push(resource.via);
  const packages = files.map(packageOf).filter((name) => name !== null);
  for (const name of packages) {
    const library = LIBRARIES.find((candidate) => ownsPackage(candidate, name));
    if (library) return { library, object: objectFor(library, packages, files) };
  }
  // Node's own clients (node:http, fetch's undici) have no frames of their own to show.
  const library = LIBRARIES.find((candidate) => candidate.summary?.test(resource.summary));
  return library ? { library, object: library.objects[0]! } : null;
}

function objectFor(library: Library, packages: string[], files: string[]): LibraryObject {
  const marked = library.objects.find(
    (object) => object.packages?.some((name) => packages.includes(name)) || files.some((file) => object.files?.test(file)),
  );
  return marked ?? library.objects.find((object) => !object.packages && !object.files) ?? library.objects[0]!;
}

const IDENTIFIER_BEFORE_DOT = /([A-Za-z_$][\w$]*)\s*\??\.\s*$/;

/**
 * Where the user created the matched object: the user's own line if it is the creation; the
 * declaration of the call's receiver in that file; else the only creation in the file (or,
 * with no user frame at all, in the handler's file). Null when it cannot be told.
 */
export function findCreationSite(match: LibraryMatch, resource: Resource, read: SourceLines, handlerFile: string | null): SourceLocation | null {
  const { creation } = match.object;
  const at = resource.location;
  if (at) {
    const lines = read(at.file);
    const text = lines?.[at.line - 1];
    if (lines && text !== undefined) {
      const here = creation.exec(text);
      if (here) return { file: at.file, line: at.line, column: here.index + 1 };
      const receiver = IDENTIFIER_BEFORE_DOT.exec(text.slice(0, Math.max(0, at.column - 1)))?.[1];
      if (receiver) {
        // `pool = new Pool(`, `const pool: Pool = new pg.Pool(`, `this.pool = await createPool(`.
        const declaration = new RegExp(`\\b${receiver}\\s*(?::[^=]+)?=\\s*(?:await\\s+)?(?:${creation.source})`);
        const found = findLines(lines, declaration);
        if (found.length > 0) return { file: at.file, ...found[0]! };
      }
    }
  }
  const file = at?.file ?? handlerFile;
  const lines = file ? read(file) : null;
  const found = lines ? findLines(lines, creation) : [];
  return file && found.length === 1 ? { file, ...found[0]! } : null;
}

function findLines(lines: readonly string[], pattern: RegExp): { line: number; column: number }[] {
  const found: { line: number; column: number }[] = [];
  lines.forEach((text, index) => {
    const match = pattern.exec(text);
    // Skip commented-out lines: `// const pool = new Pool()` is no creation.
    if (match && !/^\s*(\/\/|\*)/.test(text)) found.push({ line: index + 1, column: match.index + 1 });
  });
  return found;
}

/** A creation at the top level of its file: made once per environment and reused. */
export function isModuleScope(site: SourceLocation, read: SourceLines): boolean {
  const text = read(site.file)?.[site.line - 1];
  return text !== undefined && !/^\s/.test(text);
}
