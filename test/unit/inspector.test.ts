import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { captureBlockedStack, findInspectorUrl } from '../../src/runner/inspector/capture-blocked-stack.js';
import { connectWebSocket } from '../../src/runner/inspector/websocket-client.js';

const SPIN_SCRIPT = fileURLToPath(new URL('../helpers/spin-loop.mjs', import.meta.url));
/** The line of `for (;;)` in spin-loop.mjs. */
const SPIN_LINE = 10;
const TEST_TIMEOUT_MS = 15_000;

type Spinner = ChildProcessByStdio<null, Readable, Readable>;
const children = new Set<Spinner>();

afterEach(async () => {
  // No child may outlive its test, whatever the test did to it (SIGSTOP included).
  await Promise.all([...children].map((child) => killAndWait(child)));
  children.clear();
});

function hasExited(child: Spinner): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function killAndWait(child: Spinner): Promise<void> {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Starts spin-loop.mjs and resolves once it has written "ready", i.e. is about to spin. */
async function startSpinner(nodeArgs: string[], scriptArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, SPIN_SCRIPT, ...scriptArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH },
  });
  children.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  expect(chunk.toString()).toBe('ready\n');
  /** What a caller of captureBlockedStack does: wait for the line on stderr, or the exit. */
  const inspectorUrl = (): Promise<string | null> =>
    new Promise((resolve) => {
      const check = (): void => {
        const url = findInspectorUrl(stderr);
        if (url === null && !hasExited(child)) return;
        child.stderr.off('data', check);
        child.off('exit', check);
        resolve(url);
      };
      child.stderr.on('data', check);
      child.on('exit', check);
      check();
    });
  return { child, pid: child.pid!, inspectorUrl, stderr: () => stderr };
}

function countResources(name: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === name).length;
}

describe('captureBlockedStack', () => {
  it('returns the frame of a synchronous loop, then the child can be killed', async () => {
    const spinner = await startSpinner(['--inspect-port=127.0.0.1:0']);
    const socketsBefore = countResources('TCPSocketWrap');
    const startedMs = performance.now();
    const frames = await captureBlockedStack({ pid: spinner.pid, inspectorUrl: spinner.inspectorUrl, timeoutMs: 5_000 });
    const durationMs = performance.now() - startedMs;

    expect(frames).not.toBeNull();
    expect(frames![0]).toMatchObject({ function: 'spinForever', file: SPIN_SCRIPT, line: SPIN_LINE });
    expect(frames![0]!.column).toBeGreaterThanOrEqual(1);
    expect(frames!.every((frame) => !frame.file.startsWith('node:'))).toBe(true);
    expect(durationMs).toBeLessThan(5_000);
    expect(spinner.stderr()).toMatch(/^Debugger listening on ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}$/m);
    // The inspector socket is closed (or at least unref'd) by the time the promise resolves.
    expect(countResources('TCPSocketWrap')).toBe(socketsBefore);

    const exited = once(spinner.child, 'exit');
    spinner.child.kill('SIGKILL');
    expect(await exited).toEqual([null, 'SIGKILL']);
  }, TEST_TIMEOUT_MS);

  it('resolves null at once for a process that has already exited', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const startedMs = performance.now();
    const frames = await captureBlockedStack({ pid: child.pid!, inspectorUrl: async () => null, timeoutMs: 2_000 });
    expect(frames).toBeNull();
    expect(performance.now() - startedMs).toBeLessThan(1_000);
  }, TEST_TIMEOUT_MS);

  it('resolves null within the timeout when SIGUSR1 opens no inspector', async () => {
    // A SIGUSR1 listener replaces the default action, and the spinning loop never runs it.
    const spinner = await startSpinner([], ['ignore-sigusr1']);
    const startedMs = performance.now();
    const frames = await captureBlockedStack({ pid: spinner.pid, inspectorUrl: spinner.inspectorUrl, timeoutMs: 500 });
    const durationMs = performance.now() - startedMs;
    expect(frames).toBeNull();
    expect(durationMs).toBeGreaterThanOrEqual(490);
    expect(durationMs).toBeLessThan(1_500);
    expect(spinner.stderr()).toBe('');
    expect(hasExited(spinner.child)).toBe(false);
  }, TEST_TIMEOUT_MS);

  it('resolves null within the timeout for a stopped child: SIGUSR1 stays pending', async () => {
    const spinner = await startSpinner(['--inspect-port=127.0.0.1:0']);
    spinner.child.kill('SIGSTOP');
    const startedMs = performance.now();
    const frames = await captureBlockedStack({ pid: spinner.pid, inspectorUrl: spinner.inspectorUrl, timeoutMs: 500 });
    expect(frames).toBeNull();
    expect(performance.now() - startedMs).toBeLessThan(1_500);
    expect(findInspectorUrl(spinner.stderr())).toBeNull();
  }, TEST_TIMEOUT_MS);

  it('refuses pids that would signal a process group or itself', async () => {
    for (const pid of [0, -1, process.pid, 1.5]) {
      const inspectorUrl = (): Promise<string | null> => Promise.reject(new Error('must not be asked'));
      expect(await captureBlockedStack({ pid, inspectorUrl, timeoutMs: 500 })).toBeNull();
    }
  }, TEST_TIMEOUT_MS);
});

describe('findInspectorUrl', () => {
  const line = (port: number) => `Debugger listening on ws://127.0.0.1:${port}/0aac1634-3c47-4c69-8b2c-2972aa40ae69`;

  it.each([
    ['the line Node prints', `${line(35959)}\nFor help, see: https://nodejs.org/en/docs/inspector\n`, 35959],
    ['after handler output', `some log\n${line(41000)}\n`, 41000],
    ['CRLF line ends', `${line(41001)}\r\nFor help\r\n`, 41001],
    ['the last of several', `${line(1)}\n${line(2)}\n`, 2],
  ])('finds %s', (_name, stderr, port) => {
    expect(findInspectorUrl(stderr)).toBe(`ws://127.0.0.1:${port}/0aac1634-3c47-4c69-8b2c-2972aa40ae69`);
  });

  it.each([
    ['nothing', ''],
    ['a line without a URL', 'Debugger listening on port 9229\n'],
    ['the text mid-line', `log: ${line(1)}\n`],
  ])('returns null for %s', (_name, stderr) => {
    expect(findInspectorUrl(stderr)).toBeNull();
  });
});

/** A one-connection WebSocket server that runs `script` after the upgrade. */
async function startServer(script: (socket: Socket, received: () => Buffer) => void): Promise<Server> {
  const server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (upgraded || headEnd === -1) return;
      upgraded = true;
      const key = /sec-websocket-key: (\S+)/i.exec(buffered.toString('latin1'))![1]!;
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      buffered = buffered.subarray(headEnd + 4);
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      script(socket, () => buffered);
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** An unmasked server frame. */
function serverFrame(fin: boolean, opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0, length]);
  } else if (length < 0x10000) {
    header = Buffer.from([0, 126, 0, 0]);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.from([0, 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  header[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([header, payload]);
}

/** Decodes the client frames in `data` (masked, short lengths only, as in these tests). */
function decodeClientFrames(data: Buffer): Array<{ opcode: number; masked: boolean; payload: Buffer }> {
  const frames = [];
  for (let offset = 0; offset + 6 <= data.length; ) {
    const length = data[offset + 1]! & 0x7f;
    const mask = data.subarray(offset + 2, offset + 6);
    const payload = Buffer.from(data.subarray(offset + 6, offset + 6 + length).map((byte, i) => byte ^ mask[i & 3]!));
    frames.push({ opcode: data[offset]! & 0x0f, masked: (data[offset + 1]! & 0x80) !== 0, payload });
    offset += 6 + length;
  }
  return frames;
}

describe('connectWebSocket', () => {
  it.each(['ws://10.0.0.1:9229/x', 'ws://127.0.0.1.example.com/x', 'wss://127.0.0.1:9229/x', 'http://localhost/', 'ws://[::2]/', 'nonsense'])(
    'rejects %s without connecting',
    async (url) => {
      await expect(connectWebSocket(url, 60_000)).rejects.toThrow(/not ws:\/\/ on loopback/);
    },
    1_000,
  );

  it('does not connect to a reachable non-loopback address', async () => {
    let connections = 0;
    const server = createServer(() => connections++).listen(0, '0.0.0.0');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await expect(connectWebSocket(`ws://0.0.0.0:${port}/`, 2_000)).rejects.toThrow(/loopback/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.close();
    expect(connections).toBe(0);
  }, TEST_TIMEOUT_MS);

  it('reassembles fragments, reads 16- and 64-bit lengths, answers ping, masks what it sends', async () => {
    const medium = 'm'.repeat(300);
    const large = 'L'.repeat(70_000);
    let clientBytes = (): Buffer => Buffer.alloc(0);
    const server = await startServer((socket, received) => {
      clientBytes = received;
      const bytes = Buffer.concat([
        serverFrame(true, 0x9, Buffer.from('are you there')),
        serverFrame(false, 0x1, Buffer.from('hel')),
        serverFrame(false, 0x0, Buffer.from('lo, ')),
        serverFrame(true, 0x0, Buffer.from('wörld')),
        serverFrame(true, 0x1, Buffer.from(medium)),
        serverFrame(true, 0x1, Buffer.from(large)),
      ]);
      // Byte-sized writes would be slow for 70 kB; odd-sized pieces still split every header.
      for (let offset = 0; offset < bytes.length; offset += 7) socket.write(bytes.subarray(offset, offset + 7));
    });
    const { port } = server.address() as AddressInfo;
    const connection = await connectWebSocket(`ws://127.0.0.1:${port}/session`, 2_000);
    const messages: string[] = [];
    const allReceived = new Promise<void>((resolve) => {
      connection.onMessage((text) => messages.push(text) === 3 && resolve());
    });
    connection.send('{"id":1}');
    await allReceived;
    expect(messages).toEqual(['hello, wörld', medium, large]);

    const closed = new Promise<void>((resolve) => connection.onClose(resolve));
    connection.close();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.close();
    const frames = decodeClientFrames(clientBytes());
    expect(frames.every((frame) => frame.masked)).toBe(true);
    // The pong may go out before or after the text frame, depending on when the ping arrived.
    const byOpcode = new Map(frames.map((frame) => [frame.opcode, frame.payload]));
    expect(frames).toHaveLength(3);
    expect(byOpcode.get(0xa)?.toString()).toBe('are you there');
    expect(byOpcode.get(0x1)?.toString()).toBe('{"id":1}');
    expect(byOpcode.get(0x8)?.readUInt16BE(0)).toBe(1000);
    expect(frames.at(-1)!.opcode).toBe(0x8);
  }, TEST_TIMEOUT_MS);
});
