import { describe, expect, it } from 'vitest';
// @ts-expect-error: the corpus runner is plain .mjs without declarations
import { caseArguments, caseStatus, compareReport, placeholderValues, servicesNeeded, substitute, validateCases } from '../real-world/compare.mjs';

const finding = (code: string, file?: string, line?: number) => ({ code, location: file ? { file, line, column: 1 } : null });
const report = (...results: { target: string; verdict: string; findings: unknown[] }[]) => ({ schemaVersion: 1, results });
const expectation = (results: unknown[], exit = 0) => ({ exit, results });

describe('real-world placeholders', () => {
  it('names only the services a case uses, and rejects unknown placeholders', () => {
    const cases = [
      { name: 'a', args: ['--env-x', '{{AWS_ENDPOINT}}'] },
      { name: 'b', args: [], env: { URL: 'http://127.0.0.1:{{CLOSED_PORT}}', DB: '{{PG_URL}}' } },
    ];
    expect([...servicesNeeded(cases)].sort()).toEqual(['closedPort', 'fake', 'postgres']);
    expect(() => servicesNeeded([{ name: 'c', args: ['{{NOPE}}'] }])).toThrow(/unknown placeholder \{\{NOPE\}\} in case 'c'/);
  });

  it('derives host and port placeholders from the server URLs', () => {
    const values = placeholderValues({ fakeUrl: 'http://127.0.0.1:4000', closedPort: 9, redis: 'redis://127.0.0.1:6390' });
    expect(values).toEqual({
      AWS_ENDPOINT: 'http://127.0.0.1:4000', HTTP_ENDPOINT: 'http://127.0.0.1:4000', CLOSED_PORT: '9',
      REDIS_URL: 'redis://127.0.0.1:6390', REDIS_HOST: '127.0.0.1', REDIS_PORT: '6390',
    });
  });

  it('substitutes every occurrence and refuses a service that was not started', () => {
    expect(substitute('{{CLOSED_PORT}}-{{CLOSED_PORT}}', { CLOSED_PORT: '9' })).toBe('9-9');
    expect(() => substitute('{{PG_URL}}', {})).toThrow(/no value for placeholder \{\{PG_URL\}\}/);
  });

  it('builds the command line: json, one job unless the case says otherwise, env as --env', () => {
    const values = { AWS_ENDPOINT: 'http://127.0.0.1:4000' };
    expect(caseArguments({ name: 'a', args: ['app.js'], env: { AWS_ENDPOINT_URL: '{{AWS_ENDPOINT}}' } }, values)).toEqual([
      '--format', 'json', '--jobs', '1', 'app.js', '--env', 'AWS_ENDPOINT_URL=http://127.0.0.1:4000',
    ]);
    expect(caseArguments({ name: 'b', args: ['--jobs', '3'] }, values)).toEqual(['--format', 'json', '--jobs', '3']);
  });
});

describe('real-world comparison', () => {
  const wanted = expectation([{ target: 'HelloFunction', verdict: 'fail', codes: ['TIMEOUT_HANDLER_PENDING'], locations: { TIMEOUT_HANDLER_PENDING: 'src/app.js:7' }, reason: 'r' }], 1);

  it('accepts a report that matches: target prefix, verdict, code set, location', () => {
    const got = report({ target: 'HelloFunction (src/app.handler)', verdict: 'fail', findings: [finding('TIMEOUT_HANDLER_PENDING', 'src/app.js', 7), finding('TIMEOUT_HANDLER_PENDING', 'src/app.js', 7)] });
    expect(compareReport(wanted, 1, got)).toEqual([]);
  });

  it('lists every difference', () => {
    const got = report({ target: 'Other', verdict: 'pass', findings: [finding('PENDING_AT_FREEZE'), finding('TIMEOUT_HANDLER_PENDING', 'src/app.js', 9)] });
    expect(compareReport(wanted, 0, got)).toEqual([
      'exit: expected 1, got 0',
      "target 1 (Other): expected a target starting with 'HelloFunction'",
      'target 1 (Other): verdict expected fail, got pass',
      'target 1 (Other): codes expected [TIMEOUT_HANDLER_PENDING], got [PENDING_AT_FREEZE, TIMEOUT_HANDLER_PENDING]',
      'target 1 (Other): TIMEOUT_HANDLER_PENDING expected at src/app.js:7, got src/app.js:9',
    ]);
  });

  it('counts targets and says when there is no report', () => {
    expect(compareReport(wanted, 1, report())).toEqual(['targets: expected 1, got 0 ()']);
    expect(compareReport(wanted, 2, undefined)).toEqual(['exit: expected 1, got 2', 'no JSON report on stdout']);
  });

  it('turns a difference into a known gap only when the case declares one', () => {
    expect(caseStatus({ name: 'a' }, [])).toBe('ok');
    expect(caseStatus({ name: 'a' }, ['x'])).toBe('FAIL');
    expect(caseStatus({ name: 'a', knownGap: 'why' }, ['x'])).toBe('known gap');
  });

  it('validates cases.json before anything runs', () => {
    const good = { name: 'a', args: [], expect: wanted };
    expect(validateCases({ cases: [good] })).toEqual([]);
    expect(validateCases({ cases: [good, good] })).toEqual(["case 2 'a': duplicate name"]);
    expect(validateCases({ cases: [{ name: 'b', args: [], expect: expectation([{ target: 'T', verdict: 'ok', codes: [] }]) }] })).toEqual([
      "case 1 'b': result 1 needs target, verdict (pass|fail|skipped) and codes",
      "case 1 'b': result 1 needs a reason",
    ]);
    expect(validateCases({})).toEqual(['no "cases" array']);
  });
});
