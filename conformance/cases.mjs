/**
 * The conformance cases: every plain handler file under fixtures/ (found by walking the
 * folder, so a new fixture is covered without a change here), plus handler strings resolved
 * from fixtures/task-root. Settings default to 2 invocations, a 2 s timeout and a 100 ms
 * freeze; the table below overrides them where a fixture needs other events or a shorter
 * timeout, and lists what is skipped, each with its reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Events for "fails on the first invocation, then shows the environment's invocation count". */
const FAIL_THEN_SAFE = [{}, { safe: true }];

export const DEFAULTS = { timeoutS: 2, invocations: 2, freezeMs: 100, events: [{}] };

/** Folders that hold no plain handler files, or whose handlers are cases of their own below. */
const SKIPPED_FOLDERS = {
  'fixtures/node_modules': 'build output of the tool (compiled TypeScript)',
  'fixtures/typescript': 'TypeScript: the runtime client runs JavaScript only',
  'fixtures/task-root': 'resolved through handler strings (HANDLER_CASES)',
  'fixtures/events': 'event and env files, not handlers',
  'fixtures/layers-project': 'its handler needs the layer its template names (test/e2e/targets.test.ts); alone it fails Init on both sides',
  'fixtures/libraries': 'need servers (SERVICE_URL, REDIS_URL, a database) that their own tests start',
  'fixtures/runtime-sdk': "import the AWS SDK that Lambda's managed runtime provides, which the npm client does not ship (test/e2e/runtime-sdk.test.ts)",
};

/** Plain handler files that are not run, with the reason. */
export const SKIPPED_FILES = {
  'fixtures/freeze/unawaited-http.js': 'needs a slow HTTP server (SLOW_URL) that the tool test starts',
  'fixtures/hostile/closes-fds.js': "closes fd 3 and 4, the tool's own pipes: no such descriptors under the real client",
  'fixtures/hostile/junk-on-fds.js': "writes to fd 3 and 4, the tool's own pipes: no such descriptors under the real client",
  'fixtures/hostile/init-busy-loop.js': 'leaves a detached process that ignores SIGTERM outside the process group',
  'fixtures/hostile/detached-children.js': 'leaves a detached process that ignores SIGTERM outside the process group',
  'fixtures/hostile/double-fork.js': 'leaves a double-forked daemon that ignores SIGTERM',
  'fixtures/payload/endless-line-on-fd4.js': "writes to fd 4, the tool's own pipe: no such descriptor under the real client",
  'fixtures/payload/huge-error-message.js': 'needs --memory 2048 to hold a 40 MiB message and its stack; what the service does with an error body that large is not documented',
  'fixtures/payload/response-40mb.mjs': 'needs --memory 2048 to hold 40 MiB twice; the buffered response limit is compared by fixtures/conformance/response-too-large.js and fixtures/payload/callback-response-too-large.js',
  'fixtures/payload/streamed-too-large.js':
    "streams 201 MiB: the emulator does not enforce the 200 MB streaming limit, as what the service answers past it (error type, what reaches the caller) is not documented; the tool's verdict for it is its own (README \"Payload limits\")",
  'fixtures/hostile/inherit-stdio-exit-at-init.js': 'leaves a child sharing its stdout/stderr, which only the tool ends with the process',
  'fixtures/hostile/inherit-stdio-exit.js': 'leaves a child sharing its stdout/stderr, which only the tool ends with the process',
  'fixtures/hostile/inherit-stdio-never-settles.js': 'leaves a child sharing its stdout/stderr, which only the tool ends with the process',
  'fixtures/hostile/inherit-stdio-rejection.js': 'leaves a child sharing its stdout/stderr, which only the tool ends with the process',
  'fixtures/hostile/inherit-stdio-sigkill.js': 'leaves a child sharing its stdout/stderr, which only the tool ends with the process',
  'fixtures/hostile/patched-globals.js':
    'replaces setImmediate and Promise.prototype.then: the real client schedules with them and breaks (Init exit 7 on the legacy line, exit 1 on 4.x), while the tool keeps its own references on purpose so that it can still report; a deliberate difference, not a runtime rule',
};

/**
 * Per-fixture settings. `mask`: top-level response fields compared by type only (request ids,
 * clocks). `messages`: compare errorMessage too, where the message is the point of the
 * fixture (which of two texts, a count carried in it, a value's String()). `timing: false`:
 * compare texts only, where how long a step takes measures the machine, not a rule.
 */
const SETTINGS = {
  'fixtures/async-pending-interval.js': { events: FAIL_THEN_SAFE, timeoutS: 1 },
  'fixtures/process-exit.js': { events: FAIL_THEN_SAFE },
  'fixtures/uncaught-in-timer.js': { events: FAIL_THEN_SAFE, messages: true },
  'fixtures/unhandled-rejection.js': { events: FAIL_THEN_SAFE, messages: true },
  'fixtures/hostile/stack-overflow.js': { events: FAIL_THEN_SAFE, messages: true },
  'fixtures/callback-interval.js': { timeoutS: 1 },
  'fixtures/callback-interval-in-handler.js': { timeoutS: 1 },
  'fixtures/callback-net-server.js': { timeoutS: 1 },
  'fixtures/callback-mixed-resources.js': { timeoutS: 1 },
  'fixtures/showcase.js': { timeoutS: 1 },
  'fixtures/sam-project/src/orders/index.js': { timeoutS: 1 },
  'fixtures/busy-loop.js': { timeoutS: 1 },
  'fixtures/hostile/flood-then-spin.js': { timeoutS: 1 },
  'fixtures/hostile/timer-busy-loop.js': { timeoutS: 1 },
  'fixtures/hostile/many-pending-timeout.js': { timeoutS: 1, invocations: 1 },
  'fixtures/hostile/many-pending.js': { invocations: 1 },
  'fixtures/out-of-memory.js': { invocations: 1, timeoutS: 10 },
  'fixtures/async-never-settles.js': { messages: true },
  'fixtures/hostile/exit-code.js': { messages: true },
  'fixtures/handler-missing-export.js': { messages: true },
  'fixtures/handler-not-a-function.js': { messages: true },
  'fixtures/context-fail-no-arg.js': { messages: true },
  'fixtures/throw-string.js': { messages: true },
  'fixtures/reject-object.js': { messages: true },
  'fixtures/sync-throw.js': { messages: true },
  'fixtures/circular-result.js': { messages: true },
  'fixtures/async-custom-error.js': { messages: true },
  'fixtures/context-dump.js': { mask: ['awsRequestId', 'remainingMs'] },
  'fixtures/environment-echo.js': { events: [{ order: 42 }, { order: 43 }], mask: ['countdownMs'] },
  'fixtures/conformance/process-exit-zero.js': { events: FAIL_THEN_SAFE },
  'fixtures/conformance/rejection-before-freeze.js': { messages: true },
  'fixtures/conformance/rejection-handled-late.js': { events: FAIL_THEN_SAFE, messages: true },
  'fixtures/conformance/callback-then-nowait-interval.js': { timeoutS: 1 },
  'fixtures/conformance/throw-null.js': { messages: true },
  'fixtures/conformance/reject-undefined.js': { messages: true },
  'fixtures/conformance/reject-error-like-object.js': { messages: true },
  'fixtures/conformance/error-without-stack.js': { messages: true },
  'fixtures/conformance/reject-cross-realm-error.js': { messages: true },
  'fixtures/conformance/uncaught-after-response.js': { messages: true },
  'fixtures/conformance/init-unhandled-rejection.js': { messages: true },
  'fixtures/conformance/thenable-async.js': { messages: true },
  // The service's message carries the size: compare it. Posting 7-8 MiB through the client's
  // HTTP path takes 100-500 ms on a loaded machine, the harness's size check none: the timing
  // measures the machine. Both lines stay warm after the 413 (compared by the environments).
  'fixtures/conformance/response-too-large.js': { messages: true, timing: false },
  'fixtures/payload/callback-response-too-large.js': { timing: false },
  'fixtures/payload/response-at-limit.js': { timing: false },
  // Moving 8 MiB through the legacy client's HTTP path takes 50 ms idle and up to 750 ms on a
  // loaded machine, before and after the body ends; the empty-loop wait around a streamed
  // body is compared by the other streaming fixtures, and this one is about the bytes.
  'fixtures/streaming/large-body.js': { timing: false },
  'fixtures/conformance/context-fields.js': { mask: ['awsRequestId', 'remainingMs', 'logStreamName', 'traceIdEnv', 'xRayTraceId'] },
};

/**
 * Handler strings under fixtures/task-root (semantics section 1): resolution, precedence and
 * the init errors of a bad handler string. `id` names the case in reports and in
 * known-differences.md.
 */
const HANDLER_CASES = [
  'src/app.handler',
  'v1.2/app.handler',
  'nested.a.b.handler',
  'fnpath.fn.handler',
  'precedence-js.handler',
  'precedence-mjs.handler',
  'precedence-bare.handler',
  'esm-pkg/app.handler',
  'nested.a.missing',
  'nested.a',
  'no-such-module.handler',
  'nodot',
  '../task-root/nested.a.b.handler',
  'bare-require.handler',
];

/** `file#export` targets: the export path is part of the handler string. */
const EXPORT_CASES = ['fixtures/multi-export.js#api', 'fixtures/multi-export.js#jobs.nightly', 'fixtures/multi-export.js#missing'];

const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/** Every case, in a stable order. `root` is the repository root. */
export function buildCases(root) {
  const cases = [];
  const skipped = [];
  for (const file of listHandlerFiles(root, 'fixtures')) {
    if (SKIPPED_FILES[file]) {
      skipped.push({ id: file, reason: SKIPPED_FILES[file] });
      continue;
    }
    if (file === 'fixtures/multi-export.js') continue; // EXPORT_CASES
    cases.push(fileCase(root, file, 'handler'));
  }
  for (const target of EXPORT_CASES) {
    const [file, exportPath] = target.split('#');
    cases.push({ ...fileCase(root, file, exportPath), id: target, messages: true });
  }
  for (const handler of HANDLER_CASES) {
    const taskRoot = 'fixtures/task-root';
    const module = path.basename(handler).split('.')[0] || 'function';
    cases.push({
      ...DEFAULTS,
      id: `--handler ${handler}`,
      kind: 'handler',
      taskRoot,
      handler,
      functionName: toName(module),
      description: `handler string ${handler} under ${taskRoot}`,
      messages: true,
    });
  }
  for (const [folder, reason] of Object.entries(SKIPPED_FOLDERS)) skipped.push({ id: `${folder}/`, reason });
  return { cases, skipped };
}

function fileCase(root, file, exportPath) {
  const extension = HANDLER_EXTENSIONS.find((ext) => file.endsWith(ext));
  const module = path.basename(file).slice(0, -extension.length);
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n', 2);
  return {
    ...DEFAULTS,
    ...SETTINGS[file],
    id: file,
    kind: 'file',
    file,
    exportPath,
    taskRoot: path.dirname(file),
    handler: `${module}.${exportPath}`,
    functionName: toName(module),
    description: (lines[1] ?? '').replace(/^\/\/\s*/, ''),
  };
}

function toName(name) {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'function';
}

function listHandlerFiles(root, dir) {
  if (SKIPPED_FOLDERS[dir]) return [];
  const entries = readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const files = [];
  for (const entry of entries) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...listHandlerFiles(root, relative));
    else if (HANDLER_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) files.push(relative);
  }
  return files;
}
