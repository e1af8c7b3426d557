/** The runtime's error body: name/message/stack for Errors, typeof/String() for anything else. */
import type { ErrorInfo } from '../types.js';

export function toErrorInfo(value: unknown): ErrorInfo {
  if (value instanceof Error || isErrorLike(value)) {
    const error = value as Error;
    const stack = typeof error.stack === 'string' ? error.stack : '';
    return { errorType: String(error.name), errorMessage: String(error.message), trace: stack ? stack.split('\n') : [] };
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
    return Object.prototype.toString.call(value);
  }
}

/** An error wrapped the way the runtime wraps load failures (`Runtime.ImportModuleError` …). */
export function wrappedError(errorType: string, original: unknown): ErrorInfo {
  const inner = toErrorInfo(original);
  return { errorType, errorMessage: original instanceof Error ? `${original.name}: ${original.message}` : inner.errorMessage, trace: inner.trace };
}
