import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// The built package, as a user's test suite would import it.
import { check, type ProgressEvent } from '../../dist/index.js';
import { renderJson } from '../../src/reporters/json.js';
import { repoRoot, runCliAsync } from '../helpers/run-cli.js';
import { reportErrors } from '../helpers/validators.js';

describe('the programmatic API on whole projects', () => {
  it('checks a template and returns the object --format json prints', async () => {
    const report = await check({ template: 'fixtures/sam-project/template.yaml', invocations: 1 });
    const cli = await runCliAsync(['--template', 'fixtures/sam-project/template.yaml', '--invocations', '1', '--format', 'json']);
    expect(reportErrors(report)).toEqual([]);
    expect(JSON.parse(renderJson(report))).toEqual(report);
    const shape = (r: any) => r.results.map((t: any) => [t.target, t.runtime, t.timeoutMs, t.memoryMB, t.verdict, t.skipReason, t.findings.map((f: any) => f.code)]);
    expect(shape(report)).toEqual(shape(cli.json));
  });

  it('reports progress, and one hanging target holds only its own slot', async () => {
    const events: (ProgressEvent & { atMs: number })[] = [];
    const started = performance.now();
    const report = await check({
      targets: ['fixtures/busy-loop.js', 'fixtures/async-clean.js', 'fixtures/esm-handler.mjs'],
      timeout: 3,
      invocations: 1,
      jobs: 2,
      onProgress: (event) => events.push({ ...event, atMs: performance.now() - started }),
    });
    expect(report.results.map((r) => r.target)).toEqual(['fixtures/busy-loop.js#handler', 'fixtures/async-clean.js#handler', 'fixtures/esm-handler.mjs#handler']);
    const ended = (target: string) => events.find((e) => e.type === 'target-end' && e.target === target)!;
    const hanging = ended('fixtures/busy-loop.js#handler');
    // Both quick targets finish in the other slot while the blocked one waits for its 3 s deadline.
    expect(ended('fixtures/async-clean.js#handler').atMs).toBeLessThan(hanging.atMs);
    expect(ended('fixtures/esm-handler.mjs#handler').atMs).toBeLessThan(hanging.atMs);
    expect(events.filter((e) => e.type === 'target-start').map((e) => e.type === 'target-start' && e.budgetMs)).toEqual([3000, 3000, 3000]);
    expect(events.at(-1)).toMatchObject({ type: 'target-end', total: 3 });
  });

  it('ships the report schema as lambda-hang-check/schema', () => {
    // A package may import itself by name through its own "exports" (Node's self-referencing).
    const resolved = createRequire(path.join(repoRoot, 'package.json')).resolve('lambda-hang-check/schema');
    expect(resolved).toBe(path.join(repoRoot, 'schema', 'report.schema.json'));
  });

  it('rejects a template problem with code LHC_USAGE', async () => {
    await expect(check({ template: 'fixtures/sam-project/missing.yaml' })).rejects.toMatchObject({ code: 'LHC_USAGE' });
  });
});
