#!/usr/bin/env node
/**
 * Rebuilds the bundled fixtures from their TypeScript sources, as the build tools users deploy
 * with would: fixtures/bundled/build (esbuild, a linked .map), fixtures/bundled/build-inline
 * (an inline map), and a CDK app's synthesised output, fixtures/cdk-project/cdk.out (a
 * NodejsFunction asset, bundled with a map, and the template that points at it through
 * `aws:asset:path`). The output is committed; run this after changing a source:
 *   node scripts/build-fixture-bundles.mjs
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);
const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcesContent: false, logLevel: 'warning' };

await build({ ...common, entryPoints: [at('fixtures/bundled/src/handler.ts')], outfile: at('fixtures/bundled/build/handler.js'), sourcemap: 'linked' });
await build({ ...common, entryPoints: [at('fixtures/bundled/src/handler.ts')], outfile: at('fixtures/bundled/build-inline/handler.js'), sourcemap: 'inline' });

// CDK names an asset after the hash of its content; a stable name keeps the template's reference valid.
const entry = at('fixtures/cdk-project/lib/functions/orders.ts');
const hash = createHash('sha256').update(readFileSync(entry)).digest('hex');
const cdkOut = at('fixtures/cdk-project/cdk.out');
rmSync(cdkOut, { recursive: true, force: true });
await build({ ...common, entryPoints: [entry], outfile: path.join(cdkOut, `asset.${hash}`, 'index.js'), sourcemap: 'linked' });
const template = {
  Resources: {
    OrdersFunctionServiceRole5D2F4E7A: {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }], Version: '2012-10-17' } },
      Metadata: { 'aws:cdk:path': 'ShopStack/OrdersFunction/ServiceRole/Resource' },
    },
    OrdersFunction1B0C6A9E: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: `${hash}.zip` },
        Environment: { Variables: { TABLE_NAME: { Ref: 'OrdersTable9F2D4C1B' }, NODE_OPTIONS: '--enable-source-maps' } },
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': ['OrdersFunctionServiceRole5D2F4E7A', 'Arn'] },
        Runtime: 'nodejs20.x',
        Timeout: 1,
      },
      DependsOn: ['OrdersFunctionServiceRole5D2F4E7A'],
      Metadata: { 'aws:cdk:path': 'ShopStack/OrdersFunction/Resource', 'aws:asset:path': `asset.${hash}`, 'aws:asset:is-bundled': true, 'aws:asset:property': 'Code' },
    },
    OrdersTable9F2D4C1B: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } },
  },
  Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } },
};
mkdirSync(cdkOut, { recursive: true });
writeFileSync(path.join(cdkOut, 'ShopStack.template.json'), `${JSON.stringify(template, null, 1)}\n`);
console.log(`fixture bundles written (CDK asset ${hash.slice(0, 12)}…)`);
