import { Chalk } from 'chalk';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/analysis/rules.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/reporters/github.js';
import { getReporter, REPORTER_NAMES } from '../../src/reporters/index.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import type { CheckReport } from '../../src/types.js';
import { makeFinding, makeInvocation, makeReport, makeResource, makeTargetReport } from '../helpers/factories.js';
import { sarifErrors } from '../helpers/validators.js';

const ESC = '\u001b';
/** Everything a handler could put into a message: markup, quotes, controls, a lone surrogate, bidi, newlines, `::`. */
const HOSTILE = `<x a="1">&amp; ]]> ' ${ESC}[31m \u0000\u0008\u000b\u0085\ud800 \u202e evil\r\n::add-mask::secret %0A, a:b`;

function failingReport(): CheckReport {
  return makeReport({
    results: [
      makeTargetReport({
        target: 'b.js#handler',
        verdict: 'fail',
        handlerFile: 'b.js',
        invocations: [makeInvocation({ outcome: 'timeout', response: undefined }), makeInvocation({ index: 2, outcome: 'timeout', response: undefined })],
        findings: [
          makeFinding({ location: { file: 'b.js', line: 9, column: 1 } }),
          makeFinding({ invocation: 2, location: { file: 'b.js', line: 9, column: 1 } }),
          makeFinding({ code: 'PENDING_AT_FREEZE', severity: 'warning', invocation: 2, location: { file: 'b.js', line: 3, column: 5 } }),
          makeFinding({ code: 'INIT_ERROR', invocation: null, location: null, resources: [], message: HOSTILE }),
        ],
        output: { stdout: HOSTILE, stderr: '', truncated: false },
      }),
      makeTargetReport({ target: 'a.js#handler', findings: [makeFinding({ code: 'HANDLER_ERROR', severity: 'info', location: { file: 'a.js', line: 2, column: 1 } })] }),
      makeTargetReport({ target: 'PyFunction (src/app.handler)', runtime: 'python3.12', verdict: 'skipped', skipReason: 'runtime python3.12 is not Node.js', invocations: [], handlerFile: null }),
    ],
  });
}

describe('the registry', () => {
  it('offers every CI format by name, each a pure (report, ctx) => string', () => {
    expect(REPORTER_NAMES).toEqual(['text', 'json', 'junit', 'sarif', 'github']);
    const ctx = { chalk: new Chalk({ level: 0 }), verbose: false };
    for (const name of REPORTER_NAMES) expect(typeof getReporter(name)(failingReport(), ctx)).toBe('string');
  });
});

describe('renderJunit', () => {
  const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'failure', 'property'].includes(name) }).parse(xml);

  it('is well-formed XML whatever the messages contain, and keeps the text visible', () => {
    const xml = renderJunit(failingReport(), { failOn: 'error' });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff]/);
    const doc = parse(xml);
    const failures = doc.testsuites.testsuite[0].testcase[0].failure;
    const initError = failures.find((failure: { type: string }) => failure.type === 'INIT_ERROR');
    expect(initError['#text']).toContain('<x a="1">&amp; ]]>');
    expect(initError['#text']).toContain('\\x1b[31m');
  });

  it('has one testsuite per target, one testcase per invocation, a failure per finding at or above --fail-on', () => {
    const doc = parse(renderJunit(failingReport(), { failOn: 'error' }));
    expect(doc.testsuites).toMatchObject({ tests: '4', failures: '2', errors: '0', skipped: '1' });
    const [b, a, py] = doc.testsuites.testsuite;
    expect(b.name).toBe('b.js#handler');
    expect(b.testcase.map((c: { name: string }) => c.name)).toEqual(['invocation 1', 'invocation 2']);
    expect(b.testcase[0].failure.map((f: { type: string }) => f.type)).toEqual(['TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', 'INIT_ERROR']);
    expect(b.testcase[1].failure.map((f: { type: string }) => f.type)).toEqual(['TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP']);
    expect(b.testcase[1]['system-out']).toContain('warning PENDING_AT_FREEZE');
    expect(a.testcase[0].failure).toBeUndefined();
    expect(py.testcase[0].skipped.message).toBe('runtime python3.12 is not Node.js');
    const properties = Object.fromEntries(b.properties.property.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(properties).toEqual({ runtime: 'nodejs22.x', timeoutMs: '3000', memoryMB: '128', verdict: 'fail' });
  });

  it('makes failures of warnings with --fail-on warning and of nothing with never', () => {
    const warning = parse(renderJunit(failingReport(), { failOn: 'warning' }));
    expect(warning.testsuites.testsuite[0].testcase[1].failure.map((f: { type: string }) => f.type)).toContain('PENDING_AT_FREEZE');
    expect(renderJunit(failingReport(), { failOn: 'never' })).not.toContain('<failure');
  });

  it('has no timestamps, host names or durations', () => {
    const xml = renderJunit(failingReport(), {});
    expect(xml).not.toMatch(/timestamp=|hostname=|time=/);
    expect(renderJunit(failingReport(), {})).toBe(xml);
  });
});

describe('renderSarif', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(renderSarif(failingReport()));
    expect(sarifErrors(log)).toEqual([]);
    expect(sarifErrors({ version: '2.1.0', runs: [{ tool: {} }] }).length).toBeGreaterThan(0);
  });

  it('has one rule per finding code, with help text and the fix', () => {
    const { rules } = JSON.parse(renderSarif(makeReport())).runs[0].tool.driver;
    expect(rules.map((rule: { id: string }) => rule.id)).toEqual([...RULES.keys()]);
    const rule = rules.find((r: { id: string }) => r.id === 'PENDING_AT_FREEZE');
    expect(rule.shortDescription.text).toBe(RULES.get('PENDING_AT_FREEZE')!.title);
    expect(rule.help.text).toContain(RULES.get('PENDING_AT_FREEZE')!.fix);
    expect(rule.defaultConfiguration.level).toBe('warning');
  });

  it('locates results at the user file and line, sorted, repeated findings once, level from severity', () => {
    const { results } = JSON.parse(renderSarif(failingReport())).runs[0];
    const summary = results.map((r: any) => [r.ruleId, r.level, r.locations?.[0].physicalLocation.artifactLocation.uri, r.locations?.[0].physicalLocation.region.startLine]);
    expect(summary).toEqual([
      ['HANDLER_ERROR', 'note', 'a.js', 2],
      ['INIT_ERROR', 'error', 'b.js', 1],
      ['PENDING_AT_FREEZE', 'warning', 'b.js', 3],
      ['TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', 'error', 'b.js', 9],
    ]);
    expect(results[3].properties.invocations).toEqual([1, 2]);
    for (const result of results) expect(result.ruleIndex).toBe([...RULES.keys()].indexOf(result.ruleId));
  });

  it('files a resource at another site as a related location', () => {
    const finding = makeFinding({ location: { file: 'h.js', line: 1, column: 1 }, resources: [makeResource({ location: { file: 'lib/x.js', line: 7, column: 2 } })] });
    const [result] = JSON.parse(renderSarif(makeReport({ results: [makeTargetReport({ findings: [finding] })] }))).runs[0].results;
    expect(result.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe('lib/x.js');
  });
});

// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
const WORKFLOW_COMMAND = /^::(error|warning|notice)( (file|line|col|endLine|endColumn|title)=[^,:\r\n]*(,(file|line|col|endLine|endColumn|title)=[^,:\r\n]*)*)?::[^\r\n]*$/;

describe('renderGithub', () => {
  it('writes one workflow command per distinct finding, each matching the command syntax', () => {
    const lines = renderGithub(failingReport()).trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(WORKFLOW_COMMAND);
    expect(lines.map((line) => /^::(\w+) .*title=(\w+)/.exec(line)!.slice(1).join(' '))).toEqual([
      'error TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP',
      'warning PENDING_AT_FREEZE',
      'error INIT_ERROR',
      'notice HANDLER_ERROR',
      'notice skipped',
    ]);
    expect(lines[0]).toMatch(/^::error file=b\.js,line=9,col=1,title=TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP::b\.js#handler \(invocations 1, 2\): /);
    expect(lines[2]).toContain('file=b.js,line=1,col=1');
  });

  it('escapes as the runner unescapes: %, CR, LF, and in properties : and ,', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('C:\\dir,x%')).toBe('C%3A\\dir%2Cx%25');
    const hostile = renderGithub(failingReport());
    expect(hostile.split('\n').filter((line) => line.includes('add-mask')).every((line) => !line.startsWith('::add-mask'))).toBe(true);
    expect(hostile).not.toContain(ESC);
  });

  it('is empty for a clean report', () => {
    expect(renderGithub(makeReport())).toBe('');
  });
});
