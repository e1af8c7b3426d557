/**
 * Reads the JavaScript stack of a child process whose main thread is stuck in synchronous code.
 * An inspector session inside the process cannot do it: its messages are dispatched on the very
 * loop that is blocked. The inspector's own I/O thread can: SIGUSR1 starts it even while
 * JavaScript spins (https://nodejs.org/api/process.html#signal-events), and `Debugger.pause`
 * interrupts V8 wherever it runs (https://chromedevtools.github.io/devtools-protocol/v8/Debugger/).
 * The child must have been started with `--inspect-port=127.0.0.1:0`: the port is then random
 * and on loopback, and the flag alone opens nothing.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { connectWebSocket, type WebSocketConnection } from './websocket-client.js';

export interface BlockedFrame {
  function: string | null;
  /** An absolute path for files on disk; any other URL (`data:`, …) as the inspector gave it. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface CaptureBlockedStackOptions {
  pid: number;
  /** Resolves with the `ws://` URL the child printed after SIGUSR1 (see `findInspectorUrl`). */
  inspectorUrl: () => Promise<string | null>;
  timeoutMs: number;
}

/** The parts of Chrome DevTools Protocol messages read here; everything is optional on the wire. */
interface CdpCallFrame {
  functionName?: string;
  url?: string;
  location?: { scriptId?: string; lineNumber?: number; columnNumber?: number };
}

interface CdpMessage {
  method?: string;
  error?: { message?: string };
  params?: { scriptId?: string; url?: string; callFrames?: CdpCallFrame[] };
}

/** Node writes it from `inspector_socket_server.cc` as `Debugger listening on ws://127.0.0.1:PORT/UUID`. */
const INSPECTOR_URL_LINE = /^Debugger listening on (ws:\/\/\S+)/gm;

/** The `ws://` URL from the last `Debugger listening on …` line of a child's stderr, or null. */
export function findInspectorUrl(stderrText: string): string | null {
  let url: string | null = null;
  for (const match of stderrText.matchAll(INSPECTOR_URL_LINE)) url = match[1] ?? null;
  return url;
}

/**
 * Signals `pid` (SIGUSR1), connects to the inspector it opens, pauses it and returns its call
 * frames, innermost first, without `node:` internals. Resolves null on any failure or once
 * `timeoutMs` has passed; never rejects. Leaves no ref'd socket or timer behind.
 */
export async function captureBlockedStack(options: CaptureBlockedStackOptions): Promise<BlockedFrame[] | null> {
  const state: CaptureState = { connection: null, finished: false };
  const deadlineMs = performance.now() + options.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, options.timeoutMs), null);
  });
  try {
    return await Promise.race([capture(options, deadlineMs, state).catch(() => null), timedOut]);
  } finally {
    clearTimeout(timer);
    state.finished = true;
    state.connection?.close();
  }
}

interface CaptureState {
  connection: WebSocketConnection | null;
  /** Set once the caller has its answer: later steps must then close what they open. */
  finished: boolean;
}

async function capture(
  options: CaptureBlockedStackOptions,
  deadlineMs: number,
  state: CaptureState,
): Promise<BlockedFrame[] | null> {
  // 0 and negative pids address process groups, and pausing ourselves would never return.
  if (!Number.isSafeInteger(options.pid) || options.pid <= 0 || options.pid === process.pid) return null;
  try {
    process.kill(options.pid, 'SIGUSR1');
  } catch {
    return null; // ESRCH: already exited; EPERM: not ours.
  }
  const url = await options.inspectorUrl();
  if (url === null || state.finished) return null;
  const connection = await connectWebSocket(url, Math.max(1, deadlineMs - performance.now()));
  if (state.finished) {
    connection.close();
    return null;
  }
  state.connection = connection;
  return readPausedStack(connection);
}

/** `Debugger.enable`, then `Debugger.pause`; resolves with the frames of `Debugger.paused`. */
function readPausedStack(connection: WebSocketConnection): Promise<BlockedFrame[]> {
  return new Promise((resolve, reject) => {
    const scriptUrls = new Map<string, string>();
    connection.onClose(() => reject(new Error('the inspector closed the connection')));
    connection.onMessage((text) => {
      const message = parseMessage(text);
      if (message?.error !== undefined) {
        reject(new Error(message.error.message ?? 'inspector error'));
      } else if (message?.method === 'Debugger.scriptParsed') {
        const { scriptId, url } = message.params ?? {};
        if (scriptId !== undefined && url !== undefined) scriptUrls.set(scriptId, url);
      } else if (message?.method === 'Debugger.paused') {
        resolve(toBlockedFrames(message.params?.callFrames ?? [], scriptUrls));
      }
    });
    // The inspector handles messages in order, so the pause is sent without waiting for enable.
    connection.send(JSON.stringify({ id: 1, method: 'Debugger.enable' }));
    connection.send(JSON.stringify({ id: 2, method: 'Debugger.pause' }));
  });
}

function parseMessage(text: string): CdpMessage | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as CdpMessage) : null;
  } catch {
    return null;
  }
}

function toBlockedFrames(callFrames: CdpCallFrame[], scriptUrls: Map<string, string>): BlockedFrame[] {
  const frames: BlockedFrame[] = [];
  for (const callFrame of callFrames) {
    const location = callFrame.location ?? {};
    const url = callFrame.url || (location.scriptId !== undefined ? scriptUrls.get(location.scriptId) : '') || '';
    if (url === '' || url.startsWith('node:')) continue;
    frames.push({
      function: callFrame.functionName || null,
      file: toFile(url),
      line: (location.lineNumber ?? 0) + 1,
      column: (location.columnNumber ?? 0) + 1,
    });
  }
  return frames;
}

/** ESM scripts have `file://` URLs; CommonJS ones already have absolute paths. */
function toFile(url: string): string {
  if (!url.startsWith('file:')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}
