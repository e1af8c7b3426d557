import { describe, expect, it } from 'vitest';
import { pendingAtFreeze, ranAfterThaw, resourceGrowth } from '../../src/analysis/freeze-thaw.js';
import { describeMissingHandler } from '../../src/analysis/handler-not-found.js';
import { toResource, type FrameContext } from '../../src/analysis/frames.js';
import type { RawResource } from '../../src/runner/protocol.js';
import { toIndentedLines } from '../../src/reporters/sanitize.js';
import { makeInvocationRecord, makeRawFrame, makeRawResource } from '../helpers/factories.js';

const ctx: FrameContext = { cwd: '/work/app', sourceMaps: new Map(), isOwnFile: () => false };
const toResources = (raw: RawResource[]) => raw.map((resource) => toResource(resource, ctx));

describe('resource kinds in sentences', () => {
  it('puts "an" before a kind spoken with a vowel, and says what was posted', () => {
    const immediate = makeRawResource({ type: 'Immediate', kind: 'immediate', summary: 'setImmediate → flush' });
    const failed = makeInvocationRecord({ outcome: 'error', responseText: undefined, error: { errorType: 'Error', errorMessage: 'x' }, lingering: [immediate] });
    expect(pendingAtFreeze(failed, toResources)!.message).toMatch(/^The error of invocation 1 was posted while an immediate it started was still pending;/);
    const answered = makeInvocationRecord({ lingering: [makeRawResource({ kind: 'interval' })] });
    expect(pendingAtFreeze(answered, toResources)!.message).toMatch(/^The response of invocation 1 was posted while an interval it started was still pending;/);
    const other = makeInvocationRecord({ lingering: [makeRawResource({ kind: 'other', type: 'SIGNALWRAP' })] });
    expect(pendingAtFreeze(other, toResources)!.message).toContain('while a resource it started was');
  });

  it('names a callback run after the thaw with the right article', () => {
    const records = [makeInvocationRecord({ index: 1 }), makeInvocationRecord({ index: 2 })];
    const immediate = makeRawResource({ asyncId: 5, type: 'Immediate', kind: 'immediate', origin: 1 });
    const [draft] = ranAfterThaw(records, [{ atNs: String(2_500_000_000), resource: immediate }], toResources);
    expect(draft!.message).toMatch(/^An immediate callback of invocation 1 ran during invocation 2/);
  });

  it('writes the plural of child-process', () => {
    const child = (n: number) => makeRawResource({ asyncId: 100 + n, type: 'PROCESSWRAP', kind: 'child-process', frames: [makeRawFrame({ line: 9 })] });
    const records = [1, 2, 3].map((index) => makeInvocationRecord({ index, lingering: Array.from({ length: index }, (_, n) => ({ ...child(index * 10 + n), origin: index })) }));
    expect(resourceGrowth(records, toResources)[0]!.message).toMatch(/^Live child-processes created at handler\.js:9 grew/);
  });
});

describe('describeMissingHandler', () => {
  it('lists the exports and names one the way the target was given', () => {
    expect(describeMissingHandler(['main()', 'helper()', 'config'], { by: 'file', file: 'src/app.js' })).toEqual({
      exported: 'The module exports: main(), helper(), config.',
      hint: 'Name one of its functions: `src/app.js#main` (or `--export main`).',
    });
    expect(describeMissingHandler(['a.b.main()'], { by: 'handler', handler: 'src/v1.2/index.a.b.handler' })!.hint).toBe('Name its one function: `--handler src/v1.2/index.a.b.main`.');
    expect(describeMissingHandler(['main()'], { by: 'template', handler: 'app.handler' })!.hint).toBe("Name its one function: set the function's handler to `app.main`.");
  });

  it('says when the module exports nothing, or no function', () => {
    expect(describeMissingHandler([], { by: 'file', file: 'a.js' })!.exported).toBe('The module exports nothing.');
    expect(describeMissingHandler(['routes', 'config'], { by: 'file', file: 'a.js' })!.exported).toBe('The module exports no function; its exports: routes, config.');
    expect(describeMissingHandler(undefined, { by: 'file', file: 'a.js' })).toBeNull();
  });
});

describe('toIndentedLines', () => {
  it('keeps the first line, indents the others, and bounds them', () => {
    expect(toIndentedLines('first\nsecond\r\nthird\n', '    ')).toBe('first\n    second\n    third');
    const long = ['head', ...Array.from({ length: 20 }, (_, i) => `line ${i}`)].join('\n');
    const shown = toIndentedLines(long, '  ').split('\n');
    expect(shown).toHaveLength(14);
    expect(shown.at(-1)).toBe('  … 8 more lines');
    expect(toIndentedLines('a\n\u001b[2Jb', '  ')).toBe('a\n  \\x1b[2Jb');
  });
});
