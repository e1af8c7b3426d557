import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveOptions, type CheckOptions } from '../../src/options.js';

function usageErrorOf(options: CheckOptions): UsageError {
  try {
    resolveOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('resolveOptions did not throw');
}

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveOptions({ targets: ['handler.js'], cwd: '/work/app' });
    expect(resolved).toMatchObject({
      targets: ['handler.js'],
      exportName: 'handler',
      handler: null,
      taskRoot: '/work/app',
      runtime: 'nodejs24.x',
      timeoutMs: 3000,
      invocations: 2,
      events: [{}],
      freezeMs: 100,
      memoryMB: 128,
      env: {},
      failOn: 'error',
      cwd: '/work/app',
    });
    expect(resolved.jobs).toBeGreaterThanOrEqual(1);
  });

  it('keeps given values, converting the timeout to ms and accepting numeric strings', () => {
    const resolved = resolveOptions({
      handler: 'src/app.handler',
      taskRoot: '/srv/task',
      runtime: 'nodejs24.x',
      timeout: '900' as unknown as number,
      invocations: 5,
      events: [{ a: 1 }, 2],
      freeze: 0,
      memory: 1024,
      env: { A: 'b' },
      failOn: 'warning',
      jobs: 3,
    });
    expect(resolved).toMatchObject({
      targets: [],
      handler: 'src/app.handler',
      taskRoot: '/srv/task',
      runtime: 'nodejs24.x',
      timeoutMs: 900_000,
      invocations: 5,
      events: [{ a: 1 }, 2],
      freezeMs: 0,
      memoryMB: 1024,
      env: { A: 'b' },
      failOn: 'warning',
      jobs: 3,
    });
  });

  it('treats an empty events list as the default event', () => {
    expect(resolveOptions({ targets: ['h.js'], events: [] }).events).toEqual([{}]);
  });

  it.each<[string, CheckOptions, RegExp]>([
    ['timeout 0', { timeout: 0 }, /--timeout.*1 to 900/],
    ["timeout 'abc'", { timeout: 'abc' as unknown as number }, /--timeout.*'abc'/],
    ['timeout 901', { timeout: 901 }, /--timeout.*'901'/],
    ['timeout 1.5', { timeout: 1.5 }, /--timeout.*'1\.5'/],
    ['invocations 0', { invocations: 0 }, /--invocations/],
    ['freeze -1', { freeze: -1 }, /--freeze/],
    ['memory 64', { memory: 64 }, /--memory.*128 to 10240/],
    ['jobs 0', { jobs: 0 }, /--jobs/],
    ["runtime 'nodejs12.x'", { runtime: 'nodejs12.x' }, /runtime 'nodejs12\.x'.*nodejs20\.x, nodejs22\.x, nodejs24\.x/],
    ["failOn 'bogus'", { failOn: 'bogus' }, /--fail-on.*'bogus'/],
  ])('rejects %s with a UsageError naming the flag', (_name, invalid, message) => {
    const error = usageErrorOf({ targets: ['handler.js'], ...invalid });
    expect(error.code).toBe('LHC_USAGE');
    expect(error.message).toMatch(message);
  });

  it('rejects a check with no target', () => {
    const error = usageErrorOf({});
    expect(error.code).toBe('LHC_USAGE');
    expect(error.message).toMatch(/no target.*--handler/);
    expect(usageErrorOf({ targets: [] }).message).toMatch(/no target/);
  });

  it('rejects handler files together with --handler', () => {
    const error = usageErrorOf({ targets: ['handler.js'], handler: 'src/app.handler' });
    expect(error.code).toBe('LHC_USAGE');
    expect(error.message).toMatch(/--handler/);
  });

  it('takes events for single functions only with a template', () => {
    expect(usageErrorOf({ targets: ['handler.js'], functionEvents: { Orders: [{}] } }).message).toBe(
      "--event Orders=…: an event for one function needs --template (and no event file 'Orders=…' exists)",
    );
    const resolved = resolveOptions({ template: 'template.yaml', functionEvents: { Orders: [{ id: 1 }], Reports: [] }, cwd: '/work/app' });
    expect(resolved.functionEvents).toEqual({ Orders: [{ id: 1 }] });
    expect(resolved.events).toEqual([{}]);
  });
});
