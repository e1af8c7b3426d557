/**
 * An inspector session in the handler's own thread (no port is opened) answers each `post()`
 * before it returns: Node dispatches in-thread sessions synchronously (checked on Node 20, 22
 * and 24; docs/node-internals.md). The harness uses it for what only V8 knows: where a function
 * is defined, which objects of a class are alive.
 */
import type { Session } from 'node:inspector';

/** The answer to one inspector command; throws its error, or if it did not answer at once. */
export function postSync<T = any>(session: Session, method: string, params: object): T {
  let answer: unknown;
  let failure: unknown;
  let answered = false;
  session.post(method, params, (error: Error | null, result?: unknown) => {
    failure = error;
    answer = result;
    answered = true;
  });
  if (!answered) throw new Error(`${method} did not answer synchronously`);
  if (failure) throw failure;
  return answer as T;
}
