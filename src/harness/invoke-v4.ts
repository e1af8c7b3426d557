/**
 * The 4.x client's way to run a handler (nodejs24.x): handler(event, context), whatever it
 * returns is awaited, and the result is posted one setImmediate later. The loop never matters.
 */
import type { InvokeMessage } from '../runner/protocol.js';
import type { RuntimeRules } from '../runtime-rules.js';
import type { CompletionKind } from '../types.js';
import { createLambdaContext } from './lambda-context.js';
import { fail, isThenable, schedule, settle, type Completion, type Invocation, type InvocationDriver } from './invocation.js';

export function startV4(driver: InvocationDriver, rules: RuntimeRules, invocation: Invocation, message: InvokeMessage): void {
  const { complete } = driver;
  const { context } = createLambdaContext(rules, message, { callback() {}, done() {} });
  let result: unknown;
  try {
    result = driver.runAs(invocation, () => driver.handler(message.event, context));
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
