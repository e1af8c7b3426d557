/**
 * Reads a SAM/CloudFormation template (or a Serverless Framework service), YAML or JSON, into plain data. CloudFormation's
 * short-form tags (`!Ref X`, `!Sub '…'`, `!GetAtt A.B`, `!If [c, a, b]` …) become the long
 * JSON form (`{ Ref: X }`, `{ 'Fn::Sub': '…' }`, `{ 'Fn::GetAtt': ['A', 'B'] }`) the way
 * CloudFormation itself converts them, so YAML and JSON templates go through one code path.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { createRequire } from 'node:module';
import type { CollectionTag, ScalarTag, Tags, YAMLMap, YAMLSeq } from 'yaml';

// Loaded on first use: most runs check files, not templates, and start-up time counts.
const loadYaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml');
import { UsageError } from '../../errors.js';
import { READ_LIMITS, readRegularFile } from '../../read-regular-file.js';
import { isServerlessConfig } from './serverless-functions.js';

/** Short-form tag → long-form key. `!Ref` and `!Condition` are not `Fn::` functions. */
const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  ...Object.fromEntries(
    [
      'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'ForEach', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join',
      'Length', 'Not', 'Or', 'Select', 'Split', 'Sub', 'ToJsonString', 'Transform',
    ].map((name) => [name, `Fn::${name}`]),
  ),
};

/** Each tag may be written on a scalar, a sequence or a mapping (`!Sub 'x'` and `!Sub ['x', {…}]`). */
function tagsFor(name: string, key: string): [ScalarTag, CollectionTag, CollectionTag] {
  const tag = `!${name}`;
  return [
    // `!GetAtt Resource.Attribute` is the one scalar form CloudFormation splits (at the first dot).
    { tag, resolve: (value: string) => ({ [key]: name === 'GetAtt' ? splitAtFirstDot(value) : value }) },
    { tag, collection: 'seq', resolve: (value: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [key]: value.toJSON() }) },
    { tag, collection: 'map', resolve: (value: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [key]: value.toJSON() }) },
  ];
}

function splitAtFirstDot(value: string): string[] {
  const dot = value.indexOf('.');
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

const CUSTOM_TAGS = Object.entries(SHORT_FORMS).flatMap(([name, key]) => tagsFor(name, key));

/** A plain decimal integer, as YAML 1.1 and JSON both read it; any other number form is kept as its text. */
const PLAIN_INTEGER = /^-?(0|[1-9][0-9]*)$/;

/**
 * YAML 1.1 reads `0x5`, `010` (octal: 8), `0b11`, `1_0`, `+5`, `1:20` (base 60) and `1e0` as
 * numbers. A Timeout or MemorySize in such a form is a usage error (options.ts, wholeNumber), so
 * every number scalar that is not a plain decimal integer stays the text it was written as.
 */
function withPlainNumbersOnly(tags: Tags): Tags {
  return tags.map((tag) =>
    typeof tag === 'object' && 'tag' in tag && /:(int|float)$/.test(tag.tag) && 'resolve' in tag
      ? { ...tag, resolve: (source: string, ...rest: unknown[]) => (!('format' in tag && tag.format) && tag.tag.endsWith(':int') && PLAIN_INTEGER.test(source) ? (tag.resolve as (...args: unknown[]) => unknown)(source, ...rest) : source) } as ScalarTag
      : tag,
  );
}

/** The same for JSON: `5.0` and `1e0` become their text; strings are matched first, so their content is never touched. */
function keepNumberForms(json: string): string {
  return json.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) => (token.startsWith('"') || PLAIN_INTEGER.test(token) ? token : `"${token}"`));
}

/** Parses template text; `name` is the file name used in error messages. */
export function parseTemplateText(text: string, name: string): Record<string, unknown> {
  let data: unknown;
  try {
    // JSON is YAML too, but JSON.parse gives JSON's own error messages for a .json template.
    // YAML 1.1, as CloudFormation and the SAM CLI read templates.
    // A key given twice: the SAM CLI's YAML loader keeps the last one (it packages what it
    // read, so CloudFormation never sees the duplicate); the Serverless Framework's refuses it.
    const parse = (uniqueKeys: boolean): unknown =>
      loadYaml().parse(text, { customTags: (tags: Tags) => [...withPlainNumbersOnly(tags), ...CUSTOM_TAGS], version: '1.1', prettyErrors: true, uniqueKeys });
    if (name.endsWith('.json')) {
      // Parsed once as written, for JSON's own error messages, then with number forms kept.
      JSON.parse(text);
      data = JSON.parse(keepNumberForms(text));
    } else {
      data = parse(false);
    }
    if (!name.endsWith('.json') && data !== null && typeof data === 'object' && isServerlessConfig(data as Record<string, unknown>)) data = parse(true);
  } catch (error) {
    throw new UsageError(`--template '${name}' does not parse: ${firstLine((error as Error).message).replace(/:$/, '')}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`--template '${name}' is not a template: expected a mapping with Resources`);
  }
  const template = data as Record<string, unknown>;
  if (isServerlessConfig(template)) return template;
  if (template.Resources === null || typeof template.Resources !== 'object' || Array.isArray(template.Resources)) {
    throw new UsageError(`--template '${name}' has no Resources section`);
  }
  return template;
}

export function readTemplate(file: string, name: string): Record<string, unknown> {
  const read = readRegularFile(file, READ_LIMITS.template);
  if (!read.ok) throw new UsageError(`cannot read --template '${name}': ${read.reason}`);
  const text = read.text;
  if (/\.(c|m)?(j|t)s$/.test(name)) {
    // serverless.ts / serverless.js is a program; what it produces is what `serverless print` writes.
    throw new UsageError(`--template '${name}' is code, not a template: give its output instead (npx serverless print > serverless.resolved.yml)`);
  }
  return parseTemplateText(text, name);
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
