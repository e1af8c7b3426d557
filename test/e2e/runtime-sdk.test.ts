// The AWS SDK v3 that Lambda's Node.js runtimes provide (issue 12, point 2): a handler that
// imports it without installing it works on Lambda, so the check never reports that as an Init
// error. With the folder that `install-runtime --aws-sdk` fills, the packages resolve as under
// /var/runtime/node_modules (NODE_PATH, for require() and import alike); without it, the check
// could not run: exit 2, one line naming the package and the command. The folder is made here by
// hand, with a stand-in package: what is tested is where the handler finds it, not npm.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';

const empty = mkdtempSync(path.join(tmpdir(), 'lhc-no-sdk-'));
const cache = mkdtempSync(path.join(tmpdir(), 'lhc-sdk-cache-'));
afterAll(() => {
  rmSync(empty, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});
const client = path.join(cache, 'aws-sdk-v3', 'node_modules', '@aws-sdk', 'client-lambda');
mkdirSync(client, { recursive: true });
writeFileSync(path.join(client, 'package.json'), JSON.stringify({ name: '@aws-sdk/client-lambda', version: '3.0.0', main: 'index.js' }));
writeFileSync(path.join(client, 'index.js'), 'exports.LambdaClient = class LambdaClient { constructor() {} };\n');

// The Nodes the test set-up cached stay where the tool looks for them by default; only the SDK's folder moves.
const withCache = (dir: string) => ({ LHC_CACHE: dir, LHC_NODE_22: nodeOf(22), LHC_NODE_24: nodeOf(24) });
function nodeOf(major: number): string {
  return Number(process.versions.node.split('.')[0]) === major ? process.execPath : path.join(process.env.HOME ?? '', '.cache', 'lambda-hang-check', `node-${major}`, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node');
}

describe.each(['nodejs22.x', 'nodejs24.x'])('the SDK the runtime provides, on %s', (runtime) => {
  it.each(['esm.mjs', 'cjs.js'])('%s loads it from the runtime SDK folder and answers', async (fixture) => {
    const run = await runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '1', `fixtures/runtime-sdk/${fixture}`], { env: withCache(cache) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.json.results[0].invocations[0].response).toEqual({ client: 'LambdaClient' });
    expect(run.json.results[0].findings).toEqual([]);
  });

  it('without it, the check could not run: exit 2 and one line naming the package and the command', async () => {
    const run = await runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '1', 'fixtures/runtime-sdk/esm.mjs'], { env: withCache(empty) });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `lambda-hang-check: fixtures/runtime-sdk/esm.mjs#handler imports @aws-sdk/client-lambda, which ${runtime} provides on Lambda but this machine does not have: run \`npx lambda-hang-check install-runtime ${runtime} --aws-sdk @aws-sdk/client-lambda\` once, or install it in the project, to check it\n`,
    );
  });
});
