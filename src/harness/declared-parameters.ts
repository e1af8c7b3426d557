/**
 * How many parameters a function's source declares, defaults and rest included: what
 * `fn.length` does not count. `(event, context = {}, callback)` has length 1, yet the legacy
 * runtime passes it a callback it is meant to call. Read from the source text with a small
 * scanner (nesting and string literals), never by evaluating anything.
 */

// Taken before user code runs: a handler may replace Function.prototype.toString.
const functionSource = Function.prototype.toString;

export function declaredParameters(fn: Function): number {
  let source: string;
  try {
    source = functionSource.call(fn);
  } catch {
    return 0;
  }
  return countParameters(source);
}

/** Exported for tests: the parameter count of a function's source text. */
export function countParameters(source: string): number {
  // A single parameter without parentheses: `event => …`, `async event => …`.
  if (/^(async\s+)?[\w$]+\s*=>/.test(source.trim())) return 1;
  const open = source.indexOf('(');
  if (open === -1) return 0;
  let depth = 0;
  let count = 0;
  let sawToken = false;
  for (let i = open + 1; i < source.length; i++) {
    const char = source[i]!;
    if (char === '"' || char === "'" || char === '`') {
      i = skipString(source, i);
      sawToken = true;
    } else if (char === '/' && source[i + 1] === '*') {
      i = Math.max(source.indexOf('*/', i + 2), i) + 1;
    } else if (char === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i === -1) return count;
    } else if (char === '(' || char === '[' || char === '{') {
      depth++;
      sawToken = true;
    } else if (char === ')' || char === ']' || char === '}') {
      if (depth === 0) return sawToken ? count + 1 : count;
      depth--;
    } else if (char === ',' && depth === 0) {
      if (sawToken) count++;
      sawToken = false;
    } else if (!/\s/.test(char)) {
      sawToken = true;
    }
  }
  return count;
}

function skipString(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === quote) return i;
  }
  return source.length;
}
