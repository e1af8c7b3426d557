/**
 * The functions of a SAM/CloudFormation template with the settings each would deploy with:
 * `AWS::Serverless::Function` (with `Globals.Function` applied as SAM applies it) and
 * `AWS::Lambda::Function` whose `Code` is a local path (as `aws cloudformation package` takes).
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { wholeNumber } from '../../options.js';
import { NO_VALUE, resolveLiteral, toEnvironmentValue, type TemplateScope } from './intrinsics.js';
import { readTemplate } from './parse-template.js';
import { isMap, type Props } from './plain-data.js';
import { isServerlessConfig, readServerlessFunctions } from './serverless-functions.js';

export interface TemplateFunction {
  logicalId: string;
  /** `FunctionName` when it is a literal, else the logical ID (what AWS_LAMBDA_FUNCTION_NAME would resemble). */
  functionName: string;
  /** What the report calls it when not the logical ID: a CDK construct's path (`ShopStack/Orders`). */
  displayName?: string | null;
  /** null: none given where a default applies (a Serverless Framework service); the tool's runtime stands in. */
  runtime: string | null;
  handler: string | null;
  /** Absolute path of the local code directory (CodeUri / Code). */
  codeDir: string | null;
  timeoutS: number | null;
  memoryMB: number | null;
  env: Record<string, string>;
  /** Local directories of its layers, in the order Lambda unpacks them into /opt; layers only a deploy has are left out. */
  layers: string[];
  /** `Metadata: BuildMethod: esbuild`: the entry point to compile and its module format. */
  entryPoint: { file: string; format: 'esm' | 'cjs' | null } | null;
  /** Why it cannot be checked (not Node.js, code in S3, an image …); null when it can. */
  skipReason: string | null;
}

const isIntrinsic = (value: Props): boolean => Object.keys(value).length === 1 && /^(Ref|Condition|Fn::.*)$/.test(Object.keys(value)[0]!);

/** Reads `file` (shown as `name` in messages) and lists its Lambda functions in document order. */
export function readTemplateFunctions(file: string, name: string): TemplateFunction[] {
  const template = readTemplate(file, name);
  if (isServerlessConfig(template)) return readServerlessFunctions(template, file, name);
  const scope: TemplateScope = {
    parameters: isMap(template.Parameters) ? template.Parameters : {},
    mappings: isMap(template.Mappings) ? template.Mappings : {},
  };
  const globals = isMap(template.Globals) && isMap(template.Globals.Function) ? template.Globals.Function : {};
  const functions: TemplateFunction[] = [];
  const resources = template.Resources as Props;
  const layerDir = (reference: unknown) => localLayerDir(reference, resources, dirname(file), scope);
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isMap(resource)) continue;
    const own = isMap(resource.Properties) ? resource.Properties : {};
    const metadata = isMap(resource.Metadata) ? resource.Metadata : {};
    if (resource.Type === 'AWS::Serverless::Function') {
      functions.push(toFunction(logicalId, mergeGlobals(globals, own), metadata, 'serverless', dirname(file), scope, name, layerDir));
    } else if (resource.Type === 'AWS::Lambda::Function') {
      functions.push(toFunction(logicalId, own, metadata, 'lambda', dirname(file), scope, name, layerDir));
    }
  }
  return functions;
}

/**
 * A `Layers` entry that names a layer of this template with local content (`ContentUri` of
 * an `AWS::Serverless::LayerVersion`, `Content` of an `AWS::Lambda::LayerVersion`, or a CDK
 * asset), as the directory Lambda would unpack into /opt; null for a layer only a deploy has
 * (an ARN, an import).
 */
function localLayerDir(reference: unknown, resources: Props, baseDir: string, scope: TemplateScope): string | null {
  const logicalId = isMap(reference) && typeof reference.Ref === 'string' ? reference.Ref : null;
  const layer = logicalId === null ? undefined : resources[logicalId];
  if (!isMap(layer)) return null;
  const props = isMap(layer.Properties) ? layer.Properties : {};
  const metadata = isMap(layer.Metadata) ? layer.Metadata : {};
  const content = layer.Type === 'AWS::Serverless::LayerVersion' ? props.ContentUri : layer.Type === 'AWS::Lambda::LayerVersion' ? props.Content : undefined;
  if (content === undefined) return null;
  const resolved = resolveLiteral(content, scope);
  const path = (typeof resolved === 'string' ? resolved : null) ?? cdkAssetPath(metadata, 'Content');
  if (path === null || /^s3:\/\//.test(path)) return null;
  const dir = resolve(baseDir, path);
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : null;
}

/** SAM's rule: the function's own value wins for scalars, maps merge key by key, lists concatenate. */
export function mergeGlobals(globals: Props, own: Props): Props {
  const merged: Props = { ...globals, ...own };
  for (const key of Object.keys(globals)) {
    if (!Object.hasOwn(own, key)) continue;
    const [global, mine] = [globals[key], own[key]];
    if (isMap(global) && isMap(mine) && !isIntrinsic(global) && !isIntrinsic(mine)) merged[key] = mergeGlobals(global, mine);
    else if (Array.isArray(global) && Array.isArray(mine)) merged[key] = [...global, ...mine];
  }
  return merged;
}

function toFunction(
  logicalId: string, props: Props, metadata: Props, kind: 'serverless' | 'lambda', baseDir: string, scope: TemplateScope, name: string,
  layerDir: (reference: unknown) => string | null,
): TemplateFunction {
  const literal = (value: unknown): string | number | boolean | null => {
    const resolved = resolveLiteral(value, scope);
    return resolved === undefined || resolved === NO_VALUE ? null : resolved;
  };
  const text = (value: unknown): string | null => (typeof literal(value) === 'string' ? (literal(value) as string) : null);
  const field = (key: string) => `--template '${name}': ${logicalId}.${key}`;
  const number = (key: string, min: number, max: number): number | null =>
    literal(props[key]) === null ? null : wholeNumber(field(key), literal(props[key]), min, max);

  // An image brings its own runtime; a Runtime from Globals does not apply to it.
  const runtime = literal(props.PackageType) === 'Image' ? 'image' : text(props.Runtime);
  const code = kind === 'serverless' ? (props.InlineCode !== undefined ? { ZipFile: true } : (props.CodeUri ?? '.')) : props.Code;
  const codePath = text(code) ?? cdkAssetPath(metadata, 'Code', 'CodeUri');
  const fn: TemplateFunction = {
    logicalId,
    functionName: text(props.FunctionName) ?? logicalId,
    displayName: cdkConstructName(metadata),
    runtime,
    handler: text(props.Handler),
    codeDir: codePath === null || /^s3:\/\//.test(codePath) ? null : codeRoot(resolve(baseDir, codePath)),
    timeoutS: number('Timeout', 1, 900),
    memoryMB: number('MemorySize', 128, 10_240),
    env: toEnvironment(props.Environment, scope),
    layers: (Array.isArray(props.Layers) ? props.Layers : []).map(layerDir).filter((dir): dir is string => dir !== null),
    entryPoint: null,
    skipReason: null,
  };
  fn.skipReason = skipReasonFor(fn, literal(props.PackageType), props.Runtime, code);
  if (fn.skipReason) return fn;
  if (!fn.handler) throw new UsageError(`${field('Handler')} is missing: a Node.js function needs a handler such as app.handler`);
  if (!existsSync(fn.codeDir!) || !statSync(fn.codeDir!).isDirectory()) {
    throw new UsageError(`${field(kind === 'serverless' ? 'CodeUri' : 'Code')} '${codePath}' is not a directory`);
  }
  fn.entryPoint = esbuildEntryPoint(metadata, fn.handler, fn.codeDir!, scope);
  if (fn.entryPoint && !existsSync(fn.entryPoint.file)) {
    throw new UsageError(`--template '${name}': ${logicalId}.Metadata.BuildProperties.EntryPoints: '${relative(fn.codeDir!, fn.entryPoint.file)}' does not exist in '${codePath}'`);
  }
  return fn;
}

/**
 * `cdk synth` output (cdk.out/*.template.json): the code is an S3 asset, and the metadata
 * names the local directory it was uploaded from (`asset.<hash>`, beside the template), as
 * `sam local` reads it too.
 */
function cdkAssetPath(metadata: Props, ...properties: string[]): string | null {
  const path = metadata['aws:asset:path'];
  const property = metadata['aws:asset:property'];
  return typeof path === 'string' && properties.includes(String(property)) ? path : null;
}

/** `ShopStack/OrdersFunction/Resource` → `ShopStack/OrdersFunction`: the name the CDK app gave it. */
function cdkConstructName(metadata: Props): string | null {
  const path = metadata['aws:cdk:path'];
  return typeof path === 'string' ? path.replace(/\/Resource$/, '') : null;
}

/**
 * `CodeUri: src/function.js`: `sam package` (and `aws cloudformation package`) zips a single
 * file that is not already an archive (FORCE_ZIP for functions), so the package holds that file
 * at its root: its directory stands for the task root. A .zip or .jar stays an archive.
 */
function codeRoot(path: string): string {
  return /\.(c|m)?js$/.test(path) && existsSync(path) && statSync(path).isFile() ? dirname(path) : path;
}

function skipReasonFor(fn: TemplateFunction, packageType: unknown, runtime: unknown, code: unknown): string | null {
  if (packageType === 'Image') return 'PackageType Image: a container image, not a Node.js runtime';
  if (fn.runtime === null) return runtime === undefined ? 'no Runtime' : 'Runtime is not a literal value';
  if (!fn.runtime.startsWith('nodejs')) return `runtime ${fn.runtime} is not Node.js`;
  if (isMap(code) && ('ZipFile' in code)) return 'inline code (InlineCode / ZipFile) is not checked';
  if (fn.codeDir === null) return 'the code is in S3, not a local path';
  const dir = fn.codeDir!;
  if (existsSync(dir) && statSync(dir).isFile()) return `the code is an archive (${basename(dir)}), not a source directory`;
  return null;
}

function toEnvironment(environment: unknown, scope: TemplateScope): Record<string, string> {
  const variables = isMap(environment) && isMap(environment.Variables) && !isIntrinsic(environment.Variables) ? environment.Variables : {};
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    const resolved = toEnvironmentValue(value, scope);
    if (resolved !== NO_VALUE) env[key] = resolved;
  }
  return env;
}

/**
 * `sam build` with esbuild bundles `EntryPoints` (relative to CodeUri) into `<name>.js`, and the
 * Handler names that output: `app.lambdaHandler` is `app.ts`'s `lambdaHandler`. The entry whose
 * path without extension matches the handler's module wins; with one entry point, that one.
 */
function esbuildEntryPoint(metadata: Props, handler: string, codeDir: string, scope: TemplateScope): TemplateFunction['entryPoint'] {
  if (String(resolveLiteral(metadata.BuildMethod, scope) ?? '').toLowerCase() !== 'esbuild') return null;
  const properties = isMap(metadata.BuildProperties) ? metadata.BuildProperties : {};
  const entries = (Array.isArray(properties.EntryPoints) ? properties.EntryPoints : [])
    .map((entry) => resolveLiteral(entry, scope))
    .filter((entry): entry is string => typeof entry === 'string');
  if (entries.length === 0) return null;
  const slash = handler.lastIndexOf('/');
  const modulePath = handler.slice(0, slash + 1) + handler.slice(slash + 1).split('.')[0];
  const withoutExtension = (entry: string) => entry.replace(/^\.\//, '').slice(0, entry.replace(/^\.\//, '').length - extname(entry).length);
  const entry = entries.find((candidate) => withoutExtension(candidate) === modulePath)
    ?? entries.find((candidate) => basename(withoutExtension(candidate)) === basename(modulePath))
    ?? (entries.length === 1 ? entries[0]! : null);
  if (!entry) return null;
  const format = String(resolveLiteral(properties.Format, scope) ?? '').toLowerCase();
  return { file: resolve(codeDir, entry), format: format === 'esm' || format === 'cjs' ? format : null };
}
