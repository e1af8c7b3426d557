import { describe, expect, it } from 'vitest';
import { stringifyWithoutRecursion, toJsonLine } from '../../src/runner/json-line.js';

describe('toJsonLine', () => {
  it('writes what JSON.stringify writes, for plain data', () => {
    const values = [
      { a: 1, b: [true, null, 'x"\n\u2028'], c: { d: -0.5e-7, e: {} }, f: [], skipped: undefined },
      [undefined, () => 1, 'kept'],
      'text', 42, null, false,
    ];
    for (const value of values) expect(stringifyWithoutRecursion(value)).toBe(JSON.stringify(value));
    expect(toJsonLine({ a: [1] })).toBe('{"a":[1]}\n');
  });

  it('writes an event nested 100,000 levels deep, which JSON.stringify cannot, and JSON.parse reads it back', () => {
    const depth = 100_000;
    const text = '['.repeat(depth) + '{"k":' + '[]' + '}' + ']'.repeat(depth);
    const event = JSON.parse(text);
    expect(() => JSON.stringify(event)).toThrow(RangeError);
    const line = toJsonLine({ type: 'invoke', event });
    expect(line).toBe(`{"type":"invoke","event":${text}}\n`);
  });
});
