/**
 * The functions of a Serverless Framework service (`serverless.yml`) with the settings each
 * would deploy with: the function's own `runtime`, `timeout`, `memorySize` and `environment`
 * over the provider's, the provider's over the framework's defaults (6 s, 1024 MB), and the
 * deployed name `<service>-<stage>-<function>`. Handlers resolve from the service directory
 * like `_HANDLER`; a handler whose module exists only as TypeScript is checked from that
 * source, as the framework's built-in esbuild (v4) and the esbuild/TypeScript plugins build it.
 * https://www.serverless.com/framework/docs/providers/aws/guide/functions
 */
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { wholeNumber } from '../../options.js';
import { findModuleFile } from '../handler-module.js';
import { isMap, type Props } from './plain-data.js';
import { resolveVariables, stageOf, type VariableScope } from './serverless-variables.js';
import type { TemplateFunction } from './template-functions.js';


/** The framework's own defaults when neither the function nor the provider sets a value. */
const DEFAULT_TIMEOUT_S = 6;
const DEFAULT_MEMORY_MB = 1024;

/** A Serverless Framework service rather than a CloudFormation template: `service` and `functions` or `provider`, no `Resources`. */
export function isServerlessConfig(data: Props): boolean {
  return data.Resources === undefined && data.service !== undefined && (isMap(data.functions) || Array.isArray(data.functions) || isMap(data.provider));
}

export function readServerlessFunctions(config: Props, file: string, name: string, env: NodeJS.ProcessEnv = process.env): TemplateFunction[] {
  const baseDir = dirname(file);
  const scope: VariableScope = { config, baseDir, env };
  const resolved = (value: unknown) => resolveVariables(value, scope);
  const provider = isMap(config.provider) ? (resolved(config.provider) as Props) : {};
  if (provider.name !== undefined && provider.name !== 'aws') {
    throw new UsageError(`--template '${name}': provider.name is '${String(provider.name)}'; only AWS Lambda services are checked`);
  }
  const service = resolved(config.service);
  const serviceName = isMap(service) ? String(service.name) : String(service);
  const stage = stageOf(scope);
  // `functions: ${file(./functions.yml)}`, or a list of such files, is how larger services split their functions.
  const listed = resolved(config.functions ?? {});
  const functions = Array.isArray(listed) ? Object.assign({}, ...listed.filter(isMap)) : listed;
  if (!isMap(functions)) throw new UsageError(`--template '${name}': functions must be a mapping of function names to their settings`);

  const serviceLayers = layersOf(resolved(config.layers), baseDir);
  return Object.entries(functions).map(([key, raw]) => {
    const own = isMap(raw) ? raw : {};
    const field = (setting: string) => `--template '${name}': functions.${key}.${setting}`;
    const number = (setting: string, min: number, max: number, fallback: number): number => {
      const [value, where] = own[setting] !== undefined ? [own[setting], field(setting)] : [provider[setting], `--template '${name}': provider.${setting}`];
      return value === undefined || isPlaceholder(value) ? fallback : wholeNumber(where, value, min, max);
    };
    const runtime = own.image !== undefined ? 'image' : text(own.runtime) ?? text(provider.runtime);
    const fn: TemplateFunction = {
      logicalId: key,
      functionName: text(own.name) ?? `${serviceName}-${stage}-${key}`,
      runtime,
      handler: text(own.handler),
      codeDir: baseDir,
      timeoutS: number('timeout', 1, 900, DEFAULT_TIMEOUT_S),
      memoryMB: number('memorySize', 128, 10_240, DEFAULT_MEMORY_MB),
      env: { ...environmentOf(provider.environment), ...environmentOf(own.environment) },
      layers: layerDirs(own.layers ?? provider.layers, serviceLayers),
      entryPoint: null,
      skipReason: null,
    };
    fn.skipReason = skipReasonFor(fn, own, config);
    if (fn.skipReason) return fn;
    if (!fn.handler) throw new UsageError(`${field('handler')} is missing: a Node.js function needs a handler such as handler.hello`);
    fn.entryPoint = typeScriptSource(baseDir, fn.handler);
    return fn;
  });
}

/**
 * The service's own layers (`layers: { shared: { path: layers/shared } }`) by the logical ID
 * the framework gives each, `SharedLambdaLayer`, which is how a function refers to them
 * (`layers: [{ Ref: SharedLambdaLayer }]`).
 */
function layersOf(layers: unknown, baseDir: string): Map<string, string> {
  const byId = new Map<string, string>();
  if (!isMap(layers)) return byId;
  for (const [name, layer] of Object.entries(layers)) {
    if (!isMap(layer) || typeof layer.path !== 'string') continue;
    const normalized = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
    byId.set(`${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaLayer`, resolve(baseDir, layer.path));
  }
  return byId;
}

/** A function's (or the provider's) layers that are the service's own; ARNs of deployed layers are left out. */
function layerDirs(references: unknown, serviceLayers: Map<string, string>): string[] {
  if (!Array.isArray(references)) return [];
  return references
    .map((reference) => (isMap(reference) && typeof reference.Ref === 'string' ? serviceLayers.get(reference.Ref) : undefined))
    .filter((dir): dir is string => dir !== undefined);
}

/** A string value; a number or boolean as text; null for anything else (unset, a map, a placeholder for a deploy-time value). */
function text(value: unknown): string | null {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && !isPlaceholder(value) ? value : null;
}

function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && /^<\$\{.*\}>$/.test(value);
}

function skipReasonFor(fn: TemplateFunction, own: Props, config: Props): string | null {
  if (fn.runtime === 'image') return 'image: a container image, not a Node.js runtime';
  // No runtime at all: the framework's default applies, which depends on its version; the tool's own default stands in.
  if (fn.runtime !== null && !fn.runtime.startsWith('nodejs')) return `runtime ${fn.runtime} is not Node.js`;
  const artifact = isMap(own.package) && own.package.artifact !== undefined ? own.package.artifact : isMap(config.package) ? config.package.artifact : undefined;
  if (typeof artifact === 'string') return `the code is a prebuilt artifact (${basename(artifact)}), not a source directory`;
  return null;
}

function environmentOf(environment: unknown): Record<string, string> {
  if (!isMap(environment)) return {};
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    if (value === null || value === undefined) continue;
    env[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return env;
}

/** `src/handler.hello` whose `src/handler.js` (or .mjs, .cjs) is absent but `src/handler.ts` is there: check the source. */
function typeScriptSource(baseDir: string, handler: string): TemplateFunction['entryPoint'] {
  if (findModuleFile(baseDir, handler, ['.js', '.mjs', '.cjs'])) return null;
  const source = findModuleFile(baseDir, handler, ['.ts', '.mts', '.cts']);
  return source ? { file: source, format: null } : null;
}
