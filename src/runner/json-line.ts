/**
 * A message to the harness as one JSON line. JSON.stringify recurses, and overflows the
 * stack at a few thousand levels of nesting, while JSON.parse does not (Node 20, 22, 24:
 * 100,000 levels parse): the runtime clients JSON.parse the raw body of /next, so a deeply
 * nested event reaches the handler on Lambda, and must reach it here too. Such a message is
 * written by an explicit stack instead.
 */
export function toJsonLine(message: unknown): string {
  try {
    return JSON.stringify(message) + '\n';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return stringifyWithoutRecursion(message) + '\n';
  }
}

/**
 * JSON text of plain data (what JSON.parse returns: objects, arrays, strings, numbers,
 * booleans, null) without recursion, with JSON.stringify's output for each leaf and its
 * rules for undefined and functions (left out of objects, null in arrays). toJSON and
 * cycles are not looked at: events come from JSON text.
 */
export function stringifyWithoutRecursion(root: unknown): string {
  const out: string[] = [];
  // Work items: a value to write, or a literal piece of text (a comma, a closing bracket).
  const stack: Array<{ value: unknown } | string> = [{ value: root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const { value } = item;
    if (Array.isArray(value)) {
      const parts: Array<{ value: unknown } | string> = ['['];
      value.forEach((element, i) => {
        if (i > 0) parts.push(',');
        parts.push(isSkipped(element) ? 'null' : { value: element });
      });
      parts.push(']');
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
    } else if (value !== null && typeof value === 'object') {
      const parts: Array<{ value: unknown } | string> = ['{'];
      for (const [key, element] of Object.entries(value)) {
        if (isSkipped(element)) continue;
        parts.push(`${parts.length > 1 ? ',' : ''}${JSON.stringify(key)}:`, { value: element });
      }
      parts.push('}');
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
    } else {
      out.push(JSON.stringify(value) ?? 'null');
    }
  }
  return out.join('');
}

function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
