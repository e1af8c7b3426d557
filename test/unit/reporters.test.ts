import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { getReporter, REPORTERS } from '../../src/reporters/index.js';
import { renderJson } from '../../src/reporters/json.js';
import { sanitizeForTerminal } from '../../src/reporters/sanitize.js';
import { renderText } from '../../src/reporters/text.js';
import { makeFinding, makeInvocation, makeReport, makeResource, makeTargetReport } from '../helpers/factories.js';

const plain = { chalk: new Chalk({ level: 0 }), verbose: false };
const ESC = '\u001b';

function failingTarget() {
  return makeTargetReport({
    verdict: 'fail',
    invocations: [makeInvocation({ outcome: 'timeout', response: undefined, completedBy: null, durationMs: 3000 })],
    findings: [makeFinding()],
    output: { stdout: 'polling\n', stderr: '', truncated: false },
    timeline: [
      { atMs: 0, kind: 'init-start', invocation: null },
      { atMs: 12, kind: 'invoke', invocation: 1 },
      { atMs: 3012, kind: 'deadline', invocation: 1, detail: 'Task timed out after 3.00 seconds' },
    ],
  });
}

describe('renderJson', () => {
  it('orders keys as in SPEC.md, extra keys last', () => {
    // Build the target with keys in a scrambled order to prove the reporter, not the input, decides.
    const { timeline, output, verdict, ...rest } = makeTargetReport({ findings: [makeFinding()] });
    const report = makeReport({ results: [{ timeline, output, verdict, ...rest }] });
    const parsed = JSON.parse(renderJson(report));
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'tool', 'node', 'results']);
    expect(Object.keys(parsed.results[0])).toEqual([
      'target', 'runtime', 'timeoutMs', 'memoryMB', 'verdict', 'init', 'invocations', 'findings', 'output', 'timeline',
    ]);
    expect(Object.keys(parsed.results[0].invocations[0])).toEqual([
      'index', 'requestId', 'outcome', 'durationMs', 'response', 'error', 'exitCode', 'lingering', 'environment', 'completedBy', 'waitedForLoopMs',
    ]);
    const finding = parsed.results[0].findings[0];
    expect(Object.keys(finding)).toEqual(['code', 'severity', 'invocation', 'message', 'location', 'resources', 'hint']);
    expect(Object.keys(finding.resources[0])).toEqual([
      'asyncId', 'type', 'kind', 'ref', 'createdIn', 'invocation', 'summary', 'location', 'via', 'stack',
    ]);
    expect(Object.keys(finding.location)).toEqual(['file', 'line', 'column']);
  });

  it('keeps unknown keys after the documented ones', () => {
    const target = { ...makeTargetReport(), extra: 1 };
    const parsed = JSON.parse(renderJson(makeReport({ results: [target] })));
    expect(Object.keys(parsed.results[0]).slice(-2)).toEqual(['timeline', 'extra']);
  });

  it('round-trips, with 2-space indent and a trailing newline', () => {
    const report = makeReport({ results: [failingTarget(), makeTargetReport()] });
    const json = renderJson(report);
    expect(JSON.parse(json)).toEqual(report);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });

  it('escapes C1 controls that JSON.stringify leaves raw', () => {
    const report = makeReport({ results: [makeTargetReport({ output: { stdout: `a\u009b31mb${ESC}`, stderr: '', truncated: false } })] });
    const json = renderJson(report);
    expect(json).not.toMatch(/[\u001b\u009b]/);
    expect(JSON.parse(json).results[0].output.stdout).toBe(`a\u009b31mb${ESC}`);
  });
});

describe('renderText', () => {
  it('puts the verdict first, then the finding with code, title, location and fix', () => {
    const text = renderText(makeReport({ results: [failingTarget()] }), plain);
    const lines = text.split('\n');
    expect(lines[0]).toBe('FAIL fixtures/callback-interval.js#handler (nodejs22.x, timeout 3 s, 128 MB)');
    expect(lines[1]).toBe('  1 invocation: #1 timeout');
    expect(text).toContain('error  TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP  Callback response waits for an event loop that never empties');
    expect(text).toContain('interval  setInterval every 1000 ms');
    expect(text).toContain('created at fixtures/callback-interval.js:4:3');
    expect(text).toContain('created by invocation 1');
    expect(text).toContain('fix: Call clearInterval() before the callback');
  });

  it('says when a resource was created at init and names the library frame', () => {
    const finding = makeFinding({ resources: [makeResource({ createdIn: 'init', invocation: undefined, via: 'node_modules/pg/lib/client.js:48' })] });
    const text = renderText(makeReport({ results: [makeTargetReport({ verdict: 'fail', findings: [finding] })] }), plain);
    expect(text).toContain('created at fixtures/callback-interval.js:4:3 via node_modules/pg/lib/client.js:48');
    expect(text).toContain('created at init (kept across invocations)');
  });

  it('prints an aligned timeline, one line per event', () => {
    const lines = renderText(makeReport({ results: [failingTarget()] }), plain).split('\n');
    expect(lines).toContain('       0 ms  init-start');
    expect(lines).toContain('      12 ms  invoke #1');
    expect(lines).toContain('    3012 ms  deadline #1 — Task timed out after 3.00 seconds  ◀ TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
  });

  it('collapses consecutive equal outcomes', () => {
    const invocations = [1, 2, 3].map((index) => makeInvocation({ index, outcome: index === 3 ? 'timeout' : 'response' }));
    const text = renderText(makeReport({ results: [makeTargetReport({ invocations })] }), plain);
    expect(text.split('\n')[1]).toBe('  3 invocations: #1–#2 response, #3 timeout');
  });

  it('groups identical resources with a count and lists the invocations that created them', () => {
    const resources = [1, 2, 3].map((invocation) => makeResource({ asyncId: 10 + invocation, invocation }));
    resources.push(makeResource({ summary: 'socket 10.0.0.1:5432', kind: 'socket', location: { file: 'src/db.js', line: 9, column: 5 } }));
    const finding = makeFinding({ code: 'RESOURCE_GROWTH', severity: 'warning', resources });
    const text = renderText(makeReport({ results: [makeTargetReport({ findings: [finding] })] }), plain);
    expect(text.match(/setInterval every 1000 ms/g)).toHaveLength(1);
    expect(text).toContain('setInterval every 1000 ms ×3');
    expect(text).toContain('created by invocations 1, 2, 3');
    expect(text).toContain('socket  socket 10.0.0.1:5432\n');
    expect(text).toContain('created at src/db.js:9:5');
  });

  it('shows the tail of captured output on failure only, unless verbose', () => {
    const stdout = Array.from({ length: 30 }, (_, i) => `log line ${i + 1}`).join('\n');
    const failing = makeReport({ results: [{ ...failingTarget(), output: { stdout, stderr: '', truncated: false } }] });
    const text = renderText(failing, plain);
    expect(text).toContain('stdout (truncated: last 20 of 30 lines)');
    expect(text).toContain('│ log line 30');
    expect(text).not.toContain('log line 10\n');
    const passing = makeReport({ results: [makeTargetReport({ output: { stdout: 'hello', stderr: '', truncated: false } })] });
    expect(renderText(passing, plain)).not.toContain('hello');
    expect(renderText(passing, { ...plain, verbose: true })).toContain('│ hello');
  });

  it('neutralises escape sequences from handler data', () => {
    const finding = makeFinding({
      message: `boom ${ESC}[2J${ESC}]0;pwned\u0007`,
      resources: [makeResource({ summary: `evil\rPASS\u009b31m` })],
    });
    const target = makeTargetReport({
      verdict: 'fail',
      target: `x.js\nPASS y.js#handler`,
      findings: [finding],
      output: { stdout: `${ESC}[31mred\ttab\n`, stderr: '', truncated: false },
    });
    const text = renderText(makeReport({ results: [target] }), plain);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('boom \\x1b[2J\\x1b]0;pwned\\x07');
    expect(text).toContain('evil\\x0dPASS\\x9b31m');
    expect(text).toContain('\\x1b[31mred\ttab');
    expect(text.split('\n')[0]).toContain('x.js\\nPASS y.js#handler');
  });

  it('ends with a summary over all targets', () => {
    const report = makeReport({
      results: [
        { ...failingTarget(), findings: [makeFinding(), makeFinding({ code: 'TIMEOUT_HANDLER_PENDING' }), makeFinding({ severity: 'warning', code: 'PENDING_AT_FREEZE' })] },
        makeTargetReport({ target: 'fixtures/clean.js#handler', findings: [makeFinding()] }),
      ],
    });
    const lines = renderText(report, plain).trimEnd().split('\n');
    expect(lines.at(-1)).toBe('2 targets: 1 failed, 1 passed; 3 errors, 1 warning');
    expect(renderText(makeReport(), plain).trimEnd().split('\n').at(-1)).toBe('1 target: 0 failed, 1 passed; no findings');
  });

  it('counts a finding repeated over invocations once, as it is shown', () => {
    const repeated = [1, 2, 3].map((invocation) => makeFinding({ code: 'HANDLER_ERROR', severity: 'info', invocation, message: 'The invocation returned TypeError: bad input', resources: [] }));
    const delayed = [1, 2].map((invocation) =>
      makeFinding({ code: 'RESPONSE_DELAYED_BY_EVENT_LOOP', severity: 'warning', invocation, message: `The response was held back ${400 + invocation * 3} ms after callback(null, …) until a ref'd timer finished.` }),
    );
    const other = makeFinding({ code: 'HANDLER_ERROR', severity: 'info', invocation: 4, message: 'The invocation returned RangeError: too big', resources: [] });
    const report = makeReport({ results: [makeTargetReport({ findings: [...repeated, ...delayed, other] })] });
    const text = renderText(report, plain);
    expect(text).toContain('HANDLER_ERROR  The invocation returned an error (invocations 1, 2, 3)');
    expect(text).toContain('HANDLER_ERROR  The invocation returned an error (invocation 4)');
    expect(text).toContain('(invocations 1, 2)\n    The response was held back 403–406 ms after callback');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 target: 0 failed, 1 passed; 1 warning, 2 info');
  });

  it('shows a multi-line error message with its further lines indented, never at the margin', () => {
    const error = { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'x'\nRequire stack:\n- /app/handler.js\nPASS forged" };
    const target = makeTargetReport({ init: { ok: false, durationMs: 3, error }, invocations: [makeInvocation({ outcome: 'error', error, completedBy: 'init-error' })] });
    const lines = renderText(makeReport({ results: [target] }), plain).split('\n');
    expect(lines).toContain("  init failed: Runtime.ImportModuleError: Error: Cannot find module 'x'");
    expect(lines).toContain('      Require stack:');
    expect(lines).toContain('      PASS forged');
    expect(lines).toContain('  #1 error: the init error, which Lambda returns to each request (it runs Init again for the next)');
    expect(lines.some((line) => line.includes('\\n'))).toBe(false);
  });

  it('emits no colour codes at level 0 and colour at level 1', () => {
    const report = makeReport({ results: [failingTarget(), makeTargetReport()] });
    expect(renderText(report, plain)).not.toContain(ESC);
    const coloured = renderText(report, { chalk: new Chalk({ level: 1 }), verbose: false });
    expect(coloured).toContain(`${ESC}[31m`); // red: FAIL and the error
    expect(coloured).toContain(`${ESC}[32m`); // green: PASS
  });
});

describe('sanitizeForTerminal', () => {
  it('escapes C0/C1 controls and DEL, keeps newline and tab', () => {
    expect(sanitizeForTerminal(`a${ESC}[0m\u0000\u007f\u009b\n\tb`)).toBe('a\\x1b[0m\\x00\\x7f\\x9b\n\tb');
  });

  it('escapes bidi overrides and leaves ordinary Unicode alone', () => {
    expect(sanitizeForTerminal('é ✓ \u202eabc')).toBe('é ✓ \\u202eabc');
  });
});

describe('getReporter', () => {
  it('returns the registered reporters', () => {
    expect(getReporter('text')).toBe(REPORTERS.text);
    expect(getReporter('json')(makeReport(), plain)).toBe(renderJson(makeReport()));
  });

  it('throws a UsageError for an unknown name, including inherited property names', () => {
    expect(() => getReporter('xml')).toThrow(UsageError);
    expect(() => getReporter('toString')).toThrow(UsageError);
    expect(() => getReporter('xml')).toThrow(expect.objectContaining({ code: 'LHC_USAGE', message: expect.stringContaining('xml') }));
  });
});
