import { describe, expect, it } from 'vitest';
import { createProgress, renderProgressLine } from '../../src/cli-progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 200, writes, write: (text: string) => Boolean(writes.push(text)) };
}

describe('the progress line', () => {
  it('is not created when stderr is not a TTY', () => {
    expect(createProgress(fakeStream(false))).toBeNull();
  });

  it('shows N of M done, the running targets and a countdown to each deadline, then erases itself', () => {
    const stream = fakeStream(true);
    let now = 0;
    const progress = createProgress(stream, () => now)!;
    progress.onProgress({ type: 'target-start', index: 1, total: 3, target: 'a.js#handler', budgetMs: 3000 });
    progress.onProgress({ type: 'target-start', index: 2, total: 3, target: 'b.js#handler', budgetMs: 1000 });
    now = 1500;
    progress.onProgress({ type: 'target-end', index: 3, total: 3, target: 'c', verdict: 'skipped' });
    expect(stream.writes.at(-1)).toBe('\r\u001b[2K1 of 3 done · a.js#handler 1.5 s left, b.js#handler at deadline');
    progress.stop();
    expect(stream.writes.at(-1)).toBe('\r\u001b[2K');
  });

  it('keeps to one terminal line and shows target names without control characters', () => {
    const stream = { ...fakeStream(true), columns: 40 };
    const progress = createProgress(stream, () => 0)!;
    progress.onProgress({ type: 'target-start', index: 1, total: 1, target: `evil\u001b[2J${'x'.repeat(80)}`, budgetMs: 1000 });
    progress.stop();
    const line = stream.writes[0]!.slice('\r\u001b[2K'.length);
    expect(line.length).toBeLessThanOrEqual(39);
    expect(line).not.toContain('\u001b');
    expect(renderProgressLine(0, 2, [])).toBe('0 of 2 done');
  });
});
