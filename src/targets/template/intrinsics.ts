/**
 * Turning template values into what the function would see, without a deployed stack: a
 * `Ref` to a parameter with a Default, a pseudo parameter, `Fn::Sub`/`Join`/`Select`/`Split`/
 * `FindInMap`/`Base64` over those resolve; anything that needs the stack (a resource's ARN,
 * an import, a condition) becomes a visible placeholder such as `<!GetAtt Table.Arn>`, so a
 * handler that reads it at Init still loads and the report shows where the value came from.
 */
import { functionArn, REGION } from '../../runner/lambda-env.js';

export type Literal = string | number | boolean;

/** `!Ref AWS::NoValue`: the property is removed, as if it were not there. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface TemplateScope {
  parameters: Record<string, unknown>;
  mappings: Record<string, unknown>;
}

/** The same placeholder account the context's invokedFunctionArn uses. */
export const ACCOUNT_ID = functionArn('x').split(':')[4]!;

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::AccountId': ACCOUNT_ID,
  'AWS::Region': REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'lambda-hang-check',
  'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/lambda-hang-check/00000000-0000-0000-0000-000000000000`,
};

/** The value, when it can be known without deploying; `undefined` when it cannot. */
export function resolveLiteral(value: unknown, scope: TemplateScope): Literal | typeof NO_VALUE | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString().replace(/T00:00:00\.000Z$/, '');
  const call = asIntrinsic(value);
  if (!call) return undefined;
  const [name, argument] = call;
  const list = Array.isArray(argument) ? argument : null;
  switch (name) {
    case 'Ref':
      return typeof argument === 'string' ? resolveRef(argument, scope) : undefined;
    case 'Fn::Sub':
      return resolveSub(argument, scope);
    case 'Fn::Join': {
      const items = list && Array.isArray(list[1]) ? list[1].map((item) => resolveLiteral(item, scope)) : null;
      if (typeof list?.[0] !== 'string' || !items || items.some((item) => item === undefined || item === NO_VALUE)) return undefined;
      return items.join(list[0]);
    }
    case 'Fn::Select': {
      const index = Number(resolveLiteral(list?.[0], scope));
      const items = resolveList(list?.[1], scope);
      return items && Number.isInteger(index) ? items[index] : undefined;
    }
    case 'Fn::FindInMap': {
      const keys = list?.map((key) => resolveLiteral(key, scope));
      if (!keys || keys.length < 3 || keys.some((key) => typeof key !== 'string')) return undefined;
      const found = dig(scope.mappings, keys as string[]);
      return typeof found === 'object' ? undefined : resolveLiteral(found, scope);
    }
    case 'Fn::Base64': {
      const text = resolveLiteral(argument, scope);
      return text === undefined || text === NO_VALUE ? undefined : Buffer.from(String(text)).toString('base64');
    }
    default:
      return undefined;
  }
}

/** A string for an environment variable: the literal value, or a placeholder naming the intrinsic. */
export function toEnvironmentValue(value: unknown, scope: TemplateScope): string | typeof NO_VALUE {
  const literal = resolveLiteral(value, scope);
  if (literal === NO_VALUE) return NO_VALUE;
  return literal === undefined ? placeholderFor(value) : String(literal);
}

/** `<!GetAtt Table.Arn>`, `<!ImportValue shared-vpc>`, `<!If …>`: what the value would have been. */
export function placeholderFor(value: unknown): string {
  const call = asIntrinsic(value);
  if (!call) return '<unresolved>';
  const [name, argument] = call;
  const short = `!${name.replace(/^Fn::/, '')}`;
  if (name === 'Fn::GetAtt' && Array.isArray(argument) && argument.every((part) => typeof part === 'string')) {
    return `<${short} ${argument.join('.')}>`;
  }
  return typeof argument === 'string' ? `<${short} ${argument}>` : `<${short} …>`;
}

function resolveRef(name: string, scope: TemplateScope): Literal | typeof NO_VALUE | undefined {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (Object.hasOwn(PSEUDO_PARAMETERS, name)) return PSEUDO_PARAMETERS[name];
  const parameter = scope.parameters[name];
  if (parameter && typeof parameter === 'object' && 'Default' in parameter) {
    const fallback = (parameter as { Default: unknown }).Default;
    if (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean') return fallback;
  }
  return undefined;
}

/** `${Name}` from the variable map, a parameter or a pseudo parameter; `${!Literal}` stays `${Literal}`. */
function resolveSub(argument: unknown, scope: TemplateScope): string | undefined {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string' || variables === null || typeof variables !== 'object') return undefined;
  return text.replace(/\$\{(!?)([^}]*)\}/g, (_whole, bang: string, name: string) => {
    if (bang) return `\${${name}}`;
    const own = Object.hasOwn(variables, name) ? resolveLiteral((variables as Record<string, unknown>)[name], scope) : undefined;
    const value = own ?? (name.includes('.') ? undefined : resolveRef(name, scope));
    return value === undefined || value === NO_VALUE ? `<${name}>` : String(value);
  });
}

function resolveList(value: unknown, scope: TemplateScope): Literal[] | undefined {
  const call = asIntrinsic(value);
  if (call?.[0] === 'Fn::Split' && Array.isArray(call[1])) {
    const [delimiter, source] = call[1];
    const text = resolveLiteral(source, scope);
    return typeof delimiter === 'string' && typeof text === 'string' ? text.split(delimiter) : undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const items = value.map((item) => resolveLiteral(item, scope));
  return items.every((item): item is Literal => item !== undefined && item !== NO_VALUE) ? items : undefined;
}

/** `{ Ref: x }` or `{ 'Fn::Name': args }`: an object with exactly one intrinsic key. */
function asIntrinsic(value: unknown): [string, unknown] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1) return null;
  const key = keys[0]!;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? [key, (value as Record<string, unknown>)[key]] : null;
}

function dig(root: unknown, keys: string[]): unknown {
  let value = root;
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
