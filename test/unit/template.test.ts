import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { UsageError } from '../../src/errors.js';
import { resolveOptions, type CheckOptions } from '../../src/options.js';
import { resolveTargets } from '../../src/targets/resolve-target.js';
import { mergeGlobals, readTemplateFunctions } from '../../src/targets/template/template-functions.js';
import { parseTemplateText } from '../../src/targets/template/parse-template.js';
import { placeholderFor, resolveLiteral, toEnvironmentValue } from '../../src/targets/template/intrinsics.js';

const root = mkdtempSync(path.join(tmpdir(), 'lhc-template-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a project: the template text plus empty handler files. */
function project(name: string, template: string, files: string[] = ['src/app.js']): string {
  const dir = path.join(root, name);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), 'exports.handler = async () => ({});\n');
  }
  const templateFile = path.join(dir, name.endsWith('json') ? 'template.json' : 'template.yaml');
  writeFileSync(templateFile, template);
  return templateFile;
}

describe('parseTemplateText', () => {
  it('parses every CloudFormation short-form tag into the long form, on scalars, sequences and mappings', () => {
    const template = parseTemplateText(
      `Resources: {}
Values:
  - !Ref Stage
  - !Sub 'x-\${Stage}'
  - !Sub ['x-\${v}', { v: 1 }]
  - !GetAtt Table.Arn
  - !GetAtt [Table, Arn]
  - !If [IsProd, a, b]
  - !Join [',', [a, b]]
  - !Select [0, !Split [',', 'a,b']]
  - !FindInMap [M, k, v]
  - !ImportValue shared
  - !Base64 hi
  - !Equals [a, b]
  - !And [!Condition A, !Or [!Condition B, !Not [!Condition C]]]
  - !GetAZs ''
  - !Cidr ['10.0.0.0/16', 2, 8]
  - !Transform { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } }
`,
      'template.yaml',
    );
    expect(template.Values).toEqual([
      { Ref: 'Stage' },
      { 'Fn::Sub': 'x-${Stage}' },
      { 'Fn::Sub': ['x-${v}', { v: 1 }] },
      { 'Fn::GetAtt': ['Table', 'Arn'] },
      { 'Fn::GetAtt': ['Table', 'Arn'] },
      { 'Fn::If': ['IsProd', 'a', 'b'] },
      { 'Fn::Join': [',', ['a', 'b']] },
      { 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] },
      { 'Fn::FindInMap': ['M', 'k', 'v'] },
      { 'Fn::ImportValue': 'shared' },
      { 'Fn::Base64': 'hi' },
      { 'Fn::Equals': ['a', 'b'] },
      { 'Fn::And': [{ Condition: 'A' }, { 'Fn::Or': [{ Condition: 'B' }, { 'Fn::Not': [{ Condition: 'C' }] }] }] },
      { 'Fn::GetAZs': '' },
      { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
      { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
    ]);
  });

  it('keeps the last of a key given twice, as the SAM CLI reads a template; a serverless.yml refuses it, as the framework does', () => {
    const twice = 'Resources: {}\nOutputs:\n  Url: { Value: a }\n  Url: { Value: b }\n';
    expect(parseTemplateText(twice, 'template.yaml').Outputs).toEqual({ Url: { Value: 'b' } });
    const service = 'service: shop\nprovider: { name: aws }\nfunctions:\n  api: { handler: a.handler }\n  api: { handler: b.handler }\n';
    expect(() => parseTemplateText(service, 'serverless.yml')).toThrow(/does not parse: Map keys must be unique/);
  });

  it.each([
    ['Resources: [a', 'template.yaml', /does not parse/],
    ['{"Resources": ', 'template.json', /does not parse/],
    ['- a', 'template.yaml', /not a template/],
    ['Outputs: {}', 'template.yaml', /no Resources/],
  ])('rejects %j as a usage error', (text, name, message) => {
    expect(() => parseTemplateText(text, name)).toThrow(UsageError);
    expect(() => parseTemplateText(text, name)).toThrow(message);
  });
});

describe('intrinsics', () => {
  const scope = {
    parameters: { Stage: { Type: 'String', Default: 'test' }, NoDefault: { Type: 'String' } },
    mappings: { M: { test: { Level: 'debug' } } },
  };

  it.each<[unknown, string]>([
    [{ Ref: 'Stage' }, 'test'],
    [{ Ref: 'AWS::Region' }, 'us-east-1'],
    [{ 'Fn::Sub': '${Stage}-${AWS::AccountId}-${!Literal}-${Table.Arn}' }, 'test-123456789012-${Literal}-<Table.Arn>'],
    [{ 'Fn::Sub': ['${a}/${Stage}', { a: { Ref: 'Stage' } }] }, 'test/test'],
    [{ 'Fn::Join': ['-', ['a', { Ref: 'Stage' }]] }, 'a-test'],
    [{ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] }, 'b'],
    [{ 'Fn::FindInMap': ['M', { Ref: 'Stage' }, 'Level'] }, 'debug'],
    [{ 'Fn::Base64': 'hello' }, 'aGVsbG8='],
    [{ Ref: 'NoDefault' }, '<!Ref NoDefault>'],
    [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '<!GetAtt Table.Arn>'],
    [{ 'Fn::ImportValue': 'shared' }, '<!ImportValue shared>'],
    [{ 'Fn::If': ['C', 'a', 'b'] }, '<!If …>'],
    [42, '42'],
    [true, 'true'],
  ])('gives %j to the environment as %j', (value, expected) => {
    expect(toEnvironmentValue(value, scope)).toBe(expected);
  });

  it('drops AWS::NoValue and cannot resolve what needs the stack', () => {
    expect(typeof toEnvironmentValue({ Ref: 'AWS::NoValue' }, scope)).toBe('symbol');
    expect(resolveLiteral({ 'Fn::GetAtt': ['T', 'Arn'] }, scope)).toBeUndefined();
    expect(placeholderFor({ Unknown: 1 })).toBe('<unresolved>');
  });
});

describe('mergeGlobals', () => {
  it('lets the function win for scalars, merges maps key by key and concatenates lists', () => {
    const merged = mergeGlobals(
      { Timeout: 3, Runtime: 'nodejs22.x', Environment: { Variables: { A: '1', B: '1' } }, Layers: ['l1'] },
      { Timeout: 5, Environment: { Variables: { B: '2', C: '2' } }, Layers: ['l2'] },
    );
    expect(merged).toEqual({ Timeout: 5, Runtime: 'nodejs22.x', Environment: { Variables: { A: '1', B: '2', C: '2' } }, Layers: ['l1', 'l2'] });
  });
});

describe('template targets', () => {
  const yaml = `
Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 5
    MemorySize: 512
    Environment: { Variables: { SHARED: g, OWN: g } }
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Timeout: 7, Environment: { Variables: { OWN: mine } } }
  Ts:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ts/, Handler: nested/app.lambdaHandler, Runtime: nodejs24.x }
    Metadata: { BuildMethod: esbuild, BuildProperties: { Format: esm, EntryPoints: [nested/app.ts, other.ts] } }
  Plain:
    Type: AWS::Lambda::Function
    Properties: { Code: src, Handler: app.handler, Runtime: nodejs20.x }
  Inline:
    Type: AWS::Lambda::Function
    Properties: { Code: { ZipFile: 'exports.handler = 1' }, Handler: index.handler, Runtime: nodejs20.x }
  InS3:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: s3://bucket/code.zip, Handler: app.handler }
  Old:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs16.x }
  Java:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: x.Handler::handle, Runtime: java21 }
  Table:
    Type: AWS::DynamoDB::Table
`;
  const file = project('mixed', yaml, ['src/app.js', 'ts/nested/app.ts', 'ts/other.ts']);
  const cwd = path.dirname(file);
  const targets = (options: CheckOptions = {}) => resolveTargets(resolveOptions({ template: 'template.yaml', cwd, ...options }));

  it('lists every Lambda function in document order with its own settings, Globals applied', () => {
    const summary = targets().map((t) => [t.display, t.settings.runtime, t.settings.timeoutMs, t.settings.memoryMB, t.skipped?.reason ?? null]);
    expect(summary).toEqual([
      ['Api (src/app.handler)', 'nodejs22.x', 7000, 512, null],
      ['Ts (ts/nested/app.lambdaHandler)', 'nodejs24.x', 5000, 512, null],
      ['Plain (src/app.handler)', 'nodejs20.x', 3000, 128, null],
      ['Inline (index.handler)', expect.any(String), 3000, 128, 'inline code (InlineCode / ZipFile) is not checked'],
      ['InS3 (app.handler)', expect.any(String), 5000, 512, 'the code is in S3, not a local path'],
      ['Old (src/app.handler)', expect.any(String), 5000, 512, expect.stringMatching(/nodejs16\.x is not one this tool models.*--runtime/)],
      ['Java (src/x.Handler::handle)', expect.any(String), 5000, 512, 'runtime java21 is not Node.js'],
    ]);
    const [api, ts] = targets();
    expect(api!.settings.env).toEqual({ SHARED: 'g', OWN: 'mine' });
    expect(api!.spec).toEqual({ mode: 'handler', taskRoot: path.join(cwd, 'src'), handler: 'app.handler' });
    expect(api!.handlerFile).toBe('src/app.js');
    expect(ts!.typeScriptSource).toBe(path.join(cwd, 'ts/nested/app.ts'));
    expect(ts!.spec).toMatchObject({ mode: 'file', exportPath: 'lambdaHandler' });
    expect(ts!.moduleFormat).toBe('esm');
  });

  it('lets flags given on the command line win, and adds --env on top', () => {
    const [api, , , , , old] = targets({ runtime: 'nodejs24.x', timeout: 2, memory: 1024, env: { OWN: 'flag' } });
    expect(api!.settings).toEqual({ runtime: 'nodejs24.x', timeoutMs: 2000, memoryMB: 1024, env: { SHARED: 'g', OWN: 'flag' }, layers: [] });
    expect(old!.skipped).toBeUndefined();
    expect(old!.settings.runtime).toBe('nodejs24.x');
  });

  it('packages a CodeUri that names one .js file as SAM does (zipped alone, at the root): its directory is the task root; a .zip stays an archive', () => {
    const file = project('single-file', [
      'Resources:',
      '  One: { Type: AWS::Serverless::Function, Properties: { CodeUri: src/function.js, Handler: function.handler, Runtime: nodejs22.x } }',
      '  Zip: { Type: AWS::Serverless::Function, Properties: { CodeUri: dist/code.zip, Handler: index.handler, Runtime: nodejs22.x } }',
      '',
    ].join('\n'), ['src/function.js', 'dist/code.zip']);
    const [one, zip] = readTemplateFunctions(file, 'template.yaml');
    expect(one).toMatchObject({ logicalId: 'One', codeDir: path.join(path.dirname(file), 'src'), skipReason: null });
    expect(zip!.skipReason).toMatch(/^the code is an archive \(code\.zip\)/);
  });

  it('reads JSON templates too', () => {
    const json = project('plain-json', JSON.stringify({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: 'src', Handler: 'app.handler', Runtime: 'nodejs22.x', MemorySize: 256 } } } }));
    expect(readTemplateFunctions(json, 'template.json')).toMatchObject([{ logicalId: 'Fn', handler: 'app.handler', memoryMB: 256, skipReason: null }]);
  });

  it.each([
    ['missing Handler', 'Properties: { CodeUri: src/, Runtime: nodejs22.x }', /F\.Handler is missing/],
    ['CodeUri not a directory', 'Properties: { CodeUri: nowhere/, Handler: app.handler, Runtime: nodejs22.x }', /F\.CodeUri 'nowhere\/' is not a directory/],
    ['Timeout out of range', 'Properties: { CodeUri: src/, Handler: app.handler, Runtime: nodejs22.x, Timeout: 901 }', /F\.Timeout must be a whole number from 1 to 900/],
  ])('rejects a function with %s as a usage error', (name, properties, message) => {
    const bad = project(`bad-${name.replace(/\W+/g, '-')}`, `Resources:\n  F:\n    Type: AWS::Serverless::Function\n    ${properties}\n`);
    expect(() => readTemplateFunctions(bad, 'template.yaml')).toThrow(message);
  });
});
