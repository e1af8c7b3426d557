// The handler runs on a Node of its runtime's major, as on Lambda (issue 12, point 1): found
// through --node, LHC_NODE_<major>, the tool's own Node, PATH, version managers or the cache that
// install-runtime fills; otherwise the tool's own Node runs it and NODE_VERSION_MISMATCH says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeLocator } from '../../src/runner/node-binary.js';
import { runCliAsync, type RuntimeId } from '../helpers/run-cli.js';

const empty = mkdtempSync(path.join(tmpdir(), 'lhc-no-node-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

const ownMajor = Number(process.versions.node.split('.')[0]);
const majorOf = (version: string) => Number(/^v(\d+)/.exec(version)![1]);
/** A runtime line whose Node is not the one running these tests. */
const otherRuntime: RuntimeId = ownMajor === 22 ? 'nodejs24.x' : 'nodejs22.x';
const check = (runtime: string, ...args: string[]) => runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '1', ...args, 'fixtures/async-clean.js']);

describe('the Node that runs the handler', () => {
  it.each(['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const)('is one of the runtime\'s major on %s, recorded in the result', async (runtime) => {
    const run = await check(runtime);
    expect(run.status, run.stderr).toBe(0);
    const [result] = run.json.results;
    expect(majorOf(result.node.version)).toBe(Number(runtime.slice(6, 8)));
    expect(result.findings.map((finding: any) => finding.code)).not.toContain('NODE_VERSION_MISMATCH');
  });

  it('is the one --node names, whatever its major; a major that is not the runtime\'s is a warning naming both', async () => {
    const other = createNodeLocator(null)(otherRuntime);
    expect(other.matches, 'the test set-up caches every major').toBe(true);
    const run = await check('nodejs18.x', '--node', other.path);
    expect(run.status, run.stderr).toBe(0);
    const [result] = run.json.results;
    expect(result.node.version).toBe(other.version);
    const mismatch = result.findings.find((finding: any) => finding.code === 'NODE_VERSION_MISMATCH');
    expect(mismatch).toMatchObject({ severity: 'warning', invocation: null });
    expect(mismatch.message).toContain(`nodejs18.x runs on Node 18 on Lambda, but no Node 18 was found here: Node ${other.version} ran the handler`);
    expect(mismatch.hint).toContain('npx lambda-hang-check install-runtime nodejs18.x');
  });

  it('is the one LHC_NODE_<major> names', async () => {
    const other = createNodeLocator(null)(otherRuntime);
    const run = await runCliAsync(['--format', 'json', '--runtime', 'nodejs18.x', '-n', '1', 'fixtures/async-clean.js'], { env: { LHC_NODE_18: other.path } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.json.results[0].node.version).toBe(other.version);
  });

  it('falls back to the tool\'s own Node when none of the major is anywhere, and says so', async () => {
    const nowhere = { PATH: empty, HOME: empty, LHC_CACHE: empty, XDG_CACHE_HOME: empty, NVM_DIR: empty, FNM_DIR: empty, VOLTA_HOME: empty, ASDF_DATA_DIR: empty, N_PREFIX: empty, NODENV_ROOT: empty };
    const run = await runCliAsync(['--format', 'json', '--runtime', otherRuntime, '-n', '1', 'fixtures/async-clean.js'], { env: nowhere });
    expect(run.status, run.stderr).toBe(0);
    const [result] = run.json.results;
    expect(result.node.version).toBe(process.version);
    expect(result.findings.map((finding: any) => finding.code)).toContain('NODE_VERSION_MISMATCH');
  });

  it('--node that is not a Node binary is a usage error', async () => {
    const run = await check('nodejs22.x', '--node', path.join(empty, 'node'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^lambda-hang-check: --node: '.*' is not a Node\.js binary that runs/);
  });
});

describe('install-runtime', () => {
  it('says where each runtime\'s Node is, installing none it can find', async () => {
    const run = await runCliAsync(['install-runtime', 'nodejs22.x', 'nodejs24.x']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^nodejs22\.x: Node v22\.\d+\.\d+ found at \/.*node\nnodejs24\.x: Node v24\.\d+\.\d+ found at \/.*node\n$/);
  });

  it('refuses a runtime it does not know, in one line', async () => {
    const run = await runCliAsync(['install-runtime', 'nodejs16.x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("lambda-hang-check: install-runtime: unknown runtime 'nodejs16.x': use one of nodejs18.x, nodejs20.x, nodejs22.x, nodejs24.x\n");
  });
});
