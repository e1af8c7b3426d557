/**
 * Shared by the library suites: one CLI run per runtime line over a set of fixtures, and the
 * assertions of one table row (codes, the library named, the user's lines, the fix given).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot, runCliAsync, type RuntimeId } from '../helpers/run-cli.js';

export const RUNTIMES: RuntimeId[] = ['nodejs22.x', 'nodejs24.x'];

export interface LibraryRow {
  fixture: string;
  /** Exactly these codes per runtime line (as a set) … */
  codes: Partial<Record<RuntimeId, string[]>>;
  /** … plus, optionally, these: timing the semantics leave open (see each row's comment). */
  mayAlsoHave?: Partial<Record<RuntimeId, string[]>>;
  /** The finding that must name the library, where the code is present. */
  named?: {
    code: string;
    /** E.g. `pg Pool created at fixtures/libraries/pg/pool-callback.js:6`. */
    text: string;
    /** The finding's location: the line that created the library's object. */
    line: number;
    /** The first resource's own location (the user's frame), or null when its stack has none. */
    resourceLine?: number | null | Partial<Record<RuntimeId, number | null>>;
    severity?: 'error' | 'warning' | 'info';
    /** Snippets of the library's own fix. */
    hint: string[];
  };
}

/** Checks the fixtures on one runtime line in one CLI run; resolves with results by fixture. */
export async function checkFixtures(runtime: RuntimeId, fixtures: string[], env: Record<string, string>): Promise<Map<string, any>> {
  const args = ['--format', 'json', '--runtime', runtime, '--timeout', '2', '--invocations', '3', '--jobs', '2'];
  for (const [key, value] of Object.entries(env)) args.push('--env', `${key}=${value}`);
  const run = await runCliAsync([...args, ...fixtures], { timeoutMs: 180_000 });
  const context = `stderr:\n${run.stderr.slice(0, 2000)}`;
  // At least one fixture per suite fails on purpose: exit 1, never 2.
  expect(run.status, `exit status\n${context}`).toBe(1);
  expect(run.json?.results, `JSON report\n${context}`).toHaveLength(fixtures.length);
  return new Map(run.json.results.map((result: any) => [result.target.replace(/#handler$/, ''), result]));
}

/** The codes line 1 of a fixture promises for a runtime line: `// expect: A, B on nodejs22.x; C on nodejs24.x`. */
export function promisedCodes(fixture: string, runtime: RuntimeId): string[] {
  const header = readFileSync(path.join(repoRoot, fixture), 'utf8').split('\n', 1)[0]!.replace(/^\/\/ expect: /, '');
  const forRuntime = header.split(';').map((part) => part.trim()).find((part) => !/ on nodejs/.test(part) || part.endsWith(` on ${runtime}`))!;
  const list = forRuntime.replace(/ on nodejs\d+\.x$/, '');
  return list === 'none' ? [] : list.split(',').map((code) => code.trim()).sort();
}

export function expectLibraryRow(result: any, row: LibraryRow, runtime: RuntimeId): void {
  expect(result, `a result for ${row.fixture}`).toBeTruthy();
  const codes = [...new Set<string>(result.findings.map((finding: any) => finding.code))].sort();
  const optional = new Set(row.mayAlsoHave?.[runtime] ?? []);
  const expected = [...(row.codes[runtime] ?? [])].sort();
  expect(codes.filter((code) => !optional.has(code)), `finding codes\n${JSON.stringify(result.findings, null, 1).slice(0, 3000)}`).toEqual(expected);
  expect(expected, 'the codes line 1 of the fixture promises').toEqual(promisedCodes(row.fixture, runtime));
  const failing = result.findings.some((finding: any) => finding.severity === 'error');
  expect(result.verdict).toBe(failing ? 'fail' : 'pass');

  const named = row.named;
  if (!named || !expected.includes(named.code)) return;
  const findings = result.findings.filter((finding: any) => finding.code === named.code);
  for (const finding of findings) {
    expect(finding.message, `${named.code} names the library`).toContain(named.text);
    expect(finding.location, `${named.code} location`).toMatchObject({ file: row.fixture, line: named.line });
    const resourceLine = typeof named.resourceLine === 'object' && named.resourceLine !== null ? named.resourceLine[runtime] : named.resourceLine;
    if (resourceLine !== undefined) expect(finding.resources[0]?.location?.line ?? null, 'resource location').toBe(resourceLine);
    if (named.severity) expect(finding.severity).toBe(named.severity);
    for (const snippet of named.hint) expect(finding.hint, `${named.code} hint`).toContain(snippet);
  }
}
