/**
 * Serverless Framework variables (`${self:custom.table}`, `${env:STAGE, 'dev'}`,
 * `${opt:stage}`, `${sls:stage}`, `${file(./config.json):key}` …), resolved as far as a check
 * before deploy can know them. What only a deploy could know (`${ssm:…}`, `${cf:…}`,
 * `${param:…}`, an unset `${env:…}` without a fallback) becomes a visible placeholder such as
 * `<${ssm:/db/url}>`, as a SAM template's `!GetAtt` does, so a handler that reads it sees a
 * string that says what it would have been instead of failing on `undefined`.
 * https://www.serverless.com/framework/docs/guides/variables
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { READ_LIMITS, readRegularFile } from '../../read-regular-file.js';
import { REGION } from '../../runner/lambda-env.js';
import { ACCOUNT_ID } from './intrinsics.js';
import { isMap } from './plain-data.js';

export interface VariableScope {
  /** The whole configuration, for `${self:…}`. */
  config: Record<string, unknown>;
  /** The directory of the configuration file, for `${file(…)}`. */
  baseDir: string;
  /** The environment a deploy would run in, for `${env:…}`. */
  env: NodeJS.ProcessEnv;
}

/** A marker for a value that needs the deploy: the placeholder text replaces it. */
class Unresolved {
  constructor(readonly text: string) {}
}

const MAX_DEPTH = 10;

/**
 * A placeholder is spliced in with this instead of `${`, so that resolving the rest of the text
 * does not take it for a variable again; the final value gets `${` back.
 */
const HELD_OPEN = '$\u0001{';

/** The value with every variable in it resolved (deeply, for maps and lists). */
export function resolveVariables(value: unknown, scope: VariableScope): unknown {
  return mapStrings(resolveDeep(value, scope, 0), (text) => text.replaceAll(HELD_OPEN, '${'));
}

function resolveDeep(value: unknown, scope: VariableScope, depth: number): unknown {
  return mapStrings(value, (text) => resolveString(text, scope, depth));
}

function mapStrings(value: unknown, map: (text: string) => unknown): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (isMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

function placeholder(value: Unresolved): string {
  return `<${value.text.replaceAll('${', HELD_OPEN)}>`;
}

/** `${…}` alone keeps the referenced value's type (a number, a map); inside text it is spliced in. */
function resolveString(text: string, scope: VariableScope, depth: number): unknown {
  if (depth > MAX_DEPTH || !text.includes('${')) return text;
  const inner = innermostVariable(text);
  if (!inner) return text;
  if (inner === text.trim()) {
    const value = resolveReference(inner.slice(2, -1), scope, depth);
    return value instanceof Unresolved ? placeholder(value) : value;
  }
  const value = resolveReference(inner.slice(2, -1), scope, depth);
  const spliced = value instanceof Unresolved ? placeholder(value) : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return resolveString(text.replace(inner, spliced), scope, depth + 1);
}

/** The first `${…}` that holds no other `${`: nested variables resolve from the inside out. */
function innermostVariable(text: string): string | null {
  const start = text.lastIndexOf('${', text.indexOf('}'));
  if (start === -1) return null;
  const end = text.indexOf('}', start);
  return end === -1 ? null : text.slice(start, end + 1);
}

/** `source:address, fallback, …`: the first that resolves wins. */
function resolveReference(body: string, scope: VariableScope, depth: number): unknown {
  const [reference, ...fallbacks] = splitTopLevel(body);
  const value = resolveSource(reference!.trim(), scope, depth);
  if (value !== undefined && !(value instanceof Unresolved)) return value;
  for (const fallback of fallbacks) {
    const text = fallback.trim();
    const quoted = /^(['"])(.*)\1$/.exec(text);
    if (quoted) return quoted[2];
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (text === 'true' || text === 'false') return text === 'true';
    if (text === 'null') return null;
    const next = resolveSource(text, scope, depth);
    if (next !== undefined && !(next instanceof Unresolved)) return next;
  }
  return value ?? new Unresolved(`\${${reference!.trim()}}`);
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | null = null;
  let parens = 0;
  for (const char of body) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(') parens++;
    else if (char === ')') parens--;
    else if (char === ',' && parens === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

/** One source; `undefined` when it names nothing (so a fallback applies). */
function resolveSource(reference: string, scope: VariableScope, depth: number): unknown {
  const file = /^file\((.+?)\)(?::(.*))?$/.exec(reference);
  if (file) return fromFile(file[1]!.trim(), file[2], scope, depth);
  const colon = reference.indexOf(':');
  const [source, address] = colon === -1 ? [reference, ''] : [reference.slice(0, colon), reference.slice(colon + 1)];
  switch (source) {
    case 'self':
      return resolveDeep(lookUp(scope.config, address), scope, depth + 1);
    case 'env':
      return scope.env[address];
    case 'opt':
      // There is no framework command line here (no --stage): its fallback applies.
      return undefined;
    case 'sls':
      return address === 'stage' ? stageOf(scope, depth) : new Unresolved(`\${${reference}}`);
    case 'aws':
      if (address === 'region') return regionOf(scope, depth);
      if (address === 'accountId') return ACCOUNT_ID;
      return new Unresolved(`\${${reference}}`);
    default:
      return new Unresolved(`\${${reference}}`);
  }
}

export function stageOf(scope: VariableScope, depth = 0): string {
  const stage = resolveDeep(lookUp(scope.config, 'provider.stage'), scope, depth + 1);
  return typeof stage === 'string' && !/^<|\$\u0001?\{/.test(stage) ? stage : 'dev';
}

function regionOf(scope: VariableScope, depth: number): string {
  const region = resolveDeep(lookUp(scope.config, 'provider.region'), scope, depth + 1);
  return typeof region === 'string' && !/^<|\$\u0001?\{/.test(region) ? region : REGION;
}

function lookUp(root: unknown, address: string): unknown {
  if (address === '') return root;
  let node: unknown = root;
  for (const key of address.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** `${file(./config.yml):key}` (JSON or YAML): read relative to the configuration file. */
function fromFile(path: string, address: string | undefined, scope: VariableScope, depth: number): unknown {
  const file = resolve(scope.baseDir, path.replace(/^(['"])(.*)\1$/, '$2'));
  let data: unknown;
  try {
    const read = readRegularFile(file, READ_LIMITS.template);
    if (!read.ok) return undefined;
    const text = read.text;
    data = /\.json$/i.test(file) ? JSON.parse(text) : /\.ya?ml$/i.test(file) ? createRequire(import.meta.url)('yaml').parse(text) : undefined;
  } catch {
    return undefined;
  }
  if (data === undefined) return new Unresolved(`\${file(${path})}`);
  const value = lookUp(data, address?.trim() ?? '');
  return resolveDeep(value, scope, depth + 1);
}
