/**
 * The child's entry point: set up tracking before any user code loads, load the handler as
 * the chosen runtime line does (Init), then serve invoke messages from the parent until it
 * kills us. Everything here runs inside the user's process: node: imports only.
 */
import { fileURLToPath } from 'node:url';
import { TOKEN_VARIABLE, type HarnessConfig, type HandlerShape, type ParentMessage } from '../runner/protocol.js';
import { CALLBACK_DEPRECATED_MESSAGE, RUNTIME_RULES } from '../runtime-rules.js';
import { readFrames, setCaptureDepth } from './capture-stack.js';
import { schedule } from './invocation.js';
import type { ErrorInfo } from '../types.js';
import { installAwsLambdaGlobal, isStreamingHandler, streamingSiteOf } from './awslambda-global.js';
import { declaredParameters } from './declared-parameters.js';
import { locateFunction } from './function-location.js';
import { openCommandChannel } from './command-channel.js';
import { createLifecycle, type Lifecycle } from './lifecycle.js';
import { loadHandler } from './load-handler.js';
import { installProcessErrorHandlers } from './process-errors.js';
import { keepListener, restoreListeners } from './guarded-listeners.js';
import { openReportChannel, sendToParent } from './report-channel.js';
import { INIT, OWN, createResourceTracker } from './resource-tracker.js';

const config = JSON.parse(process.env.LHC_CONFIG ?? '{}') as HarnessConfig;
delete process.env.LHC_CONFIG;
openReportChannel(process.env[TOKEN_VARIABLE] ?? '');
delete process.env[TOKEN_VARIABLE];
// LHC_RUN_ID stays: every process the handler starts inherits it, which is how the parent
// finds them all at the end, even double-forked ones (src/runner/process-tree.ts).
const rules = RUNTIME_RULES[config.runtime];
const self = fileURLToPath(import.meta.url);

// Create the stdio streams now, untracked: they are the tool's, and console.log in user code
// would otherwise create them inside the user's context.
void process.stdout;
void process.stderr;
// Opening them made the pipes non-blocking (libuv), which the handler would otherwise feel:
// fs.writeSync(1, …) failing with EAGAIN under a flood, writes left pending at a freeze.
// Blocking again, a flood just waits for the parent to read, as a process writing to a pipe does.
for (const stream of [process.stdout, process.stderr] as unknown as Array<{ _handle?: { setBlocking?: (on: boolean) => number } }>) {
  stream._handle?.setBlocking?.(true);
}
const channel = openCommandChannel((message: ParentMessage) => {
  if (message.type === 'invoke') lifecycle?.invoke(message);
  else if (message.type === 'snapshot' && lifecycle) {
    // Thousands of live resources take a while to describe: say at once that the loop is free.
    sendToParent({ type: 'snapshot-ack' });
    sendToParent({ type: 'snapshot', ...lifecycle.describeState() });
  }
});

setCaptureDepth(config.stackDepth);
const tracker = createResourceTracker((file) => file === self, [channel.handle]);
let lifecycle: Lifecycle | null = null;
installProcessErrorHandlers(rules, tracker, () => lifecycle);

keepListener('exit', (code: number) => {
  const frames = tracker.runAs(OWN, () => captureExitFrames());
  sendToParent({ type: 'exit', code, index: lifecycle?.lastIndex() ?? 0, frames });
});
// The legacy client registers its one beforeExit listener before loading the handler, so a
// handler can remove it (and then a waiting callback never posts and the process exits, as
// on Lambda). For 4.x the listener is ours alone (the drain notice) and is kept.
const onBeforeExit = (): void => lifecycle?.onBeforeExit();
if (rules.callbacks) process.on('beforeExit', onBeforeExit);
else keepListener('beforeExit', onBeforeExit);

await init();

async function init(): Promise<void> {
  installAwsLambdaGlobal(!rules.legacy);
  const startedAt = performance.now();
  tracker.setAmbient(INIT);
  const loaded = await loadHandler(config.spec, rules);
  tracker.setAmbient(OWN);
  const durationMs = performance.now() - startedAt;
  if (!loaded.ok) return failInit(durationMs, loaded.error, loaded.exports);
  const handler = loaded.handler;
  const shape: HandlerShape = {
    arity: handler.length,
    declaredParameters: declaredParameters(handler),
    isAsync: handler.constructor?.name === 'AsyncFunction',
    isStreaming: isStreamingHandler(handler),
  };
  const site = streamingSiteOf(handler);
  if (site) shape.streamingFrames = readFrames(site, (file) => file === self);
  // Findings about the handler itself (a callback never called, a return value ignored, a
  // callback handler) point at its definition; an async two-parameter handler gets none.
  if (rules.callbacks && !shape.isStreaming && (shape.arity >= 3 || !shape.isAsync)) {
    const definedAt = locateFunction(handler);
    if (definedAt) shape.definedAt = definedAt;
  }
  if (!rules.callbacks && !shape.isStreaming && shape.arity >= 3) {
    return failInit(durationMs, { errorType: 'Runtime.CallbackHandlerDeprecated', errorMessage: CALLBACK_DEPRECATED_MESSAGE, trace: [] });
  }
  // The legacy client still answers process errors as init errors until its first /next,
  // which it starts one setImmediate after loading: a rejection left unhandled at module
  // scope surfaces in that turn and fails Init (4.x, with no handlers, crashes later).
  if (rules.postsProcessErrors) await new Promise<void>((resolve) => schedule(resolve));
  lifecycle = createLifecycle(handler, shape, rules, tracker, channel);
  restoreListeners();
  sendToParent({ type: 'init-done', durationMs, handler: shape });
  // Like the runtime's first /next: wait for an invoke however empty the loop is.
  channel.ref();
}

function failInit(durationMs: number, error: ErrorInfo, exports?: string[]): void {
  sendToParent({ type: 'init-error', durationMs, error, ...(exports ? { exports } : {}) });
  process.exitCode = rules.initErrorExitCode;
  process.exit(rules.initErrorExitCode);
}

function captureExitFrames() {
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder);
  return readFrames(holder, (file) => file === self);
}
