/**
 * A minimal RFC 6455 WebSocket client over `node:net`, just enough to talk to a Node inspector
 * on loopback. Node 20 has a global `WebSocket` only behind `--experimental-websocket`, a flag on
 * the parent (https://nodejs.org/docs/latest-v20.x/api/cli.html#--experimental-websocket), and
 * the project takes no WebSocket dependency. Text messages only; no extensions, no TLS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { encodeFrame, MAX_MESSAGE_BYTES, Opcode, readFrame, type Frame } from './websocket-frames.js';

export interface WebSocketConnection {
  send(text: string): void;
  /** Text messages, in order; those that arrived before the first listener are replayed to it. */
  onMessage(cb: (text: string) => void): void;
  /** Called once when the TCP socket has closed, whoever closed it. */
  onClose(cb: () => void): void;
  /** Sends a close frame and destroys the socket. Never throws. */
  close(): void;
}

/** `URL.hostname` keeps the brackets of an IPv6 literal. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** RFC 6455 §1.3: the server proves it speaks WebSocket by hashing our key with this GUID. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HANDSHAKE_BYTES = 16 * 1024;

export function isLoopbackWebSocketUrl(url: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  return parsed !== null && parsed.protocol === 'ws:' && LOOPBACK_HOSTS.has(parsed.hostname);
}

/**
 * Opens a WebSocket to a loopback `ws://` URL. Rejects, without opening any socket, for any
 * other host; rejects when the TCP connect plus the HTTP upgrade take longer than `timeoutMs`.
 */
export function connectWebSocket(url: string, timeoutMs: number): Promise<WebSocketConnection> {
  if (!isLoopbackWebSocketUrl(url)) {
    return Promise.reject(new Error(`refusing a WebSocket URL that is not ws:// on loopback: ${url}`));
  }
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const socket = connect({ host: target.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(target.port || 80) });
    let received = Buffer.alloc(0);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const onError = (error: Error): void => fail(error);
    const onClose = (): void => fail(new Error('WebSocket closed during the handshake'));
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd === -1) {
        if (received.length > MAX_HANDSHAKE_BYTES) fail(new Error('WebSocket handshake response too large'));
        return;
      }
      const problem = checkHandshake(received.subarray(0, headEnd).toString('latin1'), key);
      if (problem !== null) return fail(new Error(problem));
      clearTimeout(timer);
      socket.off('error', onError).off('close', onClose).off('data', onData);
      // Frames may follow the response headers in the same chunk.
      resolve(createConnection(socket, received.subarray(headEnd + 4)));
    };
    const timer = setTimeout(() => fail(new Error(`WebSocket handshake timed out after ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', onError).on('close', onClose).on('data', onData);
    socket.on('connect', () => {
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\n` +
          `Host: ${target.host}\r\n` +
          'Upgrade: websocket\r\n' +
          'Connection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${key}\r\n` +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      );
    });
  });
}

/** RFC 6455 §4.1: status 101 and the right Sec-WebSocket-Accept, or a reason why not. */
function checkHandshake(head: string, key: string): string | null {
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  if (!/^HTTP\/1\.1 101\b/.test(statusLine)) return `WebSocket upgrade refused: ${statusLine}`;
  const expected = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
  const accept = headerLines
    .map((line) => /^sec-websocket-accept:\s*(\S+)/i.exec(line)?.[1])
    .find((value) => value !== undefined);
  return accept === expected ? null : 'WebSocket upgrade has a wrong Sec-WebSocket-Accept';
}

function createConnection(socket: Socket, initial: Buffer): WebSocketConnection {
  const messageListeners: Array<(text: string) => void> = [];
  const closeListeners: Array<() => void> = [];
  const unheard: string[] = [];
  let buffered: Buffer = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let fragmentBytes = 0;
  let fragmentOpcode: number | null = null;
  let closing = false;
  let closed = false;

  const deliver = (payload: Buffer, opcode: number): void => {
    if (opcode !== Opcode.text) return; // The inspector speaks text only; binary is ignored.
    const text = payload.toString('utf8');
    if (messageListeners.length === 0) unheard.push(text);
    for (const listener of messageListeners) listener(text);
  };

  const close = (code = 1000): void => {
    if (closing || closed) return;
    closing = true;
    if (socket.destroyed) return;
    const status = Buffer.alloc(2);
    status.writeUInt16BE(code);
    // Drop the socket right after the close frame, without waiting for the peer's reply
    // (RFC 6455 §7.1.1 allows it): the inspector ends the session either way, and no shutdown
    // request is left pending. A small write on loopback has left by the time write() returns.
    socket.write(encodeFrame(Opcode.close, status));
    socket.unref(); // The handle closes on the next loop turn; it must not hold the loop meanwhile.
    socket.destroy();
  };

  const handleFrame = (frame: Frame): void => {
    switch (frame.opcode) {
      case Opcode.ping:
        if (!closing) socket.write(encodeFrame(Opcode.pong, frame.payload));
        return;
      case Opcode.pong:
        return;
      case Opcode.close:
        // Echo the peer's status code (RFC 6455 §5.5.1), or 1000 if it sent none.
        close(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1000);
        return;
      case Opcode.text:
      case Opcode.binary:
        if (fragmentOpcode !== null) throw new Error('new message inside a fragmented one');
        if (frame.fin) return deliver(frame.payload, frame.opcode);
        fragmentOpcode = frame.opcode;
        fragments = [frame.payload];
        fragmentBytes = frame.payload.length;
        return;
      case Opcode.continuation: {
        if (fragmentOpcode === null) throw new Error('continuation frame without a message');
        fragments.push(frame.payload);
        fragmentBytes += frame.payload.length;
        if (fragmentBytes > MAX_MESSAGE_BYTES) throw new Error('WebSocket message too large');
        if (!frame.fin) return;
        const opcode = fragmentOpcode;
        const payload = Buffer.concat(fragments);
        fragmentOpcode = null;
        fragments = [];
        return deliver(payload, opcode);
      }
      default:
        throw new Error(`unknown WebSocket opcode ${frame.opcode}`);
    }
  };

  const consume = (chunk: Buffer): void => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    try {
      for (let frame = readFrame(buffered); frame !== null && !closing && !closed; frame = readFrame(buffered)) {
        buffered = buffered.subarray(frame.size);
        handleFrame(frame);
      }
    } catch {
      // A protocol error (or a throwing listener): RFC 6455 §7.1.7 says fail the connection.
      socket.destroy();
    }
  };
  socket.on('error', () => socket.destroy()); // 'close' follows and tells the listeners.
  socket.on('close', () => {
    closed = true;
    for (const listener of closeListeners) listener();
  });
  socket.on('data', consume);
  // Frames that came in the same chunk as the handshake response.
  if (initial.length > 0) consume(initial);

  return {
    send(text) {
      if (!closing && !closed) socket.write(encodeFrame(Opcode.text, Buffer.from(text, 'utf8')));
    },
    onMessage(cb) {
      messageListeners.push(cb);
      for (const text of unheard.splice(0)) cb(text);
    },
    onClose(cb) {
      if (closed) cb();
      else closeListeners.push(cb);
    },
    close: () => close(),
  };
}
