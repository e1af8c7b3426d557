/**
 * Error bodies. `toErrorInfo` describes any thrown value for the report; `toPostedError`
 * builds the body exactly as each runtime client posts it, because the two lines differ
 * on values that are not plain Errors (conformance/README.md has the cases).
 */
import { types } from 'node:util';
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

/** The legacy client's message when formatting an error-like value fails (no stack, a throwing getter). */
const UNFORMATTABLE = 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack';

/**
 * The body the runtime client posts for an error value. Legacy: native errors (any realm) and
 * objects with string name, message and stack are errors; formatting them needs all three, or
 * the body says "handled". 4.x: only `instanceof Error` counts, and a missing stack is fine.
 */
export function toPostedError(value: unknown, errorFormat: 'legacy' | 'v4'): ErrorInfo {
  if (errorFormat === 'v4') {
    if (!(value instanceof Error)) return { errorType: typeof value, errorMessage: safeString(value), trace: [] };
    const stack = typeof value.stack === 'string' ? value.stack : '';
    return { errorType: safeString(value.name), errorMessage: safeString(value.message), trace: stack ? stack.split('\n') : [] };
  }
  try {
    const error = value as { name: string; message: string; stack: string };
    if (types.isNativeError(value) || isErrorShaped(value)) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') };
    }
    return { errorType: typeof value, errorMessage: (value as object).toString(), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: UNFORMATTABLE, trace: [] };
  }
}

function isErrorShaped(value: unknown): boolean {
  const candidate = value as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return Boolean(candidate && candidate.name && candidate.message && candidate.stack) &&
    typeof candidate!.name === 'string' && typeof candidate!.message === 'string' && typeof candidate!.stack === 'string';
}
