import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/run-cli.js';
import { reportErrors, sarifErrors } from '../helpers/validators.js';

const check = (...args: string[]) => runCliAsync(['--invocations', '1', '--fail-on', 'warning', ...args]);

describe('accepted findings', () => {
  it('keeps a finding suppressed in source out of the verdict, and lists it with its reason', async () => {
    const run = await check('--format', 'json', 'fixtures/suppressed.js');
    expect(run.status, run.stderr).toBe(0);
    expect(reportErrors(run.json)).toEqual([]);
    const [result] = run.json.results;
    expect(result.verdict).toBe('pass');
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(1);
    expect(result.suppressed[0]).toMatchObject({
      code: 'PENDING_AT_FREEZE',
      location: { file: 'fixtures/suppressed.js', line: 5, column: 3 },
      suppression: { kind: 'inSource', justification: 'the audit may run at the next thaw, or never; both are fine' },
    });
  });

  it('does not let a comment on one resource hide another that the same finding lists', async () => {
    const run = await check('--format', 'json', 'fixtures/suppressed-partly.js');
    expect(run.status, run.stderr).toBe(1);
    const [result] = run.json.results;
    expect(result.suppressed).toBeUndefined();
    expect(result.findings.map((f: any) => [f.code, f.resources.map((r: any) => r.location.line)])).toEqual([['PENDING_AT_FREEZE', [4, 5]]]);
  });

  it('accepts codes for a whole run with --ignore, comma-separated or repeated', async () => {
    const run = await check('--format', 'json', '--ignore', 'PENDING_AT_FREEZE,HANDLER_ERROR', '--ignore', 'RAN_AFTER_THAW', 'fixtures/suppressed-partly.js');
    expect(run.status, run.stderr).toBe(0);
    expect(run.json.results[0].suppressed.map((f: any) => [f.code, f.suppression])).toEqual([['PENDING_AT_FREEZE', { kind: 'external', justification: '--ignore' }]]);
  });

  it('says so in one line when --ignore names a code the tool does not have', async () => {
    const run = await check('--ignore', 'PENDING_AT_FREZE', 'fixtures/suppressed.js');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("lambda-hang-check: --ignore: unknown finding code 'PENDING_AT_FREZE' (see the README's finding codes)\n");
  });

  it('shows the suppressed in the text report and its summary, and marks them as suppressions in SARIF', async () => {
    const text = await check('--no-color', 'fixtures/suppressed.js');
    expect(text.stdout).toContain('  suppressed\n    PENDING_AT_FREEZE at fixtures/suppressed.js:5:3 (in source: the audit may run at the next thaw, or never; both are fine)\n');
    expect(text.stdout).toMatch(/1 target: 0 failed, 1 passed; 1 suppressed\n$/);

    const sarif = await check('--format', 'sarif', 'fixtures/suppressed.js');
    const log = JSON.parse(sarif.stdout);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results.map((r: any) => [r.ruleId, r.suppressions])).toEqual([
      ['PENDING_AT_FREEZE', [{ kind: 'inSource', status: 'accepted', justification: 'the audit may run at the next thaw, or never; both are fine' }]],
    ]);
  });
});
