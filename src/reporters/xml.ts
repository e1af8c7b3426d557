import { neutralizeWorkflowCommands } from './sanitize.js';

/**
 * Text that is safe in XML 1.0 whatever a handler put in it. Characters XML 1.0 forbids
 * (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) make a document
 * unparseable, so they become visible escapes (`\x1b`, `\ud800`) rather than vanishing;
 * DEL, C1 controls and bidi overrides, which XML allows but discourages or which can
 * disguise text (CVE-2021-42574), are escaped the same way.
 * https://www.w3.org/TR/xml/#charsets
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\u007e\u00a0-\u2029\u202f-\u2065\u206a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

function toVisibleEscape(char: string): string {
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Character data: `&`, `<` and `>` as entities, unsafe characters as visible escapes, and what
 * GitHub Actions would run as a workflow command (JUnit on stdout reaches the job log) as a
 * character reference, which every XML parser reads back as the same text.
 */
export function escapeXmlText(text: string): string {
  const escaped = text
    .replace(NOT_XML_CHAR, toVisibleEscape)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return neutralizeWorkflowCommands(escaped, (char) => `&#${char.charCodeAt(0)};`);
}

/** An attribute value in double quotes; tab, CR and LF as character references so parsers keep them. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** `<name a="1" b="x">`, attributes in the given order, undefined ones left out. */
export function openTag(name: string, attributes: Record<string, string | number | undefined>, selfClosing = false): string {
  const rendered = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join('');
  return `<${name}${rendered}${selfClosing ? '/>' : '>'}`;
}
