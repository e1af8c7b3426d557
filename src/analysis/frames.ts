/**
 * From raw frames (absolute paths of what ran) to the report's frames: source-mapped,
 * relative to the working directory with POSIX separators, the user's first frame as the
 * location and the library frame it called into as `via`.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { RawFrame, RawResource } from '../runner/protocol.js';
import type { Resource, SourceLocation, StackFrame } from '../types.js';
import type { SourceMapLookup } from './source-map.js';

export interface FrameContext {
  cwd: string;
  /** Source maps by absolute path of the generated file (compiled TypeScript, or a bundle's linked map). */
  sourceMaps: Pick<ReadonlyMap<string, SourceMapLookup>, 'get'>;
  /** The tool's own files (the harness bundle): never the user's frame. */
  isOwnFile: (file: string) => boolean;
  /** The text of a user's source file by absolute path, or null: where a library object was created. */
  readSource?: (file: string) => string | null;
  /** The handler's source file, relative to the working directory. */
  handlerFile?: string | null;
}

/** A source file's lines by its path relative to `cwd`, or null when it cannot be read. */
export type SourceLines = (file: string) => readonly string[] | null;

/** Source lines through `ctx.readSource`, each file read and split once per target. */
export function createSourceLines(ctx: Pick<FrameContext, 'cwd' | 'readSource'>): SourceLines {
  const sources = new Map<string, readonly string[] | null>();
  return (file) => {
    if (!sources.has(file)) sources.set(file, ctx.readSource?.(resolve(ctx.cwd, file))?.split(/\r?\n/) ?? null);
    return sources.get(file)!;
  };
}

export function toRelativePath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file.split(sep).join('/');
  return relative(cwd, file).split(sep).join('/');
}

export function isLibraryFile(file: string): boolean {
  return /(^|\/)node_modules\//.test(file);
}

export function toStackFrames(frames: RawFrame[], ctx: FrameContext): StackFrame[] {
  return frames.filter((frame) => !ctx.isOwnFile(frame.file)).map((frame) => {
    const mapped = ctx.sourceMaps.get(frame.file)?.find(frame.line, frame.column);
    const file = mapped ? mapped.source : frame.file;
    return {
      function: frame.function,
      file: toRelativePath(file, ctx.cwd),
      line: mapped ? mapped.line : frame.line,
      column: mapped ? mapped.column : frame.column,
    };
  });
}

/** The first frame in the user's own code, and the library frame nearest above it. */
export function locate(stack: StackFrame[]): { location: SourceLocation | null; via: string | null } {
  const userIndex = stack.findIndex((frame) => !isLibraryFile(frame.file));
  if (userIndex === -1) {
    const library = stack[0];
    return { location: null, via: library ? libraryRef(library) : null };
  }
  const user = stack[userIndex]!;
  const library = userIndex > 0 ? stack[userIndex - 1] : undefined;
  return {
    location: { file: user.file, line: user.line, column: user.column },
    via: library && isLibraryFile(library.file) ? libraryRef(library) : null,
  };
}

function libraryRef(frame: StackFrame): string {
  const at = frame.file.lastIndexOf('node_modules/');
  return `${at === -1 ? frame.file : frame.file.slice(at)}:${frame.line}`;
}

export function toResource(raw: RawResource, ctx: FrameContext): Resource {
  const stack = toStackFrames(raw.frames, ctx);
  let { location, via } = locate(stack);
  if (!location && raw.parentFrames.length > 0) {
    // Created inside a callback of Node or a library: the user's frame is on its creator's stack.
    const inherited = locate(toStackFrames(raw.parentFrames, ctx));
    location = inherited.location;
    via ??= inherited.via;
  }
  return {
    asyncId: raw.asyncId,
    type: raw.type,
    kind: raw.kind,
    ref: raw.ref,
    createdIn: raw.origin > 0 ? 'invocation' : 'init',
    ...(raw.origin > 0 ? { invocation: raw.origin } : {}),
    summary: raw.summary,
    location,
    via,
    stack,
    ...(raw.count && raw.count > 1 ? { count: raw.count } : {}),
  };
}

const STACK_LINE = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;
const FIRST_LINE_LOCATION = /^(.+?):(\d+)$/;

/** Frames from an error's formatted stack (init errors, process errors). */
export function parseStackText(lines: string[] | undefined): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const [index, line] of (lines ?? []).entries()) {
    const match = STACK_LINE.exec(line);
    if (match) {
      const file = normaliseFile(match[2]!);
      if (file) frames.push({ function: match[1] ?? null, file, line: Number(match[3]), column: Number(match[4]) });
      continue;
    }
    // A SyntaxError's stack starts with `file:line` of the offending code.
    const first = index === 0 ? FIRST_LINE_LOCATION.exec(line) : null;
    const file = first ? normaliseFile(first[1]!) : null;
    if (first && file) frames.push({ function: null, file, line: Number(first[2]), column: 1 });
  }
  return frames;
}

function normaliseFile(file: string): string | null {
  if (file.startsWith('node:') || file.startsWith('internal/')) return null;
  if (file.startsWith('file://')) return decodeURIComponent(file.slice('file://'.length));
  return file.startsWith('/') ? file : null;
}
