/**
 * RFC 6455 §5 framing for the client side: parse what a server sends (never masked), encode
 * what a client sends (always masked). No extensions are negotiated, so RSV bits must be 0.
 */
import { randomBytes } from 'node:crypto';

/** RFC 6455 §5.2 opcodes. */
export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** A paused inspector sends messages of a few kB; this bound only stops a runaway peer. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** Bytes the whole frame took in the input buffer. */
  size: number;
}

/** One frame from the start of `buffer`, or null while it is incomplete (RFC 6455 §5.2). */
export function readFrame(buffer: Buffer): Frame | null {
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
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
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
