import { describe, expect, it } from 'vitest';
import { createLineFraming } from '../../src/runner/line-framing.js';

function frame(chunks: string[], maxLineBytes = 16): { lines: string[]; overflows: number[] } {
  const lines: string[] = [];
  const overflows: number[] = [];
  const framing = createLineFraming({ maxLineBytes, onLine: (line) => lines.push(line.toString('utf8')), onOverflow: (bytes) => overflows.push(bytes) });
  for (const chunk of chunks) framing.push(Buffer.from(chunk));
  return { lines, overflows };
}

describe('createLineFraming', () => {
  it('splits lines however the chunks fall, and keeps a partial line for the next chunk', () => {
    expect(frame(['a\nb', 'c\n\nd', 'e', 'f\ng'])).toEqual({ lines: ['a', 'bc', '', 'def'], overflows: [] });
  });

  it('takes a line of exactly the limit, and reports one byte more once, then goes on with the next line', () => {
    expect(frame(['x'.repeat(16) + '\n'])).toEqual({ lines: ['x'.repeat(16)], overflows: [] });
    expect(frame(['y'.repeat(17) + '\nok\n'])).toEqual({ lines: ['ok'], overflows: [17] });
  });

  it('reports a line that passes the limit across chunks as soon as it does, skips the rest of it, and resumes after its newline', () => {
    const { lines, overflows } = frame(['z'.repeat(10), 'z'.repeat(10), 'z'.repeat(30), 'zz\nnext\n']);
    expect(overflows).toEqual([20]);
    expect(lines).toEqual(['next']);
  });

  it('never splits a UTF-8 sequence: a newline byte is never part of one', () => {
    const bytes = Buffer.from('é€😀\n');
    const lines: string[] = [];
    const framing = createLineFraming({ maxLineBytes: 64, onLine: (line) => lines.push(line.toString('utf8')), onOverflow: () => {} });
    for (const byte of bytes) framing.push(Buffer.from([byte]));
    expect(lines).toEqual(['é€😀']);
  });

  it('joins a 40 MB line sent in 64 KiB chunks into one line', () => {
    const size = 40 * 1024 * 1024;
    const lines: Buffer[] = [];
    const framing = createLineFraming({ maxLineBytes: 64 * 1024 * 1024, onLine: (line) => lines.push(line), onOverflow: () => {} });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let sent = 0; sent < size; sent += chunk.length) framing.push(chunk);
    framing.push(Buffer.from('\n'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBe(size);
  });
});
