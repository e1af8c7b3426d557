import { neutralizeWorkflowCommands } from './sanitize.js';

// JSON.stringify escapes C0 controls but emits DEL, C1 controls (0x9b is a one-byte CSI) and bidi
// overrides raw, so `cat report.sarif` could still drive a terminal or disguise text. They can
// only occur inside JSON strings, where a \u escape parses back to the same text.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * 2-space indented JSON with a trailing newline, terminal-unsafe characters \u-escaped. JSON is
 * data, but `--format json` on stdout reaches a CI job log too: a line of it can never start
 * with `::` (strings stay on one line, every line starts with indentation, a bracket or `"`),
 * yet GitHub Actions' legacy `##[command]` form is found anywhere in a line, so that `#` is
 * written `\u0023`, which parses back to the same string (sanitize.ts).
 */
export function toSafeJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, toUnicodeEscape);
  return `${neutralizeWorkflowCommands(text, toUnicodeEscape)}\n`;
}

function toUnicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
