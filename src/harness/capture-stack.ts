/**
 * Creation stacks, captured cheaply and read lazily. Error.captureStackTrace records V8's
 * raw frames; the expensive part (symbolising and formatting) only happens when `.stack`
 * is first read, which we do only for resources that survive to a report.
 */
import { fileURLToPath } from 'node:url';
import type { RawFrame } from '../runner/protocol.js';

export interface StackHolder {
  stack?: unknown;
}

let depth = 30;

export function setCaptureDepth(frames: number): void {
  depth = frames;
}

/**
 * `skipThrough`: a function known to be on the stack; it and every frame above it are left
 * out, so that the frame limit and the cost (about half a microsecond per frame) go to the
 * frames that matter. If it were not on the stack, V8 would capture nothing at all.
 */
export function captureStack(skipThrough: Function = captureStack): StackHolder {
  const holder: StackHolder = {};
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth;
  Error.captureStackTrace(holder, skipThrough);
  Error.stackTraceLimit = previousLimit;
  return holder;
}

const formatted = new WeakMap<StackHolder, RawFrame[]>();

/** Structured frames of a holder, formatted on first use with our own prepareStackTrace. */
export function readFrames(holder: StackHolder, isOwnFile: (file: string) => boolean): RawFrame[] {
  const cached = formatted.get(holder);
  if (cached) return cached;
  const frames = formatFrames(holder, isOwnFile);
  formatted.set(holder, frames);
  return frames;
}

function formatFrames(holder: StackHolder, isOwnFile: (file: string) => boolean): RawFrame[] {
  const previous = Error.prepareStackTrace;
  let sites: unknown;
  Error.prepareStackTrace = (_error, callSites) => callSites;
  try {
    sites = holder.stack;
  } finally {
    Error.prepareStackTrace = previous;
  }
  if (!Array.isArray(sites)) return [];
  const frames: RawFrame[] = [];
  for (const site of sites as NodeJS.CallSite[]) {
    const frame = toRawFrame(site);
    if (frame && !isOwnFile(frame.file)) frames.push(frame);
  }
  return frames;
}

export function toRawFrame(site: NodeJS.CallSite): RawFrame | null {
  let file = site.getFileName() ?? site.getScriptNameOrSourceURL?.() ?? null;
  if (!file || file.startsWith('node:') || !file.includes('/')) return null;
  if (file.startsWith('file://')) file = fileURLToPath(file);
  return {
    function: site.getFunctionName() ?? site.getMethodName() ?? null,
    file,
    line: site.getLineNumber() ?? 0,
    column: site.getColumnNumber() ?? 0,
  };
}
