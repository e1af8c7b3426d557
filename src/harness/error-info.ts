/** The runtime's error body: name/message/stack for Errors, typeof/String() for anything else. */
import type { ErrorInfo } from '../types.js';

export function toErrorInfo(value: unknown): ErrorInfo {
  try {
    if (value instanceof Error || isErrorLike(value)) {
      const error = value as Error;
      const stack = typeof error.stack === 'string' ? error.stack : '';
      return { errorType: safeString(error.name), errorMessage: safeString(error.message), trace: stack ? stack.split('\n') : [] };
    }
  } catch {
    // A getter on the error threw (a hostile or broken error object): describe it as a value.
  }
  return { errorType: typeof value, errorMessage: safeString(value), trace: [] };
}

/** Errors from another realm (vm contexts) fail instanceof but are Errors all the same. */
function isErrorLike(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object Error]';
}

export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[unprintable value]';
    }
  }
}

/** An error wrapped the way the runtime wraps load failures (`Runtime.ImportModuleError` …). */
export function wrappedError(errorType: string, original: unknown): ErrorInfo {
  const inner = toErrorInfo(original);
  return { errorType, errorMessage: original instanceof Error ? `${inner.errorType}: ${inner.errorMessage}` : inner.errorMessage, trace: inner.trace };
}
