// JSON.stringify escapes C0 controls but emits DEL, C1 controls (0x9b is a one-byte CSI) and bidi
// overrides raw, so `cat report.sarif` could still drive a terminal or disguise text. They can
// only occur inside JSON strings, where a \u escape parses back to the same text.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** 2-space indented JSON with a trailing newline, terminal-unsafe characters \u-escaped. */
export function toSafeJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}
