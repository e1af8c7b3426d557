import { describe, expect, it } from 'vitest';
import { buildLambdaEnv, lambdaNodePath } from '../../src/runner/lambda-env.js';

describe("the bootstrap's NODE_PATH", () => {
  it('puts the layers as /opt merges them (a later layer wins), the runtime major first, then the task root', () => {
    expect(lambdaNodePath('nodejs22.x', '/app/src', ['/app/layers/a', '/app/layers/b'])).toEqual([
      '/app/layers/b/nodejs/node22/node_modules',
      '/app/layers/a/nodejs/node22/node_modules',
      '/app/layers/b/nodejs/node_modules',
      '/app/layers/a/nodejs/node_modules',
      '/app/src',
    ]);
  });

  it("gives way to the function's own NODE_PATH", () => {
    const options = { runtime: 'nodejs20.x' as const, functionName: 'f', handler: 'app.handler', taskRoot: '/app', memoryMB: 128 };
    expect(buildLambdaEnv({ ...options, userEnv: {} }).NODE_PATH).toBe('/app');
    expect(buildLambdaEnv({ ...options, userEnv: { NODE_PATH: '/mine' } }).NODE_PATH).toBe('/mine');
  });
});
