import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../src/map-with-concurrency.js';

/** Runs items with the given delays, recording the most calls ever in flight at once. */
async function track(delaysMs: number[], limit: number) {
  let inFlight = 0;
  let maxInFlight = 0;
  const started: number[] = [];
  const results = await mapWithConcurrency(delaysMs, limit, async (delayMs) => {
    started.push(delayMs);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await sleep(delayMs);
    inFlight--;
    return delayMs * 2;
  });
  return { results, maxInFlight, started };
}

describe('mapWithConcurrency', () => {
  it('keeps the input order whatever order the calls finish in', async () => {
    const { results } = await track([30, 5, 20, 1, 10], 3);
    expect(results).toEqual([60, 10, 40, 2, 20]);
  });

  it('never has more than the limit in flight, and uses all of it', async () => {
    const { maxInFlight, started } = await track([10, 10, 10, 10, 10, 10, 10], 3);
    expect(maxInFlight).toBe(3);
    expect(started).toHaveLength(7);
  });

  it('runs one at a time with a limit of 1, in input order', async () => {
    const { maxInFlight, started } = await track([15, 1, 5], 1);
    expect(maxInFlight).toBe(1);
    expect(started).toEqual([15, 1, 5]);
  });

  it('copes with a limit above the number of items and with no items', async () => {
    expect((await track([1, 2], 10)).maxInFlight).toBe(2);
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });

  it('rejects when a call rejects', async () => {
    await expect(mapWithConcurrency([1, 2, 3], 2, async (n) => {
      if (n === 2) throw new Error('two');
      return n;
    })).rejects.toThrow('two');
  });
});
