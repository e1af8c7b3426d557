// When the runtime posts what (semantics §2), errors (§3), the context (§4) and the differences
// between runtime lines (§6), one row per fixture and runtime line. Expectations come from
// the shared lambda-runtime-semantics.md (beside the project), never from what the tool happens to print.
import { readdirSync, readFileSync } from 'node:fs';
import { it, expect } from 'vitest';
import { onRuntimes, testRows, type Row } from '../helpers/run-cli.js';

const LEGACY = ['nodejs22.x'] as const;
const BOTH = ['nodejs22.x', 'nodejs24.x'] as const;
const ALL = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const;

/** Events for "fails on the first invocation, then shows the environment's invocation count". */
const FAIL_THEN_SAFE = ['--event', '{}', '--event', '{"safe":true}'];

/** Semantics §2.2 / §6: how nodejs24.x rejects a handler declaring 3+ parameters. */
const CALLBACK_DEPRECATED_ON_24: Row['initError'] = {
  errorType: 'Runtime.CallbackHandlerDeprecated',
  errorMessage:
    /^ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node\.js 24\./,
};

const rejectedOn24 = (target: string): Row => ({
  target,
  runtime: 'nodejs24.x',
  timeout: 1,
  invocations: 1,
  status: 1,
  initError: CALLBACK_DEPRECATED_ON_24,
  codes: ['CALLBACK_HANDLER_DEPRECATED'],
  // The init failed, so INIT_ERROR fits too; SPEC.md does not say whether both are reported.
  mayAlsoHave: ['INIT_ERROR'],
});

/** Both invocations end on the refused connection's unheard 'error', each reported where the connection was opened. */
function expectUnheardSocketErrors(result: any): void {
  const errors = result.findings.filter((finding: any) => finding.code === 'UNCAUGHT_EXCEPTION');
  expect(errors.map((finding: any) => [finding.invocation, finding.location?.line])).toEqual([[1, 12], [2, 12]]);
  for (const finding of errors) {
    expect(finding.message).toMatch(/during invocation \d \(in work created at Init\): Error: connect ECONNREFUSED 127\.0\.0\.1:1\. .*an 'error' event nothing listened to/);
    expect(finding.hint).toMatch(/Listen for the object's 'error' event/);
  }
}

const rows: Row[] = [
  // §2: what posts when -----------------------------------------------------------------------
  ...onRuntimes([...ALL], {
    target: 'fixtures/async-clean.js', timeout: 2, invocations: 2, status: 0,
    outcomes: [{ outcome: 'response', response: { ok: true } }, { outcome: 'response', response: { ok: true } }],
    codes: [],
  }),
  // §6 and the runtime lifecycle: nodejs18.x runs under the legacy client, as nodejs20.x, and
  // both carry the deprecation warning (added to every row on them by expectRow), which names
  // AWS's dates and never fails the check.
  {
    target: 'fixtures/callback-clean.js', runtime: 'nodejs18.x', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { ok: true } }],
    codes: ['CALLBACK_HANDLER_DEPRECATED'],
    check: (result) => {
      const deprecated = result.findings.find((finding: any) => finding.code === 'RUNTIME_DEPRECATED');
      expect(deprecated).toMatchObject({ severity: 'warning', invocation: null, location: null });
      expect(deprecated.message).toMatch(/^nodejs18\.x has been deprecated since 2025-09-01: /);
      expect(deprecated.hint).toMatch(/^Move to nodejs24\.x /);
    },
  },
  ...onRuntimes([...BOTH], {
    target: 'fixtures/async-pending-timer.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { ok: true }, maxDurationMs: 500 }],
    codes: ['PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: 'fixtures/async-pending-timer.js', line: 4, createdIn: 'invocation', invocation: 1, kind: 'timer' }],
  }),
  // Node initialises a timer that already ran again from refresh(), outside its constructor.
  ...onRuntimes([...BOTH], {
    target: 'fixtures/timer-refreshed.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { refreshed: true } }],
    codes: ['PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: 'fixtures/timer-refreshed.js', line: 6, createdIn: 'invocation', invocation: 1, kind: 'timer' }],
  }),
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fixtures/callback-clean.js', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { ok: true } }],
    codes: ['CALLBACK_HANDLER_DEPRECATED'],
  }),
  rejectedOn24('fixtures/callback-clean.js'),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/callback-short-timer.js', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { ok: true }, minDurationMs: 350 }],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'RESPONSE_DELAYED_BY_EVENT_LOOP'],
    resources: [{ code: 'RESPONSE_DELAYED_BY_EVENT_LOOP', file: 'fixtures/callback-short-timer.js', line: 4, createdIn: 'invocation', invocation: 1, kind: 'timer' }],
  }),
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fixtures/callback-interval.js', timeout: 1, invocations: 1, status: 1,
    outcomes: [{ outcome: 'timeout' }],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'],
    resources: [{ code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', file: 'fixtures/callback-interval.js', line: 4, createdIn: 'init', kind: 'interval' }],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/callback-interval-nowait.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { ok: true }, maxDurationMs: 500 }],
    codes: ['CALLBACK_HANDLER_DEPRECATED'],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/callback-interval-in-handler.js', timeout: 1, invocations: 1, status: 1,
    outcomes: [{ outcome: 'timeout' }],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'],
    resources: [{ code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', file: 'fixtures/callback-interval-in-handler.js', line: 4, createdIn: 'invocation', invocation: 1, kind: 'interval' }],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/callback-net-server.js', timeout: 1, invocations: 1, status: 1,
    outcomes: [{ outcome: 'timeout' }],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'],
    resources: [{ code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', file: 'fixtures/callback-net-server.js', line: 6, createdIn: 'invocation', invocation: 1, kind: 'server' }],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/callback-error-with-timer.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'Error', errorMessage: 'upstream said no' }, maxDurationMs: 500 }],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'HANDLER_ERROR', 'PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: 'fixtures/callback-error-with-timer.js', line: 4, createdIn: 'invocation', invocation: 1, kind: 'timer' }],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/context-done-with-timer.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { via: 'done' }, maxDurationMs: 500 }],
    codes: ['PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: 'fixtures/context-done-with-timer.js', line: 4, createdIn: 'invocation', invocation: 1 }],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/context-succeed-with-timer.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { via: 'succeed' }, maxDurationMs: 500 }],
    codes: ['PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: 'fixtures/context-succeed-with-timer.js', line: 4, createdIn: 'invocation', invocation: 1 }],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/context-fail-with-timer.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'Error', errorMessage: 'failed via context.fail' }, maxDurationMs: 500 }],
    codes: ['HANDLER_ERROR', 'PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: 'fixtures/context-fail-with-timer.js', line: 4, createdIn: 'invocation', invocation: 1 }],
  }),
  // §2.2: nodejs24.x has no done/succeed/fail; the TypeError is an ordinary invocation error.
  ...(['done', 'succeed', 'fail'] as const).map((method): Row => ({
    target: `fixtures/context-${method}-with-timer.js`, runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'TypeError', errorMessage: `context.${method} is not a function` } }],
    codes: ['HANDLER_ERROR', 'PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: `fixtures/context-${method}-with-timer.js`, line: 4, createdIn: 'invocation', invocation: 1 }],
  })),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/context-fail-no-arg.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'string', errorMessage: 'handled' } }],
    codes: ['HANDLER_ERROR'],
  }),
  {
    target: 'fixtures/context-fail-no-arg.js', runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'TypeError', errorMessage: 'context.fail is not a function' } }],
    codes: ['HANDLER_ERROR'],
  },
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/callback-twice.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { call: 1 } }],
    codes: ['CALLBACK_HANDLER_DEPRECATED'],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/async-with-callback-param.js', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { via: 'callback' }, minDurationMs: 250 }],
    codes: ['RESPONSE_DELAYED_BY_EVENT_LOOP'],
    // The legacy runtime warns only for non-async 3-parameter handlers; SPEC.md says "3+ parameters".
    mayAlsoHave: ['CALLBACK_HANDLER_DEPRECATED'],
    resources: [{ code: 'RESPONSE_DELAYED_BY_EVENT_LOOP', file: 'fixtures/async-with-callback-param.js', line: 4, createdIn: 'invocation', invocation: 1 }],
  }),
  rejectedOn24('fixtures/async-with-callback-param.js'),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/promise-then-late-callback.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { via: 'promise' }, maxDurationMs: 500 }],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: 'fixtures/promise-then-late-callback.js', line: 4, createdIn: 'invocation', invocation: 1 }],
  }),
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fixtures/sync-return.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: null }],
    codes: ['RETURN_VALUE_IGNORED'],
    // A finding about the handler itself points at the handler's definition.
    at: [{ code: 'RETURN_VALUE_IGNORED', file: 'fixtures/sync-return.js', line: 3 }],
  }),
  {
    target: 'fixtures/sync-return.js', runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { ok: true } }],
    codes: [],
  },
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fixtures/async-never-settles.js', timeout: 1, invocations: 1, status: 1,
    outcomes: [{ outcome: 'error', error: { errorType: 'Runtime.NodeJsExit', errorMessage: /^The Lambda runtime client detected an unexpected Node\.js exit code\./ } }],
    codes: ['PROMISE_NEVER_SETTLED'],
  }),
  {
    target: 'fixtures/async-never-settles.js', runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 1,
    outcomes: [{ outcome: 'runtime-exit', exitCode: 0 }],
    codes: ['PROMISE_NEVER_SETTLED'],
    // The process did exit with the invocation open, which is RUNTIME_EXIT's wording too.
    mayAlsoHave: ['RUNTIME_EXIT'],
  },
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/plain-fn-never-settling-promise.js', timeout: 1, invocations: 1, status: 1,
    outcomes: [{ outcome: 'response', response: null }],
    codes: ['PROMISE_NEVER_SETTLED'],
  }),
  {
    target: 'fixtures/plain-fn-never-settling-promise.js', runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 1,
    outcomes: [{ outcome: 'runtime-exit', exitCode: 0 }],
    codes: ['PROMISE_NEVER_SETTLED'],
    mayAlsoHave: ['RUNTIME_EXIT'],
  },
  // Semantics 2.1: a plain callback handler that never calls back is answered null once the loop drains.
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fixtures/callback-never-called.js', timeout: 1, invocations: 2, status: 0,
    outcomes: [{ outcome: 'response', response: null }, { outcome: 'response', response: null }],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'CALLBACK_NEVER_CALLED'],
    at: [
      { code: 'CALLBACK_NEVER_CALLED', file: 'fixtures/callback-never-called.js', line: 3 },
      { code: 'CALLBACK_HANDLER_DEPRECATED', file: 'fixtures/callback-never-called.js', line: 3 },
    ],
    check: (result) => expect(result.findings.filter((f: any) => f.code === 'CALLBACK_NEVER_CALLED').map((f: any) => f.invocation)).toEqual([1, 2]),
  }),
  // The callback called on the path the event takes: nothing to report but the callback style.
  // (nodejs20.x: the fixture's line 1 states what nodejs22.x reports with the default event.)
  ...onRuntimes(['nodejs20.x'], {
    target: 'fixtures/callback-never-called.js', timeout: 1, invocations: 1, args: ['--event', '{"ready":true}'], status: 0,
    outcomes: [{ outcome: 'response', response: { ready: true } }],
    codes: ['CALLBACK_HANDLER_DEPRECATED'],
  }),
  rejectedOn24('fixtures/callback-never-called.js'),
  // The same with the callback after a default parameter (length 1): the source declares it, and
  // the legacy runtime passes it; nodejs24.x takes the function as a plain two-argument handler.
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fixtures/callback-after-default-never-called.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: null }],
    codes: ['CALLBACK_NEVER_CALLED'],
    at: [{ code: 'CALLBACK_NEVER_CALLED', file: 'fixtures/callback-after-default-never-called.js', line: 5 }],
  }),
  {
    target: 'fixtures/callback-after-default-never-called.js', runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: null }],
    codes: [],
  },
  // Timeout, then a fresh init: the second invocation is the environment's first (count 1).
  ...onRuntimes([...BOTH], {
    target: 'fixtures/async-pending-interval.js', timeout: 1, invocations: 2, args: FAIL_THEN_SAFE, status: 1,
    outcomes: [{ outcome: 'timeout' }, { outcome: 'response', response: { count: 1 } }],
    codes: ['TIMEOUT_HANDLER_PENDING'],
    resources: [{ code: 'TIMEOUT_HANDLER_PENDING', file: 'fixtures/async-pending-interval.js', line: 10, createdIn: 'invocation', invocation: 1, kind: 'interval' }],
  }),
  // §5: left-over work is frozen and runs at the thaw, before the next handler.
  ...onRuntimes([...BOTH], {
    target: 'fixtures/async-timer-runs-on-thaw.js', timeout: 2, invocations: 2, args: ['--freeze', '300'], status: 0,
    outcomes: [
      { outcome: 'response', response: { count: 1, timerFired: false } },
      { outcome: 'response', response: { count: 2, timerFired: true } },
    ],
    codes: ['PENDING_AT_FREEZE', 'RAN_AFTER_THAW'],
    resources: [
      { code: 'PENDING_AT_FREEZE', file: 'fixtures/async-timer-runs-on-thaw.js', line: 8, createdIn: 'invocation', invocation: 1, kind: 'timer' },
      { code: 'RAN_AFTER_THAW', file: 'fixtures/async-timer-runs-on-thaw.js', line: 8, createdIn: 'invocation', invocation: 1, kind: 'timer' },
    ],
  }),
  ...onRuntimes([...BOTH], {
    target: 'fixtures/async-spawns-child.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { childStarted: true } }],
    codes: ['PENDING_AT_FREEZE'],
    resources: [{ code: 'PENDING_AT_FREEZE', file: 'fixtures/async-spawns-child.js', line: 9, createdIn: 'invocation', invocation: 1, kind: 'child-process' }],
  }),

  // §3: errors ---------------------------------------------------------------------------------
  // An ordinary error does not reset the environment: the count goes on.
  ...onRuntimes([...BOTH], {
    target: 'fixtures/sync-throw.js', timeout: 1, invocations: 2, status: 0,
    outcomes: [
      { outcome: 'error', error: { errorType: 'TypeError', errorMessage: 'bad input #1' } },
      { outcome: 'error', error: { errorType: 'TypeError', errorMessage: 'bad input #2' } },
    ],
    codes: ['HANDLER_ERROR'],
  }),
  ...onRuntimes([...BOTH], {
    target: 'fixtures/async-custom-error.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'ValidationError', errorMessage: 'email is required' } }],
    codes: ['HANDLER_ERROR'],
  }),
  ...onRuntimes([...BOTH], {
    target: 'fixtures/async-custom-error-unnamed.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'Error', errorMessage: 'order 42 not found' } }],
    codes: ['HANDLER_ERROR'],
  }),
  ...onRuntimes([...BOTH], {
    target: 'fixtures/throw-string.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'string', errorMessage: 'no such user' } }],
    codes: ['HANDLER_ERROR'],
  }),
  ...onRuntimes([...BOTH], {
    target: 'fixtures/reject-object.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'object', errorMessage: '[object Object]' } }],
    codes: ['HANDLER_ERROR'],
  }),
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/circular-result.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'Error', errorMessage: 'Unable to stringify response body' } }],
    codes: ['HANDLER_ERROR'],
  }),
  {
    target: 'fixtures/circular-result.js', runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'error', error: { errorType: 'Runtime.JSONStringifyError', errorMessage: 'Unable to stringify response body' } }],
    codes: ['HANDLER_ERROR'],
  },
  // Process-level failures kill the environment: invocation 2 runs on a fresh init (count 1).
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/unhandled-rejection.js', timeout: 2, invocations: 2, args: FAIL_THEN_SAFE, status: 1,
    outcomes: [
      { outcome: 'error', error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: lost write' } },
      { outcome: 'response', response: { count: 1 } },
    ],
    codes: ['UNHANDLED_REJECTION'],
    mayAlsoHave: ['HANDLER_ERROR'],
  }),
  {
    target: 'fixtures/unhandled-rejection.js', runtime: 'nodejs24.x', timeout: 2, invocations: 2, args: FAIL_THEN_SAFE, status: 1,
    outcomes: [{ outcome: 'runtime-exit', exitCode: 1 }, { outcome: 'response', response: { count: 1 } }],
    codes: ['UNHANDLED_REJECTION'],
    mayAlsoHave: ['RUNTIME_EXIT'],
  },
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/uncaught-in-timer.js', timeout: 2, invocations: 2, args: FAIL_THEN_SAFE, status: 1,
    outcomes: [
      { outcome: 'error', error: { errorType: 'RangeError', errorMessage: 'retry budget exhausted' } },
      { outcome: 'response', response: { count: 1 } },
    ],
    codes: ['UNCAUGHT_EXCEPTION'],
    mayAlsoHave: ['HANDLER_ERROR'],
  }),
  {
    target: 'fixtures/uncaught-in-timer.js', runtime: 'nodejs24.x', timeout: 2, invocations: 2, args: FAIL_THEN_SAFE, status: 1,
    outcomes: [{ outcome: 'runtime-exit', exitCode: 1 }, { outcome: 'response', response: { count: 1 } }],
    codes: ['UNCAUGHT_EXCEPTION'],
    mayAlsoHave: ['RUNTIME_EXIT'],
  },
  // §3: an error Node throws from a resource's own callback (an 'error' event nothing listens
  // for) has no frame of the user's; the finding still points at the line that opened the
  // connection, once per invocation it ends, and the exit is not reported a second time.
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fixtures/uncaught-from-init-socket.js', timeout: 2, invocations: 2, status: 1,
    outcomes: [1, 2].map(() => ({ outcome: 'error' as const, error: { errorType: 'Error', errorMessage: 'connect ECONNREFUSED 127.0.0.1:1' } })),
    codes: ['UNCAUGHT_EXCEPTION'],
    resources: [{ code: 'UNCAUGHT_EXCEPTION', file: 'fixtures/uncaught-from-init-socket.js', line: 12, createdIn: 'init', kind: 'request' }],
    check: expectUnheardSocketErrors,
  }),
  {
    target: 'fixtures/uncaught-from-init-socket.js', runtime: 'nodejs24.x', timeout: 2, invocations: 2, status: 1,
    outcomes: [{ outcome: 'runtime-exit', exitCode: 1 }, { outcome: 'runtime-exit', exitCode: 1 }],
    codes: ['UNCAUGHT_EXCEPTION'],
    resources: [{ code: 'UNCAUGHT_EXCEPTION', file: 'fixtures/uncaught-from-init-socket.js', line: 12, createdIn: 'init', kind: 'request' }],
    check: expectUnheardSocketErrors,
  },
  ...onRuntimes([...BOTH], {
    target: 'fixtures/process-exit.js', timeout: 2, invocations: 2, args: FAIL_THEN_SAFE, status: 1,
    outcomes: [{ outcome: 'runtime-exit', exitCode: 3 }, { outcome: 'response', response: { count: 1 } }],
    codes: ['RUNTIME_EXIT'],
  }),

  // §2.2 / §6: callback handlers on nodejs24.x --------------------------------------------------
  ...onRuntimes([...LEGACY], {
    target: 'fixtures/async-three-params.js', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { ok: true } }],
    codes: [],
    mayAlsoHave: ['CALLBACK_HANDLER_DEPRECATED'],
  }),
  rejectedOn24('fixtures/async-three-params.js'),
  {
    target: 'fixtures/rest-params.js', runtime: 'nodejs22.x', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { extraArgs: 1 } }],
    codes: [],
  },
  {
    target: 'fixtures/rest-params.js', runtime: 'nodejs24.x', timeout: 1, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { extraArgs: 0 } }],
    codes: [],
  },

  // §4: context and warm state -------------------------------------------------------------------
  ...ALL.map((runtime): Row => {
    const legacy = runtime !== 'nodejs24.x';
    return {
      target: 'fixtures/context-dump.js', runtime, timeout: 2, invocations: 2, args: ['--memory', '256'], status: 0,
      outcomes: [{ outcome: 'response' }, { outcome: 'response' }],
      codes: [],
      check: (result) => {
        for (const invocation of result.invocations) {
          const context = invocation.response;
          expect(context).toMatchObject({
            memoryLimitInMB: '256',
            remainingType: 'number',
            invokedFunctionArnType: 'string',
            hasCallbackWaitsForEmptyEventLoop: legacy,
            callbackWaitsForEmptyEventLoop: legacy ? true : null,
            succeedType: legacy ? 'function' : 'undefined',
            streamifyResponseType: 'function',
            executionEnv: `AWS_Lambda_${runtime}`,
          });
          expect(typeof context.functionName === 'string' && context.functionName.length > 0, 'functionName').toBe(true);
          expect(context.remainingMs).toBeGreaterThan(0);
          expect(context.remainingMs).toBeLessThanOrEqual(2000);
          // A new context per invocation, carrying the request id the report shows.
          expect(context.awsRequestId).toBe(invocation.requestId);
        }
        expect(result.invocations[0].requestId).not.toBe(result.invocations[1].requestId);
      },
    };
  }),
  ...onRuntimes([...BOTH], {
    target: 'fixtures/warm-state.js', timeout: 1, invocations: 2, status: 0,
    outcomes: [{ outcome: 'response', response: { count: 1 } }, { outcome: 'response', response: { count: 2 } }],
    codes: [],
  }),
];

testRows('runtime semantics, one row per fixture and runtime line', rows);

/** Command lines of live processes mentioning fixtures/ that no running CLI owns any more. */
function strayFixtureProcesses(): string[] {
  const processes = new Map<number, { ppid: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may contain spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      processes.set(Number(entry), { ppid, cmd });
    } catch {
      // The process ended while we read it.
    }
  }
  const ownedByRunningCli = (pid: number): boolean => {
    for (let current = pid, hops = 0; current > 1 && hops < 64; hops++) {
      const info = processes.get(current);
      if (!info) return false;
      if (info.cmd.includes('lambda-hang-check')) return true;
      current = info.ppid;
    }
    return false;
  };
  return [...processes]
    .filter(([pid, info]) => pid !== process.pid && info.cmd.includes('fixtures/') && !ownedByRunningCli(pid))
    .map(([pid, info]) => `${pid}: ${info.cmd}`);
}

// Runs after the concurrent rows above (vitest awaits a concurrent group before the next test).
it('leaves no process from fixtures/ running once its CLI has exited', async () => {
  let stray = strayFixtureProcesses();
  for (let waitedMs = 0; stray.length > 0 && waitedMs < 2000; waitedMs += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stray = strayFixtureProcesses();
  }
  expect(stray).toEqual([]);
});
