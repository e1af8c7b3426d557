/**
 * The legacy client's way to run a handler (nodejs20.x, nodejs22.x): handler(event, context,
 * callback), one latch for callback, done/succeed/fail and a returned thenable, and
 * callback(null, …) waiting for the empty loop unless the context says otherwise.
 */
import type { HandlerShape, InvokeMessage } from '../runner/protocol.js';
import type { RuntimeRules } from '../runtime-rules.js';
import { createLambdaContext } from './lambda-context.js';
import { fail, isError, settle, type Invocation, type InvocationDriver } from './invocation.js';

export function startLegacy(driver: InvocationDriver, rules: RuntimeRules, shape: HandlerShape, invocation: Invocation, message: InvokeMessage): void {
  const { complete } = driver;
  const callback = (error: unknown, result?: unknown): void => {
    if (invocation.latched) return;
    if (isError(error)) return complete(invocation, fail(error), 'callback');
    if (!waitsForEmptyEventLoop()) return complete(invocation, { ok: true, value: result }, 'callback');
    invocation.latched = true;
    invocation.waiting = { result, calledAt: performance.now(), heldBy: driver.liveResources() };
  };
  const done = (error: unknown, result?: unknown): void => {
    complete(invocation, isError(error) ? fail(error) : { ok: true, value: result }, 'context.done');
  };
  const { context, waitsForEmptyEventLoop } = createLambdaContext(rules, message, { callback, done });
  // Like the client's handleOnce: the call and result.then() share one try, and a throw from
  // either is treated as callback(error).
  try {
    const result: any = driver.runAs(invocation, () => driver.handler(message.event, context, callback));
    // The client's own test, getter included: a `then` that throws lands in the catch below.
    if (result && result.then && typeof result.then === 'function') {
      invocation.promisePending = true;
      (result as PromiseLike<unknown>).then(
        (value) => settle(driver, invocation, { ok: true, value }, 'promise'),
        (error) => settle(driver, invocation, fail(error), 'promise'),
      );
    } else if (result !== undefined && !shape.isAsync) {
      invocation.ignoredReturn = true;
    }
  } catch (error) {
    if (!invocation.latched) complete(invocation, fail(error), 'throw');
  }
}
