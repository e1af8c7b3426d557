import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNTIME, RUNTIME_IDS, RUNTIME_LIFECYCLE, RUNTIME_RULES, isRuntimeId, runtimeExitError, supportedSuccessor, timeoutMessage } from '../../src/runtime-rules.js';

describe('runtime lifecycle', () => {
  it('defaults to the newest line, whatever Node runs the tool', () => {
    expect(DEFAULT_RUNTIME).toBe('nodejs24.x');
  });

  it('has AWS dates for every line, in order: deprecated, then no creates, then no updates', () => {
    for (const id of RUNTIME_IDS) {
      const { deprecated, blockCreate, blockUpdate } = RUNTIME_LIFECYCLE[id];
      expect([deprecated, blockCreate, blockUpdate].every((date) => /^\d{4}-\d{2}-\d{2}$/.test(date))).toBe(true);
      expect(deprecated < blockCreate && blockCreate < blockUpdate).toBe(true);
    }
  });

  it.each([
    ['2026-12-03', 'nodejs24.x'],
    ['2025-06-01', 'nodejs24.x'],
    ['2028-05-01', 'nodejs24.x'],
  ])('on %s the runtime to move to is %s', (today, successor) => {
    expect(supportedSuccessor(today)).toBe(successor);
  });

  it('checks nodejs18.x under the legacy client, as nodejs20.x', () => {
    expect(isRuntimeId('nodejs18.x')).toBe(true);
    expect(RUNTIME_RULES['nodejs18.x']).toMatchObject({ legacy: true, callbacks: true, rejectionExitCode: 128 });
  });
});

describe('timeoutMessage', () => {
  it.each([
    [3000, 'Task timed out after 3.00 seconds'],
    [1000, 'Task timed out after 1.00 seconds'],
    [900_000, 'Task timed out after 900.00 seconds'],
  ])('%i ms → %s', (timeoutMs, message) => {
    expect(timeoutMessage(timeoutMs)).toBe(message);
  });
});

describe('runtimeExitError', () => {
  it('says no reason was given for exit code 0', () => {
    expect(runtimeExitError(0, null)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' });
  });

  it('gives the exit status of a non-zero exit', () => {
    expect(runtimeExitError(128, null)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 128' });
  });

  it('names the signal when the process was killed by one', () => {
    const error = runtimeExitError(null, 'SIGKILL');
    expect(error.errorType).toBe('Runtime.ExitError');
    expect(error.errorMessage).toMatch(/^Runtime exited with error: signal: /);
  });

  // BUG (runtime-rules.ts, runtimeExitError): Lambda formats the signal the way Go's
  // os.ProcessState.String() does, with the signal's description, e.g. "Runtime exited with
  // error: signal: killed" (seen in real logs for OOM kills) and "signal: segmentation fault".
  // The code lower-cases the short name instead, giving "signal: kill" and "signal: segv".
  it('formats SIGKILL and SIGSEGV as Lambda reports them', () => {
    expect(runtimeExitError(null, 'SIGKILL').errorMessage).toBe('Runtime exited with error: signal: killed');
    expect(runtimeExitError(null, 'SIGSEGV').errorMessage).toBe('Runtime exited with error: signal: segmentation fault');
  });
});

describe('RUNTIME_RULES', () => {
  it('knows exactly four runtimes, legacy for 18/20/22 and 4.x for 24', () => {
    expect(RUNTIME_IDS).toEqual(['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x']);
    expect(RUNTIME_IDS.map((id) => [id, RUNTIME_RULES[id].legacy, RUNTIME_RULES[id].callbacks])).toEqual([
      ['nodejs18.x', true, true],
      ['nodejs20.x', true, true],
      ['nodejs22.x', true, true],
      ['nodejs24.x', false, false],
    ]);
    expect(isRuntimeId('nodejs22.x')).toBe(true);
    expect(isRuntimeId('nodejs16.x')).toBe(false);
    expect(isRuntimeId('toString')).toBe(false);
  });

  it('uses the exit codes and flags the semantics reference lists', () => {
    expect(RUNTIME_RULES['nodejs22.x']).toMatchObject({ rejectionExitCode: 128, exceptionExitCode: 129, initErrorExitCode: 129, stringifyErrorType: 'Error' });
    expect(RUNTIME_RULES['nodejs24.x']).toMatchObject({ rejectionExitCode: 1, exceptionExitCode: 1, initErrorExitCode: 1, stringifyErrorType: 'Runtime.JSONStringifyError' });
    expect(RUNTIME_RULES['nodejs20.x'].nodeFlags).toEqual(['--no-experimental-require-module']);
    expect(RUNTIME_RULES['nodejs22.x'].nodeFlags).toEqual(['--no-experimental-require-module', '--no-experimental-detect-module']);
    expect(RUNTIME_RULES['nodejs24.x'].nodeFlags).toEqual([]);
  });
});
