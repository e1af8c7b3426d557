/**
 * Turns an async resource into the report's words: its kind and a one-line summary with
 * what a person needs to recognise it (peer address, port, pid, period, callback name).
 * Everything here reads Node's objects defensively: a handler may have patched them.
 */
import type { ResourceKind } from '../types.js';

/** async_hooks types that are libuv handles: they keep the loop alive while ref'd and open. */
export const HANDLE_TYPES = new Set([
  'TCPWRAP', 'TCPSERVERWRAP', 'PIPEWRAP', 'PIPESERVERWRAP', 'PROCESSWRAP', 'TTYWRAP', 'UDPWRAP',
  'SIGNALWRAP', 'FSEVENTWRAP', 'STATWATCHER', 'MESSAGEPORT', 'WORKER', 'HTTP2SESSION',
]);

/** async_hooks types that are libuv requests: in flight until their callback runs. */
export const REQUEST_TYPES = new Set([
  'FSREQCALLBACK', 'FSREQPROMISE', 'GETADDRINFOREQWRAP', 'GETNAMEINFOREQWRAP', 'QUERYWRAP',
  'CONNECTWRAP', 'TCPCONNECTWRAP', 'PIPECONNECTWRAP', 'SHUTDOWNWRAP', 'WRITEWRAP', 'SENDWRAP', 'ZLIB',
  'PBKDF2REQUEST', 'RANDOMBYTESREQUEST', 'SCRYPTREQUEST', 'SIGNREQUEST', 'HASHREQUEST',
  'KEYGENREQUEST', 'CIPHERREQUEST', 'DERIVEBITSREQUEST', 'CHECKPRIMEREQUEST', 'RANDOMPRIMEREQUEST',
  'STATWATCHER_REQ', 'JSSTREAM',
]);

export const TIMER_TYPES = new Set(['Timeout', 'Immediate']);

export function isTrackedType(type: string): boolean {
  return TIMER_TYPES.has(type) || HANDLE_TYPES.has(type) || REQUEST_TYPES.has(type);
}

let ownerSymbol: symbol | undefined;

/** The JS object (net.Socket, Server, ChildProcess) that owns a handle wrap. */
export function ownerOf(resource: object): any {
  if (!ownerSymbol) {
    ownerSymbol = Object.getOwnPropertySymbols(resource).find((s) => s.description === 'owner_symbol');
  }
  return ownerSymbol ? (resource as any)[ownerSymbol] : undefined;
}

/**
 * Whether a handle's close is already under way, so that no I/O is left on it: its owner was
 * destroyed (a socket whose request failed, a finished connection), let go of it (a closed
 * server or watcher, an exited child process), or ended both ways (only the close is left).
 * Node still lists such a handle as active until libuv runs its close callback, in the close
 * phase of the same loop iteration: long before Lambda could freeze anything.
 */
export function isClosing(owner: any): boolean {
  if (!owner || typeof owner !== 'object') return false;
  try {
    if (owner.destroyed === true) return true;
    if (owner.writableFinished === true && owner.readableEnded === true) return true;
    // A TLS socket's _handle is its TLS wrap, never null while open.
    if (Object.hasOwn(owner, '_handle')) return owner._handle === null;
    // A dgram socket keeps its handle in its state (lib/internal/dgram.js), dropped by close().
    const state = Object.getOwnPropertySymbols(owner).find((symbol) => symbol.description === 'state symbol');
    return state !== undefined && owner[state]?.handle === null;
  } catch {
    return false;
  }
}

export function kindOf(type: string, resource: any): ResourceKind {
  switch (type) {
    case 'Timeout':
      return resource?._repeat ? 'interval' : 'timer';
    case 'Immediate':
      return 'immediate';
    case 'TCPWRAP':
    case 'PIPEWRAP':
    case 'UDPWRAP':
    case 'TTYWRAP':
      return 'socket';
    case 'TCPSERVERWRAP':
    case 'PIPESERVERWRAP':
      return 'server';
    case 'PROCESSWRAP':
      return 'child-process';
    case 'FSEVENTWRAP':
    case 'STATWATCHER':
      return 'fs-watcher';
    default:
      return REQUEST_TYPES.has(type) ? 'request' : 'other';
  }
}

function callbackName(fn: unknown): string {
  return typeof fn === 'function' && fn.name ? fn.name : 'anonymous function';
}

function address(handle: any, method: 'getpeername' | 'getsockname'): string | null {
  try {
    const out: { address?: string; port?: number } = {};
    if (typeof handle?.[method] !== 'function' || handle[method](out) !== 0 || !out.address) return null;
    return out.address.includes(':') ? `[${out.address}]:${out.port}` : `${out.address}:${out.port}`;
  } catch {
    return null;
  }
}

function describeSocket(resource: any): string {
  const owner = ownerOf(resource);
  const peer = address(resource, 'getpeername');
  const request = owner?._httpMessage;
  if (request && typeof request.method === 'string') {
    // The classic keep-alive hang: the whole response arrived, but until its body is read the
    // socket stays busy (and ref'd) instead of going back to the agent's pool.
    const unread = request.res?.complete === true && request.res.readableEnded === false;
    return `HTTP ${describeRequest(request, peer)} ${unread ? 'answered, but the response body was never read' : 'in flight'}`;
  }
  if (peer && owner?.server) return `TCP connection from ${peer}, accepted by the server on ${address(resource, 'getsockname')}`;
  // fetch() runs on undici, whose frames are Node's own (hidden): its sockets carry undici's symbols.
  if (peer && isUndiciSocket(owner)) return `fetch (undici) connection to ${peer}, request in flight`;
  if (peer) return `TCP socket to ${peer}`;
  if (owner?.connecting) return 'TCP socket (connecting)';
  return 'socket';
}

/** undici marks its sockets with symbols named `client` and `parser` (lib/core/symbols.js). */
function isUndiciSocket(socket: any): boolean {
  if (!socket || typeof socket !== 'object') return false;
  const names = new Set(Object.getOwnPropertySymbols(socket).map((symbol) => symbol.description));
  return names.has('client') && names.has('parser');
}

/** `GET 127.0.0.1:8080/path`: the Host header carries the port, request.host does not. */
function describeRequest(request: any, peer: string | null): string {
  let host: unknown;
  try {
    host = request.getHeader?.('host');
  } catch {
    host = undefined;
  }
  return `${request.method} ${typeof host === 'string' ? host : (request.host ?? peer ?? '')}${request.path ?? ''}`;
}

/** One human line for the report. */
export function summarize(type: string, resource: any): string {
  try {
    switch (type) {
      case 'Timeout': {
        const ms = resource._idleTimeout;
        const name = callbackName(resource._onTimeout);
        return resource._repeat ? `setInterval every ${ms} ms → ${name}` : `setTimeout ${ms} ms → ${name}`;
      }
      case 'Immediate':
        return `setImmediate → ${callbackName(resource._onImmediate)}`;
      case 'TCPWRAP':
        return describeSocket(resource);
      case 'TCPSERVERWRAP': {
        const local = address(resource, 'getsockname');
        return local ? `TCP server listening on ${local}` : 'TCP server';
      }
      case 'PIPEWRAP':
        return 'pipe';
      case 'PIPESERVERWRAP':
        return `pipe server ${ownerOf(resource)?._pipeName ?? ''}`.trim();
      case 'UDPWRAP': {
        const local = address(resource, 'getsockname');
        return local ? `UDP socket bound to ${local}` : 'UDP socket';
      }
      case 'PROCESSWRAP': {
        const owner = ownerOf(resource);
        const command = Array.isArray(owner?.spawnargs) ? owner.spawnargs.join(' ') : owner?.spawnfile;
        return `child process pid ${resource.pid ?? owner?.pid ?? '?'}${command ? `: ${command}` : ''}`;
      }
      case 'FSEVENTWRAP':
        return 'fs.watch watcher';
      case 'STATWATCHER':
        return 'fs.watchFile watcher';
      case 'SIGNALWRAP':
        return 'signal listener';
      case 'GETADDRINFOREQWRAP':
        return `DNS lookup of ${resource.hostname ?? '?'} in flight`;
      case 'CONNECTWRAP':
      case 'TCPCONNECTWRAP':
        return `TCP connect to ${resource.address ?? '?'}:${resource.port ?? '?'} in flight`;
      case 'FSREQCALLBACK':
      case 'FSREQPROMISE':
        return 'file system request in flight';
      case 'MESSAGEPORT':
        return 'MessagePort (worker_threads)';
      case 'HTTPINCOMINGMESSAGE':
        return resource.req ? `HTTP response to ${describeRequest(resource.req, null)}` : 'HTTP response';
      case 'HTTPCLIENTREQUEST':
        return resource.req ? `HTTP request ${describeRequest(resource.req, null)}` : 'HTTP request';
      case 'TickObject':
        return 'process.nextTick callback';
      default:
        return REQUEST_TYPES.has(type) ? `${type} request in flight` : type;
    }
  } catch {
    return type;
  }
}
