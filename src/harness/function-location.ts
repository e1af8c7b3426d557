/**
 * Where a function is defined, for findings about the handler itself (a callback never
 * called, a return value ignored): V8 knows ([[FunctionLocation]]: script id, line, column),
 * and an in-process inspector session reads it. No port is opened, and an in-process
 * session answers synchronously, so this runs at Init and costs a few ms (about 100 ms once
 * with some 400 scripts loaded: enabling the debugger lists every script, the only way from
 * a script id to its URL). docs/node-internals.md has what was verified.
 */
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import type { RawFrame } from '../runner/protocol.js';
import { postSync } from './inspector-sync.js';

/** The function's definition as a raw frame (absolute path, 1-based line and column), or null if V8 does not say. */
export function locateFunction(fn: Function): RawFrame | null {
  // Runtime.evaluate reaches the function only through a global: a random, non-enumerable name, deleted at once.
  const key = `__lambdaHangCheck${Math.random().toString(36).slice(2)}`;
  let session: Session | null = null;
  try {
    Object.defineProperty(globalThis, key, { value: fn, configurable: true, enumerable: false });
    session = new Session();
    session.connect();
    const objectId = postSync<{ result?: { objectId?: string } }>(session, 'Runtime.evaluate', { expression: `globalThis[${JSON.stringify(key)}]` })?.result?.objectId;
    if (!objectId) return null;
    const properties = postSync<{ internalProperties?: Array<{ name: string; value?: { value?: { scriptId: string; lineNumber: number; columnNumber: number } } }> }>(
      session,
      'Runtime.getProperties',
      { objectId, ownProperties: true },
    );
    const location = properties?.internalProperties?.find((property) => property.name === '[[FunctionLocation]]')?.value?.value;
    if (!location) return null;
    let url: string | null = null;
    session.on('Debugger.scriptParsed', (message: { params: { scriptId: string; url: string } }) => {
      if (message.params.scriptId === location.scriptId) url = message.params.url;
    });
    postSync(session, 'Debugger.enable', {});
    postSync(session, 'Debugger.disable', {});
    const file = toPath(url);
    if (!file) return null;
    return { function: fn.name || null, file, line: location.lineNumber + 1, column: location.columnNumber + 1 };
  } catch {
    // No inspector in this Node build, or a handler that broke globalThis: the finding just has no location.
    return null;
  } finally {
    session?.disconnect();
    delete (globalThis as Record<string, unknown>)[key];
  }
}

/** ES modules have file: URLs, CommonJS absolute paths; anything else (eval, node:) is no place in the user's code. */
function toPath(url: string | null): string | null {
  if (!url) return null;
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url.startsWith('/') ? url : null;
}
