// C0 controls except \t and \n, DEL, and C1 controls. ESC (0x1b) and CSI (0x9b) start ANSI sequences
// that can recolour, move the cursor or retitle the window; \r and \b overwrite what was already
// printed. Handler output is untrusted, so none of it may reach the terminal raw
// (https://invisible-island.net/xterm/ctlseqs/ctlseqs.html).
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

// Bidirectional overrides reorder what the reader sees without changing the bytes
// (CVE-2021-42574, "Trojan Source"), so a message could show a path that is not the real one.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * The GitHub Actions runner executes a line of the job log as a workflow command when, after
 * leading whitespace, it starts with `::` (`::add-mask::`, `::stop-commands::`), or when it
 * holds `##[` anywhere (the legacy form, still parsed as a fallback: `##[stop-commands]token`).
 * It splits lines at CR and LF. Runner source: src/Runner.Common/ActionCommand.cs (TryParseV2,
 * TryParse) and src/Runner.Worker/ActionCommandManager.cs (TryProcessCommand).
 */
const LINE_START_COMMAND = /(^|[\r\n])([^\S\r\n]*):(?=:)/g;
const LEGACY_COMMAND = /#(?=#\[)/g;

/**
 * Rewrites the one character that makes a workflow command (the first `:` of a line-leading
 * `::`, the first `#` of `##[`) with `escape`, a form the reader of the format turns back into
 * the same text (`&#58;` in XML, `\u0023` in JSON) or shows visibly (`\x3a` on a terminal).
 * Applied to a fragment, the fragment's start counts as a line start: an escape too many is
 * harmless, one too few is a command.
 */
export function neutralizeWorkflowCommands(s: string, escape: (char: ':' | '#') => string): string {
  return s.replace(LINE_START_COMMAND, (_match, lineStart: string, space: string) => `${lineStart}${space}${escape(':')}`).replace(LEGACY_COMMAND, () => escape('#'));
}

function toHex(char: string, width: number): string {
  return char.charCodeAt(0).toString(16).padStart(width, '0');
}

/**
 * Makes handler-supplied text safe to print: every control character except `\n` and `\t`
 * becomes the visible text `\xNN` (ESC → `\x1b`), bidi overrides become `\uNNNN`, and what
 * GitHub Actions would run as a workflow command is defused the same way (`::` at a line
 * start → `\x3a:`, `##[` → `\x23#[`): text and messages reach CI job logs.
 */
export function sanitizeForTerminal(s: string): string {
  const visible = s
    .replace(CONTROL_CHARS, (char) => `\\x${toHex(char, 2)}`)
    .replace(BIDI_CONTROLS, (char) => `\\u${toHex(char, 4)}`);
  return neutralizeWorkflowCommands(visible, (char) => `\\x${toHex(char, 2)}`);
}

/**
 * Like `sanitizeForTerminal`, and also shows `\n` as the text `\n`: for fields printed on one line
 * (messages, summaries, paths), where a newline could forge a line of the report such as `PASS`.
 */
export function toSingleLine(s: string): string {
  return sanitizeForTerminal(s).replace(/\n/g, '\\n');
}

/** Continuation lines shown of a multi-line message before the rest is counted. */
const MAX_CONTINUATION_LINES = 12;

/**
 * A multi-line message (an error with a require stack, a code frame) for a report line: the
 * first line in place, each further line on its own under `indent`, so no line of it can
 * start at the margin and pass for a line of the report. Sanitised like `sanitizeForTerminal`.
 */
export function toIndentedLines(s: string, indent: string): string {
  const lines = s.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n').map(sanitizeForTerminal);
  const [first = '', ...rest] = lines;
  const shown = rest.slice(0, MAX_CONTINUATION_LINES);
  if (rest.length > shown.length) shown.push(`… ${rest.length - shown.length} more line${rest.length - shown.length === 1 ? '' : 's'}`);
  return [first, ...shown.map((line) => `${indent}${line}`)].join('\n');
}
