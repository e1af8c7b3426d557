import { describe, expect, it } from 'vitest';
import { countParameters, declaredParameters } from '../../src/harness/declared-parameters.js';

describe('declaredParameters: what fn.length does not count', () => {
  it.each([
    ['function handler(event, context, callback) {}', 3],
    ['function (event, context = {}, callback) {}', 3],
    ['async (event, context) => {}', 2],
    ['(event, { awsRequestId } = {}, ...rest) => {}', 3],
    ["(event, context = { name: 'a,b' }, cb = () => {}) => {}", 3],
    ['(a, b,) => a', 2],
    ['event => event', 1],
    ['async event => event', 1],
    ['() => 1', 0],
    ['function () { [native code] }', 0],
    ['handler(event /* the payload, parsed */, context) {}', 2],
  ])('%s declares %i', (source, count) => {
    expect(countParameters(source)).toBe(count);
  });

  it('reads a real function, whatever its length says', () => {
    const handler = (event: unknown, context: object = {}, callback?: () => void) => [event, context, callback];
    expect(handler.length).toBe(1);
    expect(declaredParameters(handler)).toBe(3);
  });
});
