import { describe, expect, it } from 'vitest';
import { RUNTIME_IDS, RUNTIME_RULES, defaultRuntimeFor, isRuntimeId, runtimeExitError, timeoutMessage } from '../../src/runtime-rules.js';

describe('defaultRuntimeFor', () => {
  it.each([
    ['v20.20.2', 'nodejs20.x'],
    ['v22.1.0', 'nodejs22.x'],
    ['v24.0.0', 'nodejs24.x'],
    ['v26.0.0', 'nodejs24.x'],
  ])('%s → %s', (version, runtime) => {
    expect(defaultRuntimeFor(version)).toBe(runtime);
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
  it('knows exactly the three runtimes, legacy for 20/22 and 4.x for 24', () => {
    expect(RUNTIME_IDS).toEqual(['nodejs20.x', 'nodejs22.x', 'nodejs24.x']);
    expect(RUNTIME_IDS.map((id) => [id, RUNTIME_RULES[id].legacy, RUNTIME_RULES[id].callbacks])).toEqual([
      ['nodejs20.x', true, true],
      ['nodejs22.x', true, true],
      ['nodejs24.x', false, false],
    ]);
    expect(isRuntimeId('nodejs22.x')).toBe(true);
    expect(isRuntimeId('nodejs18.x')).toBe(false);
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
