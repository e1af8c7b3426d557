/**
 * A minimal RFC 6455 WebSocket client over `node:net`, just enough to talk to a Node inspector
 * on loopback. Node 20 has a global `WebSocket` only behind `--experimental-websocket`, a flag on
 * the parent (https://nodejs.org/docs/latest-v20.x/api/cli.html#--experimental-websocket), and
 * the project takes no WebSocket dependency. Text messages only; no extensions, no TLS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface WebSocketConnection {
  send(text: string): void;
  /** Text messages, in order; those that arrived before the first listener are replayed to it. */
  onMessage(cb: (text: string) => void): void;
  /** Called once when the TCP socket has closed, whoever closed it. */
  onClose(cb: () => void): void;
  /** Sends a close frame, then destroys the socket once it is flushed. Never throws. */
  close(): void;
}

/** `URL.hostname` keeps the brackets of an IPv6 literal. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** RFC 6455 §1.3: the server proves it speaks WebSocket by hashing our key with this GUID. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HANDSHAKE_BYTES = 16 * 1024;
/** A paused inspector sends messages of a few kB; this bound only stops a runaway peer. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** RFC 6455 §5.2 opcodes. */
const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** Bytes the whole frame took in the input buffer. */
  size: number;
}

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
  let buffered = initial;
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
    // Flush the close frame, then drop the socket without waiting for the peer's reply: the
    // inspector ends the session either way, and this keeps the handle's lifetime short.
    socket.end(encodeFrame(Opcode.close, status), () => socket.destroy());
    socket.unref();
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

  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    try {
      for (let frame = readFrame(buffered); frame !== null && !closed; frame = readFrame(buffered)) {
        buffered = buffered.subarray(frame.size);
        handleFrame(frame);
      }
    } catch {
      // A protocol error: RFC 6455 §7.1.7 says fail the connection, i.e. drop it.
      socket.destroy();
    }
  });
  socket.on('error', () => socket.destroy()); // 'close' follows and tells the listeners.
  socket.on('close', () => {
    closed = true;
    for (const listener of closeListeners) listener();
  });

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

/** One frame from the start of `buffer`, or null while it is incomplete (RFC 6455 §5.2). */
function readFrame(buffer: Buffer): Frame | null {
  if (buffer.length < 2) return null;
  if ((buffer[0]! & 0x70) !== 0) throw new Error('RSV bits set but no extension was negotiated');
  if ((buffer[1]! & 0x80) !== 0) throw new Error('a server must not mask its frames (RFC 6455 §5.1)');
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    const length64 = buffer.readBigUInt64BE(2);
    if (length64 > BigInt(MAX_MESSAGE_BYTES)) throw new Error('WebSocket frame too large');
    length = Number(length64);
    offset = 10;
  }
  if (buffer.length < offset + length) return null;
  return {
    fin: (buffer[0]! & 0x80) !== 0,
    opcode: buffer[0]! & 0x0f,
    payload: buffer.subarray(offset, offset + length),
    size: offset + length,
  };
}

/** A client frame: FIN set, always masked with a fresh random key (RFC 6455 §5.3). */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const headerBytes = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.alloc(headerBytes + 4 + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = 0x80 | length;
  } else if (length < 0x10000) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, headerBytes);
  for (let i = 0; i < length; i++) frame[headerBytes + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}
