import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLibraryFile, locate, parseStackText, toRelativePath, toResource, toStackFrames, type FrameContext } from '../../src/analysis/frames.js';
import { createSourceMapLookup } from '../../src/analysis/source-map.js';
import type { StackFrame } from '../../src/types.js';
import { makeRawFrame, makeRawResource } from '../helpers/factories.js';

const HARNESS = '/opt/lhc/dist/harness.js';
// dist/handler.js line 3 column 5 (and after) came from src/handler.ts line 7 column 3.
const lookup = createSourceMapLookup({ sources: ['../src/handler.ts'], mappings: ';;IAME' }, (source) => resolve('/work/app/dist', source));
const ctx: FrameContext = {
  cwd: '/work/app',
  sourceMaps: new Map([['/work/app/dist/handler.js', lookup]]),
  isOwnFile: (file) => file === HARNESS,
};

const frame = (file: string, line: number, fn: string | null = null): StackFrame => ({ function: fn, file, line, column: 1 });

describe('toRelativePath', () => {
  it.each([
    ['/work/app/src/handler.js', 'src/handler.js'],
    ['/work/app/handler.js', 'handler.js'],
    ['/work/other/x.js', '../other/x.js'],
    ['src/already-relative.js', 'src/already-relative.js'],
  ])('%s → %s', (file, expected) => {
    expect(toRelativePath(file, '/work/app')).toBe(expected);
  });
});

describe('isLibraryFile', () => {
  it.each([
    ['node_modules/pg/lib/client.js', true],
    ['../node_modules/pg/lib/client.js', true],
    ['/abs/node_modules/a/node_modules/b/index.js', true],
    ['src/handler.js', false],
    ['src/my_node_modules/x.js', false],
    ['src/node_modules_helper.js', false],
  ])('%s → %s', (file, expected) => {
    expect(isLibraryFile(file)).toBe(expected);
  });
});

describe('toStackFrames', () => {
  it('drops the tool’s own frames, source-maps compiled files and relativises paths', () => {
    const frames = toStackFrames(
      [
        makeRawFrame({ function: 'invoke', file: HARNESS, line: 10, column: 1 }),
        makeRawFrame({ function: 'handler', file: '/work/app/dist/handler.js', line: 3, column: 9 }),
        makeRawFrame({ function: 'connect', file: '/work/app/node_modules/pg/lib/client.js', line: 48, column: 12 }),
      ],
      ctx,
    );
    expect(frames).toEqual([
      { function: 'handler', file: 'src/handler.ts', line: 7, column: 3 },
      { function: 'connect', file: 'node_modules/pg/lib/client.js', line: 48, column: 12 },
    ]);
  });

  it('keeps the generated position when the map has nothing for that line', () => {
    const [only] = toStackFrames([makeRawFrame({ file: '/work/app/dist/handler.js', line: 1, column: 1 })], ctx);
    expect(only).toEqual({ function: 'handler', file: 'dist/handler.js', line: 1, column: 1 });
  });
});

describe('locate', () => {
  it('takes the first user frame, and the library frame just above it as via', () => {
    const stack = [
      frame('node_modules/pg/lib/connection.js', 10),
      frame('node_modules/pg/lib/client.js', 48),
      { function: 'handler', file: 'src/handler.js', line: 4, column: 3 },
      frame('src/index.js', 1),
    ];
    expect(locate(stack)).toEqual({ location: { file: 'src/handler.js', line: 4, column: 3 }, via: 'node_modules/pg/lib/client.js:48' });
  });

  it('shortens a nested or outside-cwd library path to its innermost node_modules', () => {
    const stack = [frame('../shared/node_modules/a/node_modules/b/lib/x.js', 7), frame('handler.js', 2)];
    expect(locate(stack).via).toBe('node_modules/b/lib/x.js:7');
  });

  it('gives no via when the user frame is the innermost one or a user frame sits between', () => {
    expect(locate([frame('handler.js', 2), frame('node_modules/x/y.js', 3)]).via).toBeNull();
    expect(locate([frame('a.js', 1), frame('node_modules/x/y.js', 3), frame('b.js', 2)])).toEqual({
      location: { file: 'a.js', line: 1, column: 1 },
      via: null,
    });
  });

  it('has no location without a user frame, and no via on an empty stack', () => {
    expect(locate([frame('node_modules/x/y.js', 3), frame('node_modules/z/w.js', 4)])).toEqual({ location: null, via: 'node_modules/x/y.js:3' });
    expect(locate([])).toEqual({ location: null, via: null });
  });
});

describe('toResource', () => {
  it('marks an invocation resource with its invocation, and an init one without', () => {
    const fromInvocation = toResource(makeRawResource({ origin: 2 }), ctx);
    expect(fromInvocation).toMatchObject({ createdIn: 'invocation', invocation: 2, location: { file: 'handler.js', line: 4, column: 3 }, via: null });
    const fromInit = toResource(makeRawResource({ origin: 0 }), ctx);
    expect(fromInit.createdIn).toBe('init');
    expect(fromInit).not.toHaveProperty('invocation');
  });

  it('carries the raw facts through and keeps the own stack even when falling back', () => {
    const raw = makeRawResource({
      asyncId: 42,
      type: 'TCPWRAP',
      kind: 'socket',
      ref: false,
      summary: 'socket to 127.0.0.1:5432',
      frames: [makeRawFrame({ function: 'Connection', file: '/work/app/node_modules/pg/lib/connection.js', line: 10 })],
      parentFrames: [makeRawFrame({ function: 'handler', file: '/work/app/handler.js', line: 7, column: 5 })],
    });
    const resource = toResource(raw, ctx);
    expect(resource).toMatchObject({ asyncId: 42, type: 'TCPWRAP', kind: 'socket', ref: false, summary: 'socket to 127.0.0.1:5432' });
    expect(resource.location).toEqual({ file: 'handler.js', line: 7, column: 5 });
    expect(resource.stack.map((f) => f.file)).toEqual(['node_modules/pg/lib/connection.js']);
  });

  it('takes location and via from parentFrames when its own frames are all filtered out', () => {
    const raw = makeRawResource({
      frames: [makeRawFrame({ file: HARNESS })],
      parentFrames: [
        makeRawFrame({ function: 'query', file: '/work/app/node_modules/pg/lib/client.js', line: 48 }),
        makeRawFrame({ function: 'handler', file: '/work/app/dist/handler.js', line: 3, column: 5 }),
      ],
    });
    const resource = toResource(raw, ctx);
    expect(resource.stack).toEqual([]);
    expect(resource.location).toEqual({ file: 'src/handler.ts', line: 7, column: 3 });
    expect(resource.via).toBe('node_modules/pg/lib/client.js:48');
  });

  it('ignores parentFrames when its own frames already have a user frame', () => {
    const raw = makeRawResource({ parentFrames: [makeRawFrame({ file: '/work/app/other.js', line: 99 })] });
    expect(toResource(raw, ctx).location).toEqual({ file: 'handler.js', line: 4, column: 3 });
  });
});

describe('parseStackText', () => {
  it('reads named and anonymous V8 frames', () => {
    const frames = parseStackText([
      'Error: boom',
      '    at handler (/abs/file.js:3:9)',
      '    at async Promise.all (index 0)',
      '    at /abs/other.js:12:1',
      '    at new Client (/abs/node_modules/pg/lib/client.js:48:12)',
    ]);
    expect(frames).toEqual([
      { function: 'handler', file: '/abs/file.js', line: 3, column: 9 },
      { function: null, file: '/abs/other.js', line: 12, column: 1 },
      { function: 'new Client', file: '/abs/node_modules/pg/lib/client.js', line: 48, column: 12 },
    ]);
  });

  it('turns file:// URLs into paths, decoding escapes', () => {
    expect(parseStackText(['Error: x', '    at load (file:///abs/my%20dir/x.mjs:3:9)', '    at file:///abs/y.mjs:4:2'])).toEqual([
      { function: 'load', file: '/abs/my dir/x.mjs', line: 3, column: 9 },
      { function: null, file: '/abs/y.mjs', line: 4, column: 2 },
    ]);
  });

  it('takes the location a SyntaxError stack starts with', () => {
    const trace = ['/abs/file.js:5', 'const x = ;', '          ^', '', 'SyntaxError: Unexpected token \';\'', '    at wrapSafe (node:internal/modules/cjs/loader:1378:20)'];
    expect(parseStackText(trace)).toEqual([{ function: null, file: '/abs/file.js', line: 5, column: 1 }]);
  });

  it('drops node: and internal frames, and a message that only looks like file:line', () => {
    const frames = parseStackText([
      'Error: port:8080',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at Module._compile (internal/modules/cjs/loader.js:999:30)',
      '    at run (/abs/run.js:1:2)',
      '/abs/not-first-line.js:5',
    ]);
    expect(frames).toEqual([{ function: 'run', file: '/abs/run.js', line: 1, column: 2 }]);
  });

  it('returns no frames for an undefined or empty trace', () => {
    expect(parseStackText(undefined)).toEqual([]);
    expect(parseStackText([])).toEqual([]);
  });
});
