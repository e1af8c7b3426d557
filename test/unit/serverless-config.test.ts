import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveOptions, type CheckOptions } from '../../src/options.js';
import { resolveTargets } from '../../src/targets/resolve-target.js';
import { parseTemplateText } from '../../src/targets/template/parse-template.js';
import { readServerlessFunctions } from '../../src/targets/template/serverless-functions.js';
import { resolveVariables, type VariableScope } from '../../src/targets/template/serverless-variables.js';

const root = mkdtempSync(path.join(tmpdir(), 'lhc-serverless-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a service: serverless.yml plus the given files (handlers get a trivial body). */
function service(name: string, yaml: string, files: Record<string, string> = { 'handler.js': '' }): string {
  const dir = path.join(root, name);
  for (const [file, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), body || 'exports.hello = async () => ({});\n');
  }
  writeFileSync(path.join(dir, 'serverless.yml'), yaml);
  return path.join(dir, 'serverless.yml');
}

describe('Serverless Framework variables', () => {
  const config = {
    service: 'shop',
    custom: { timeout: 9, tables: { prod: 'orders-prod', dev: 'orders-dev' }, names: ['a', 'b'] },
    provider: { stage: "${opt:stage, 'dev'}", region: 'eu-central-1' },
  };
  const dir = path.join(root, 'variables');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ db: { host: 'db.internal' } }));
  writeFileSync(path.join(dir, 'config.yml'), 'level: debug\n');
  const scope: VariableScope = { config, baseDir: dir, env: { SET: 'from-env' } };
  const resolve = (value: unknown) => resolveVariables(value, scope);

  it('resolves self, env, sls:stage, aws:region and file references, keeping a whole value\'s type', () => {
    expect(resolve('${self:custom.timeout}')).toBe(9);
    expect(resolve('${self:custom.names}')).toEqual(['a', 'b']);
    expect(resolve('${self:service}-${sls:stage}')).toBe('shop-dev');
    expect(resolve('${env:SET}')).toBe('from-env');
    expect(resolve('${aws:region}')).toBe('eu-central-1');
    expect(resolve('${file(./config.json):db.host}')).toBe('db.internal');
    expect(resolve('${file(./config.yml):level}')).toBe('debug');
  });

  it('takes the first fallback that resolves: quoted text, numbers, other variables', () => {
    expect(resolve("${env:UNSET, 'plain'}")).toBe('plain');
    expect(resolve('${env:UNSET, 42}')).toBe(42);
    expect(resolve('${opt:stage, self:provider.region}')).toBe('eu-central-1');
    expect(resolve("${env:UNSET, env:ALSO_UNSET, 'last'}")).toBe('last');
  });

  it('resolves nested variables from the inside out', () => {
    expect(resolve('${self:custom.tables.${sls:stage}}')).toBe('orders-dev');
  });

  it('leaves what only a deploy knows as a visible placeholder', () => {
    expect(resolve('${ssm:/shop/db-url}')).toBe('<${ssm:/shop/db-url}>');
    expect(resolve('${env:UNSET}')).toBe('<${env:UNSET}>');
    expect(resolve('postgres://${cf:db-stack.Host}:5432')).toBe('postgres://<${cf:db-stack.Host}>:5432');
    expect(resolve({ list: ['${param:key}'] })).toEqual({ list: ['<${param:key}>'] });
  });

  it('stops on a reference to itself instead of looping', () => {
    const loop = { service: 's', custom: { a: '${self:custom.a}' } };
    expect(typeof resolveVariables('${self:custom.a}', { ...scope, config: loop })).toBe('string');
  });
});

describe('Serverless Framework services', () => {
  const yaml = `
service: shop
provider:
  name: aws
  runtime: nodejs22.x
  stage: \${opt:stage, 'staging'}
  timeout: 10
  environment: { SHARED: provider, OWN: provider }
functions:
  api:
    handler: handler.hello
    memorySize: 512
    environment: { OWN: function }
  typed:
    handler: src/typed.handler
    runtime: nodejs24.x
    timeout: \${self:custom.typedTimeout}
  named:
    name: custom-name
    handler: handler.hello
  old:
    handler: handler.hello
    runtime: nodejs16.x
  python:
    handler: app.handler
    runtime: python3.12
  container:
    image: shop:latest
  prebuilt:
    handler: handler.hello
    package: { artifact: dist/prebuilt.zip }
custom:
  typedTimeout: 4
`;
  const file = service('shop', yaml, { 'handler.js': '', 'src/typed.ts': 'export const handler = async () => ({});\n' });
  const cwd = path.dirname(file);
  const targets = (options: CheckOptions = {}) => resolveTargets(resolveOptions({ template: 'serverless.yml', cwd, ...options }));

  it('reads every function with the provider\'s settings under its own, and the framework\'s defaults under both', () => {
    const summary = targets().map((t) => [t.display, t.functionName, t.settings.runtime, t.settings.timeoutMs, t.settings.memoryMB, t.skipped?.reason ?? null]);
    expect(summary).toEqual([
      ['api (handler.hello)', 'shop-staging-api', 'nodejs22.x', 10_000, 512, null],
      ['typed (src/typed.handler)', 'shop-staging-typed', 'nodejs24.x', 4000, 1024, null],
      ['named (handler.hello)', 'custom-name', 'nodejs22.x', 10_000, 1024, null],
      ['old (handler.hello)', 'shop-staging-old', expect.any(String), 10_000, 1024, expect.stringMatching(/nodejs16\.x is not one this tool models/)],
      ['python (app.handler)', 'shop-staging-python', expect.any(String), 10_000, 1024, 'runtime python3.12 is not Node.js'],
      ['container', 'shop-staging-container', expect.any(String), 10_000, 1024, 'image: a container image, not a Node.js runtime'],
      ['prebuilt (handler.hello)', 'shop-staging-prebuilt', expect.any(String), 10_000, 1024, 'the code is a prebuilt artifact (prebuilt.zip), not a source directory'],
    ]);
    const [api, typed] = targets();
    expect(api!.settings.env).toEqual({ SHARED: 'provider', OWN: 'function' });
    expect(api!.spec).toEqual({ mode: 'handler', taskRoot: cwd, handler: 'handler.hello' });
    expect(api!.handlerFile).toBe('handler.js');
    expect(typed!.typeScriptSource).toBe(path.join(cwd, 'src/typed.ts'));
    expect(typed!.spec).toMatchObject({ mode: 'file', exportPath: 'handler' });
  });

  it('uses the framework\'s 6 s and 1024 MB, and the tool\'s runtime, where nothing is set', () => {
    const bare = service('bare', 'service: bare\nfunctions:\n  fn:\n    handler: handler.hello\n');
    const [fn] = resolveTargets(resolveOptions({ template: 'serverless.yml', cwd: path.dirname(bare), runtime: 'nodejs20.x' }));
    expect([fn!.functionName, fn!.settings.runtime, fn!.settings.timeoutMs, fn!.settings.memoryMB, fn!.skipped]).toEqual(['bare-dev-fn', 'nodejs20.x', 6000, 1024, undefined]);
  });

  it('lets command-line flags win, and adds --env on top', () => {
    const [api] = targets({ runtime: 'nodejs20.x', timeout: 2, memory: 256, env: { OWN: 'flag' } });
    expect(api!.settings).toEqual({ runtime: 'nodejs20.x', timeoutMs: 2000, memoryMB: 256, env: { SHARED: 'provider', OWN: 'flag' }, layers: [] });
  });

  it('reads functions kept in other files (functions: ${file(…)}, or a list of them)', () => {
    const split = service('split', "service: split\nfunctions:\n  - ${file(./api.yml)}\n  - ${file(./jobs.yml):functions}\n", {
      'handler.js': '',
      'api.yml': 'api:\n  handler: handler.hello\n  environment: { SECRET: "${ssm:/s}" }\n',
      'jobs.yml': 'functions:\n  nightly:\n    handler: handler.hello\n    timeout: 60\n',
    });
    const [api, nightly] = resolveTargets(resolveOptions({ template: 'serverless.yml', cwd: path.dirname(split) }));
    expect([api!.display, api!.settings.env]).toEqual(['api (handler.hello)', { SECRET: '<${ssm:/s}>' }]);
    expect([nightly!.display, nightly!.settings.timeoutMs]).toEqual(['nightly (handler.hello)', 60_000]);
  });

  it('is told apart from a CloudFormation template by its shape', () => {
    expect(parseTemplateText('service: x\nfunctions: {}\n', 'serverless.yml')).toEqual({ service: 'x', functions: {} });
    expect(() => parseTemplateText('service: x\n', 'serverless.yml')).toThrow(/has no Resources section/);
  });

  it('asks for the output of a service written as code', () => {
    const dir = path.dirname(service('as-code', 'service: x\n', { 'serverless.ts': 'export default { service: "x" };\n' }));
    expect(() => resolveTargets(resolveOptions({ template: 'serverless.ts', cwd: dir }))).toThrow(
      "--template 'serverless.ts' is code, not a template: give its output instead (npx serverless print > serverless.resolved.yml)",
    );
  });

  it.each([
    ['a function without a handler', 'service: s\nfunctions:\n  fn:\n    runtime: nodejs22.x\n', /functions\.fn\.handler is missing/],
    ['a timeout out of range', 'service: s\nprovider: { timeout: 901 }\nfunctions:\n  fn: { handler: handler.hello }\n', /provider\.timeout must be a whole number from 1 to 900/],
    ['another cloud', 'service: s\nprovider: { name: azure }\nfunctions:\n  fn: { handler: handler.hello }\n', /provider\.name is 'azure'; only AWS Lambda services are checked/],
  ])('rejects %s as a usage error', (name, text, message) => {
    const bad = service(`bad-${name.replace(/\W+/g, '-')}`, text);
    expect(() => readServerlessFunctions(parseTemplateText(text, 'serverless.yml'), bad, 'serverless.yml')).toThrow(UsageError);
    expect(() => readServerlessFunctions(parseTemplateText(text, 'serverless.yml'), bad, 'serverless.yml')).toThrow(message);
  });
});
