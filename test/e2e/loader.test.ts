// How the runtime finds and loads the handler (semantics §1): handler strings, extension
// precedence, module formats, load-time errors. One row per fixture and runtime line.
import { expect } from 'vitest';
import { onRuntimes, testRows, type ErrorExpectation, type Row } from '../helpers/run-cli.js';

const BOTH = ['nodejs22.x', 'nodejs24.x'] as const;

/** A handler string under fixtures/task-root that loads and answers `response`. */
const resolves = (handler: string, response: unknown): Row[] =>
  onRuntimes([...BOTH], {
    target: handler, handler: true, timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response }],
    codes: [],
  });

/** A target whose Init fails with `error` (§1.3); Lambda reports it, so the check exits 1. */
const initFails = (target: string, error: ErrorExpectation, opts: { handler?: boolean; runtimes?: Row['runtime'][]; line?: number } = {}): Row[] =>
  onRuntimes(opts.runtimes ?? [...BOTH], {
    target, handler: opts.handler, timeout: 1, invocations: 1, status: 1,
    initError: error,
    codes: ['INIT_ERROR'],
    ...(opts.line ? { at: [{ code: 'INIT_ERROR', file: target, line: opts.line }] } : {}),
  });

const malformed = (handler: string): ErrorExpectation => ({
  errorType: 'Runtime.MalformedHandlerName',
  errorMessage: `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
});

const handlerStringRows: Row[] = [
  ...resolves('src/app.handler', { loaded: 'src/app.js' }),
  ...resolves('nested.a.b.handler', { loaded: 'nested.js', path: 'a.b.handler' }),
  ...resolves('v1.2/app.handler', { loaded: 'v1.2/app.js' }),
  // Effective precedence on both lines: extensionless → .js → .mjs → .cjs.
  ...resolves('precedence-bare.handler', { loaded: 'precedence-bare' }),
  ...resolves('precedence-js.handler', { loaded: 'precedence-js.js' }),
  ...resolves('precedence-mjs.handler', { loaded: 'precedence-mjs.mjs' }),
  // The nearest package.json ("type": "module") wins over fixtures/package.json ("commonjs").
  ...resolves('esm-pkg/app.handler', { loaded: 'esm-pkg/app.js', esm: true }),
  // A property path through a function: the legacy line walks it, 4.x only walks objects.
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fnpath.fn.handler', handler: true, timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { loaded: 'fnpath.js', path: 'fn.handler' } }],
    codes: [],
  }),
  ...initFails(
    'fnpath.fn.handler',
    { errorType: 'Runtime.HandlerNotFound', errorMessage: 'fnpath.fn.handler is undefined or not exported' },
    { handler: true, runtimes: ['nodejs24.x'] },
  ),
  // The bootstrap's NODE_PATH ends with the task root: a bare 'lib/greeting' is found there, on every line.
  ...onRuntimes(['nodejs20.x', ...BOTH], {
    target: 'bare-require.handler', handler: true, timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { greeting: 'found from the task root' } }],
    codes: [],
  }),
  // … unless the function sets its own NODE_PATH, which the bootstrap leaves alone.
  ...onRuntimes(['nodejs22.x'], {
    target: 'bare-require.handler', handler: true, timeout: 1, invocations: 1, status: 1,
    args: ['--env', 'NODE_PATH=/nonexistent'],
    initError: { errorType: 'Runtime.ImportModuleError', errorMessage: /Cannot find module 'lib\/greeting'/ },
    codes: ['INIT_ERROR'],
  }),
  ...initFails('../async-clean.handler', malformed('../async-clean.handler'), { handler: true }),
  // ".." anywhere, even where the path would stay inside the task root.
  ...initFails('src/../nested.a.b.handler', malformed('src/../nested.a.b.handler'), { handler: true }),
  ...initFails('src/app', { errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler' }, { handler: true }),
  ...initFails(
    'missing-module.handler',
    { errorType: 'Runtime.ImportModuleError', errorMessage: /Cannot find module 'missing-module'/ },
    { handler: true },
  ),
];

const fileRows: Row[] = [
  ...onRuntimes([...BOTH], {
    target: 'fixtures/esm-handler.mjs', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { esm: true } }],
    codes: [],
  }),
  ...onRuntimes([...BOTH], {
    target: 'fixtures/cjs-handler.cjs', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { cjs: true } }],
    codes: [],
  }),
  ...onRuntimes([...BOTH], {
    target: 'fixtures/task-root/esm-pkg/app.js', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { loaded: 'esm-pkg/app.js', esm: true } }],
    codes: [],
  }),
  // Top-level await is part of Init (awaited before the first /next).
  ...onRuntimes([...BOTH], {
    target: 'fixtures/esm-top-level-await.mjs', timeout: 2, invocations: 1, status: 0,
    outcomes: [{ outcome: 'response', response: { region: 'eu-west-1' } }],
    codes: [],
    check: (result) => expect(result.init.durationMs).toBeGreaterThanOrEqual(45),
  }),
  // Compiled by the tool; the module-scope interval must be reported at its .ts line.
  ...onRuntimes(['nodejs20.x', 'nodejs22.x'], {
    target: 'fixtures/typescript-interval.ts', timeout: 1, invocations: 1, status: 1,
    outcomes: [{ outcome: 'timeout' }],
    codes: ['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP'],
    resources: [{ code: 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', file: 'fixtures/typescript-interval.ts', line: 15, createdIn: 'init', kind: 'interval' }],
  }),
  ...initFails('fixtures/init-syntax-error.js', { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: /^SyntaxError: / }),
  ...initFails('fixtures/init-throw-range-error.js', { errorType: 'RangeError', errorMessage: 'maxSockets must be a positive number' }),
  // At the require() line on every Node: nothing of the tool's may sit in the resolution's frames.
  ...initFails('fixtures/init-require-missing-package.js', {
    errorType: 'Runtime.ImportModuleError',
    errorMessage: /Cannot find module 'lhc-fixture-missing-package'/,
  }, { line: 3 }),
  // ERR_MODULE_NOT_FOUND from an ES module is not wrapped: a plain "Error".
  ...initFails('fixtures/init-import-missing-package.mjs', {
    errorType: 'Error',
    errorMessage: /^Cannot find package 'lhc-fixture-missing-package' imported from /,
  }),
  ...initFails('fixtures/handler-missing-export.js', {
    errorType: 'Runtime.HandlerNotFound',
    errorMessage: / is undefined or not exported$/,
  }),
  ...initFails('fixtures/handler-not-a-function.js', {
    errorType: 'Runtime.HandlerNotFound',
    errorMessage: / is not a function$/,
  }),
];

// Handler strings name no file of their own, so there is no line-1 header to compare.
testRows('handler strings resolved under fixtures/task-root', handlerStringRows, { headers: false });
testRows('module formats and load-time errors', fileRows);
