/**
 * The 4.x client's way to run a handler (nodejs24.x): handler(event, context), whatever it
 * returns is awaited, and the result is posted one setImmediate later. The loop never matters.
 */
import type { InvokeMessage } from '../runner/protocol.js';
import type { RuntimeRules } from '../runtime-rules.js';
import type { CompletionKind } from '../types.js';
import { invokeStore } from './awslambda-global.js';
import { PROTECTED_KEYS } from './invoke-store.js';
import { createLambdaContext } from './lambda-context.js';
import { isThenable, schedule, settle, type Completion, type Invocation, type InvocationDriver } from './invocation.js';

/** The 4.x client runs every handler inside its InvokeStore, keyed by the request; the legacy client has none. */
export function runInInvokeStore<T>(rules: RuntimeRules, message: InvokeMessage, fn: () => T): T {
  if (rules.legacy) return fn();
  const store = { [PROTECTED_KEYS.REQUEST_ID]: message.requestId, [PROTECTED_KEYS.X_RAY_TRACE_ID]: message.traceId };
  return invokeStore.run(store, fn);
}

export function startV4(driver: InvocationDriver, rules: RuntimeRules, invocation: Invocation, message: InvokeMessage): void {
  const { complete, fail } = driver;
  const { context } = createLambdaContext(rules, message, { callback() {}, done() {} });
  let result: unknown;
  try {
    result = driver.runAs(invocation, () => runInInvokeStore(rules, message, () => driver.handler(message.event, context)));
  } catch (error) {
    return complete(invocation, fail(error), 'throw');
  }
  const completedBy: CompletionKind = isThenable(result) ? 'promise' : 'return-value';
  invocation.promisePending = completedBy === 'promise';
  // The 4.x client awaits whatever the handler returned, then posts one setImmediate later.
  // `await` never looks up Promise.prototype.then on a native promise, so neither do we.
  void (async () => {
    let completion: Completion;
    try {
      completion = { ok: true, value: await result };
    } catch (error) {
      completion = fail(error);
    }
    schedule(() => settle(driver, invocation, completion, completedBy));
  })();
}
