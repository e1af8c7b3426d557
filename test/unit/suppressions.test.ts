import { describe, expect, it } from 'vitest';
import { createSourceLines } from '../../src/analysis/frames.js';
import { splitSuppressed } from '../../src/analysis/suppressions.js';
import type { Finding, FindingCode, Resource } from '../../src/types.js';

const SOURCE: Record<string, string> = {
  '/app/handler.js': [
    'exports.handler = async () => {',
    '  // lambda-hang-check-ignore PENDING_AT_FREEZE, RAN_AFTER_THAW -- flushed at the next thaw',
    '  setTimeout(flush, 1000);',
    '  setTimeout(other, 1000); /* lambda-hang-check-ignore PENDING_AT_FREEZE */',
    '  setTimeout(third, 1000);',
    '  x(); // lambda-hang-check-ignore HANDLER_ERROR',
    '};',
  ].join('\n'),
};

const resourceAt = (line: number): Resource => ({
  asyncId: line, type: 'Timeout', kind: 'timer', ref: true, createdIn: 'invocation', invocation: 1, summary: `timer ${line}`,
  location: { file: 'handler.js', line, column: 3 }, via: null, stack: [],
});

const finding = (code: FindingCode, lines: number[], location = lines.length ? { file: 'handler.js', line: lines[0]!, column: 3 } : null): Finding => ({
  code, severity: 'warning', invocation: 1, message: code, location, resources: lines.map(resourceAt), hint: '',
});

const split = (findings: Finding[], ignore: FindingCode[] = []) =>
  splitSuppressed(findings, { ignore: new Set(ignore), lines: createSourceLines({ cwd: '/app', readSource: (file) => SOURCE[file] ?? null }) });

describe('splitSuppressed', () => {
  it('takes a comment line just above, with its reason, for any code it names', () => {
    const { active, suppressed } = split([finding('PENDING_AT_FREEZE', [3]), finding('RAN_AFTER_THAW', [3])]);
    expect(active).toEqual([]);
    expect(suppressed.map((f) => [f.code, f.suppression])).toEqual([
      ['PENDING_AT_FREEZE', { kind: 'inSource', justification: 'flushed at the next thaw' }],
      ['RAN_AFTER_THAW', { kind: 'inSource', justification: 'flushed at the next thaw' }],
    ]);
  });

  it('takes a trailing comment for its own line only, never for the line below', () => {
    expect(split([finding('PENDING_AT_FREEZE', [4])]).suppressed).toHaveLength(1);
    expect(split([finding('PENDING_AT_FREEZE', [5])]).active).toHaveLength(1);
  });

  it('suppresses a finding about resources only when every one of them is covered', () => {
    expect(split([finding('PENDING_AT_FREEZE', [3, 4])]).suppressed).toHaveLength(1);
    expect(split([finding('PENDING_AT_FREEZE', [3, 5])]).active).toHaveLength(1);
  });

  it('reads a finding without resources at its own location, and never suppresses one that has none', () => {
    expect(split([finding('HANDLER_ERROR', [], { file: 'handler.js', line: 6, column: 3 })]).suppressed).toHaveLength(1);
    expect(split([finding('HANDLER_ERROR', [], null)]).active).toHaveLength(1);
  });

  it('ignores a comment that names another code, and a file it cannot read', () => {
    expect(split([finding('RESOURCE_GROWTH', [3])]).active).toHaveLength(1);
    expect(split([{ ...finding('PENDING_AT_FREEZE', [3]), resources: [{ ...resourceAt(3), location: { file: 'gone.js', line: 3, column: 1 } }] }]).active).toHaveLength(1);
  });

  it('suppresses every finding of an --ignore code, wherever it points', () => {
    const { active, suppressed } = split([finding('RESOURCE_GROWTH', [5]), finding('HANDLER_ERROR', [], null)], ['RESOURCE_GROWTH', 'HANDLER_ERROR']);
    expect(active).toEqual([]);
    expect(suppressed.map((f) => f.suppression)).toEqual([{ kind: 'external', justification: '--ignore' }, { kind: 'external', justification: '--ignore' }]);
  });
});
