import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/read-regular-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lhc-read-regular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRegularFile: only regular files, only up to a cap, never blocking', () => {
  it('reads a regular file', () => {
    const file = path.join(dir, 'a.json');
    writeFileSync(file, '{"é":1}');
    expect(readRegularFile(file, 100)).toEqual({ ok: true, text: '{"é":1}' });
  });

  it('refuses a file over the cap, and reads one exactly at it', () => {
    const file = path.join(dir, 'big');
    writeFileSync(file, 'x'.repeat(1001));
    expect(readRegularFile(file, 1000)).toEqual({ ok: false, reason: 'larger than 1000 bytes' });
    expect(readRegularFile(file, 1001)).toMatchObject({ ok: true });
  });

  it.runIf(process.platform === 'linux')('refuses a FIFO without a writer at once (a blocking open would wait forever)', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(readRegularFile(fifo, 100)).toEqual({ ok: false, reason: 'not a regular file (a FIFO)' });
  });

  it.runIf(process.platform === 'linux')('refuses /dev/zero (it never ends)', () => {
    expect(readRegularFile('/dev/zero', 100)).toEqual({ ok: false, reason: 'not a regular file (a character device)' });
  });

  it('gives EISDIR for a directory and the errno code for a missing file', () => {
    expect(readRegularFile(dir, 100)).toEqual({ ok: false, reason: 'EISDIR' });
    expect(readRegularFile(path.join(dir, 'missing'), 100)).toEqual({ ok: false, reason: 'ENOENT' });
  });
});
