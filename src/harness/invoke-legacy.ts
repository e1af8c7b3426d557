/**
 * The legacy client's way to run a handler (nodejs20.x, nodejs22.x): handler(event, context,
 * callback), one latch for callback, done/succeed/fail and a returned thenable, and
 * callback(null, …) waiting for the empty loop unless the context says otherwise.
 */
import type { HandlerShape, InvokeMessage } from '../runner/protocol.js';
import type { RuntimeRules } from '../runtime-rules.js';
import { createLambdaContext } from './lambda-context.js';
import { isError, schedule, settle, type Invocation, type InvocationDriver } from './invocation.js';

export function startLegacy(driver: InvocationDriver, rules: RuntimeRules, shape: HandlerShape, invocation: Invocation, message: InvokeMessage): void {
  const { complete, fail } = driver;
  const callback = (error: unknown, result?: unknown): void => {
    if (invocation.latched) return;
    if (isError(error)) return complete(invocation, fail(error), 'callback');
    if (!waitsForEmptyEventLoop()) return complete(invocation, { ok: true, value: result }, 'callback');
    invocation.latched = true;
    const waiting: NonNullable<Invocation['waiting']> = { result, calledAt: performance.now(), heldBy: [] };
    invocation.waiting = waiting;
    // Called from a request's or a timer's callback, that request or timer is listed by Node
    // until the callback's scope closes (ticks and microtasks included), and a socket destroyed
    // there until the close phase: they are finishing, not holding the response back. What is
    // still alive once the scope has closed is what the runtime really waits for. (The empty
    // loop cannot come first: this immediate is on it.)
    schedule(() => (waiting.heldBy = driver.liveResources()));
  };
  const done = (error: unknown, result?: unknown): void => {
    complete(invocation, isError(error) ? fail(error) : { ok: true, value: result }, 'context.done');
  };
  const { context, waitsForEmptyEventLoop } = createLambdaContext(rules, message, { callback, done });
  // The client settles a returned thenable through context.succeed/fail: fail() of nothing
  // (a rejection with undefined or null) reports the string "handled".
  const succeed = (value: unknown): void => settle(driver, invocation, { ok: true, value }, 'promise');
  const failed = (reason: unknown): void => settle(driver, invocation, fail(isError(reason) ? reason : 'handled'), 'promise');
  // Like the client's handleOnce: the call, result.then(…) and .catch(…) share one try, and
  // whatever is thrown there goes to callback(error), where null or undefined mean success.
  try {
    const result: any = driver.runAs(invocation, () => driver.handler(message.event, context, callback));
    // The client's own test, getter included: a `then` that throws lands in the catch below.
    if (result && result.then && typeof result.then === 'function') {
      invocation.promisePending = true;
      // A hand-rolled thenable whose then() returns nothing makes .catch throw: as on Lambda.
      result.then(succeed, failed).catch(failed);
    } else if (result !== undefined && !shape.isAsync) {
      invocation.ignoredReturn = true;
    }
  } catch (error) {
    if (invocation.latched) return;
    if (isError(error)) complete(invocation, fail(error), 'throw');
    else callback(error);
  }
}
