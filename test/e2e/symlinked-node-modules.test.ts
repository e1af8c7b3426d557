// A TypeScript handler whose project's node_modules is a symlink (a monorepo's hoisted install,
// a shared cache): the compiled file lives under it, and Node 24 names the module by its real
// path. Findings must still point at the .ts lines on every runtime line.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';

const root = mkdtempSync(path.join(tmpdir(), 'lhc-symlinked-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const project = path.join(root, 'project');
const shared = path.join(root, 'shared-node_modules');
mkdirSync(project);
mkdirSync(shared);
symlinkSync(shared, path.join(project, 'node_modules'));
writeFileSync(path.join(project, 'package.json'), '{ "type": "module" }\n');
writeFileSync(
  path.join(project, 'handler.ts'),
  ['const ready: Promise<string> = Promise.reject(new RangeError("no configuration"));', '', 'export const config: string = await ready;', '', 'export const handler = async (): Promise<string> => config;', ''].join('\n'),
);

it.each(['nodejs22.x', 'nodejs24.x'])('reports an Init error of a compiled handler at its .ts line under a symlinked node_modules (%s)', async (runtime) => {
  const run = await runCliAsync(['--format', 'json', '--runtime', runtime, '-n', '1', 'handler.ts'], { cwd: project });
  expect(run.status, run.stderr).toBe(1);
  const initError = run.json.results[0].findings.find((finding: any) => finding.code === 'INIT_ERROR');
  expect(initError.location).toMatchObject({ file: 'handler.ts', line: 1 });
});
