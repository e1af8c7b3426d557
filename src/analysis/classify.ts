/**
 * Pure: what the runner observed → the target's report with sorted findings. No process
 * state, no I/O: every input is in the arguments.
 */
import { MAX_REPORT_MESSAGE_BYTES, type RawResource } from '../runner/protocol.js';
import type { InvocationRecord, ProcessErrorRecord, RunRecord } from '../runner/run-record.js';
import { RUNTIME_LIFECYCLE, RUNTIME_RULES, majorOf, supportedSuccessor } from '../runtime-rules.js';
import type { FailOn, Finding, FindingCode, InvocationReport, Resource, RuntimeId, Severity, SourceLocation, TargetReport } from '../types.js';
import { createSourceLines, locate, parseStackText, toResource, toStackFrames, type FrameContext } from './frames.js';
import { pendingAtFreeze, ranAfterThaw, resourceGrowth, type FindingDraft } from './freeze-thaw.js';
import { describeMissingHandler, type HandlerNaming } from './handler-not-found.js';
import * as hints from './hints.js';
import { round, toInvocationReport } from './invocation-report.js';
import { postedWord } from './kind-words.js';
import { createLibraryLens } from './library-findings.js';
import { getRule } from './rules.js';
import { sortFindings } from './sort-findings.js';
import { splitSuppressed } from './suppressions.js';

export interface TargetInfo {
  target: string;
  runtime: RuntimeId;
  timeoutMs: number;
  memoryMB: number;
  /** The day of the check (YYYY-MM-DD): whether the runtime is deprecated depends on it. */
  today: string;
  /** The Node that ran the handler, and whether its major is the runtime's. */
  node?: { version: string; matches: boolean };
  /** How the handler was named, to suggest another export when it is not found. */
  naming?: HandlerNaming;
}

export function classify(run: RunRecord, info: TargetInfo, ctx: FrameContext, failOn: FailOn, ignore: ReadonlySet<FindingCode> = new Set()): TargetReport {
  const rules = RUNTIME_RULES[info.runtime];
  /** The function timeout, as findings quote it. */
  const seconds = (info.timeoutMs / 1000).toFixed(2);
  const findings: Finding[] = [];
  // The user's source, read once for the library lens and for suppression comments alike.
  const sourceLines = createSourceLines(ctx);
  const lens = createLibraryLens(ctx, sourceLines);
  const resources = (raw: RawResource[]): Resource[] => raw.filter((r) => r.origin >= 0 || r.asyncId === -1).map((r) => toResource(r, ctx));
  const errorLocation = (trace: string[] | undefined): SourceLocation | null => locate(toStackFrames(parseStackText(trace), ctx)).location;
  const add = (code: FindingCode, invocation: number | null, message: string, hint: string, found: Resource[] = [], location?: SourceLocation | null, severity?: Severity): void => {
    const derived = location !== undefined ? location : (found.find((r) => r.location)?.location ?? null);
    // A recognised library (pg, ioredis, the AWS SDK …) gets named, with its own fix.
    const text = lens.explain(code, { message, hint, location: derived }, found);
    findings.push({
      code,
      severity: severity ?? (code === 'CALLBACK_HANDLER_DEPRECATED' && !rules.callbacks ? 'error' : getRule(code).severity),
      invocation,
      message: text.message,
      location: text.location,
      resources: lens.annotate(found),
      hint: text.hint,
    });
  };

  if (!run.init.ok && run.init.error) {
    const error = run.init.error;
    if (run.init.timedOut) {
      const stuck = locate(toStackFrames(run.init.blockedFrames ?? [], ctx)).location;
      const where = stuck ? `; the thread was stuck at ${stuck.file}:${stuck.line}` : '';
      add('INIT_TIMEOUT', null, `Init did not finish within 10 s${where}.`, getRule('INIT_TIMEOUT').fix, [], stuck);
    }
    else {
      // No error trace when the process itself ended: then the process.exit() call, if any, is the place.
      const location = errorLocation(error.trace) ?? locate(toStackFrames(run.init.exitFrames ?? [], ctx)).location;
      const missing = error.errorType === 'Runtime.HandlerNotFound' ? describeMissingHandler(run.init.exports, info.naming) : null;
      const message = run.init.reportOverflowBytes !== undefined
        ? reportOverflowMessage(run.init.reportOverflowBytes)
        : run.init.channelLost
        ? CHANNEL_LOST_MESSAGE
        : `Init failed with ${error.errorType}: ${firstLine(error.errorMessage)}${missing ? `. ${missing.exported}` : ''}`;
      add('INIT_ERROR', null, message, missing?.hint ?? getRule('INIT_ERROR').fix, [], location);
    }
    if (error.errorType === 'Runtime.CallbackHandlerDeprecated') {
      add('CALLBACK_HANDLER_DEPRECATED', null, `The handler declares ${'3 or more'} parameters, so ${info.runtime} rejects it at init.`, hints.hintForCallbackHandler(true), [], null);
    }
  }
  // Where the handler is defined: the place for findings about the handler itself.
  const handlerLocation = run.shape?.definedAt ? locate(toStackFrames([run.shape.definedAt], ctx)).location : null;
  if (info.node && !info.node.matches) {
    const major = majorOf(info.runtime);
    add('NODE_VERSION_MISMATCH', null, `${info.runtime} runs on Node ${major} on Lambda, but no Node ${major} was found here: Node ${info.node.version} ran the handler, so what differs between the majors (fetch and undici, require of ES modules, V8) may not be what Lambda does.`, `Run \`npx lambda-hang-check install-runtime ${info.runtime}\` once (it caches a Node ${major}), or give one with --node <path> or LHC_NODE_${major}=<path>.`, [], null);
  }
  const lifecycle = RUNTIME_LIFECYCLE[info.runtime];
  if (lifecycle.deprecated <= info.today) {
    const blocked = lifecycle.blockUpdate <= info.today ? 'no function can be created or updated on it' : lifecycle.blockCreate <= info.today ? `no function can be created on it, and updates stop on ${lifecycle.blockUpdate}` : `new functions stop on ${lifecycle.blockCreate}, updates on ${lifecycle.blockUpdate}`;
    const successor = supportedSuccessor(info.today);
    add('RUNTIME_DEPRECATED', null, `${info.runtime} has been deprecated since ${lifecycle.deprecated}: AWS no longer patches it, and ${blocked}; existing functions still run.`, `Move to ${successor} and check the function under it (--runtime ${successor}): its runtime client's rules differ (see the README's runtime lines).`, [], null);
  }
  if (run.shape && rules.callbacks && run.shape.arity >= 3 && !run.shape.isStreaming) {
    add('CALLBACK_HANDLER_DEPRECATED', null, `The handler declares ${run.shape.arity} parameters: a callback handler, which nodejs24.x rejects at init.`, hints.hintForCallbackHandler(false), [], handlerLocation);
  }
  /**
   * Semantics 2.1: a plain (not async) callback handler that settled nothing — no callback,
   * no done/succeed/fail, no thenable — is answered with null when the loop drains. An async
   * one gets Runtime.NodeJsExit and a pending thenable is PROMISE_NEVER_SETTLED (classifyInvocation checks those first);
   * a handler with fewer than 3 parameters has no callback to forget.
   */
  const isCallbackNeverCalled = (record: InvocationRecord): boolean =>
    rules.callbacks &&
    run.shape !== null &&
    // A callback declared after a default (`(event, context = {}, callback)`) is one too: the
    // legacy runtime passes it, and the handler's author meant to call it.
    Math.max(run.shape.arity, run.shape.declaredParameters ?? 0) >= 3 &&
    !run.shape.isAsync &&
    !run.shape.isStreaming &&
    record.completedBy === 'empty-event-loop' &&
    record.outcome === 'response' &&
    !record.drainedWithPromisePending;

  const killedBy = new Map<number, ProcessErrorRecord>();
  for (const error of run.processErrors) {
    const code = error.kind === 'unhandledRejection' ? 'UNHANDLED_REJECTION' : 'UNCAUGHT_EXCEPTION';
    const what = error.kind === 'unhandledRejection' ? 'Unhandled promise rejection' : 'Uncaught exception';
    const scheduledBy = error.origin > 0 ? error.origin : null;
    const initWork = scheduledBy === null ? ' (in work created at Init)' : '';
    const victim = findVictim(run.invocations, error);
    if (victim) killedBy.set(victim.index, error);
    let when = 'during Init';
    let consequence = '';
    if (error.afterResponse) {
      const answeredBy = scheduledBy ?? error.during;
      const posted = postedWord(run.invocations.find((record) => record.index === answeredBy)?.outcome ?? 'response');
      when = `after the ${posted} of invocation ${answeredBy}${initWork}`;
      consequence = ` It ended the runtime process, and ${victim ? `invocation ${victim.index} failed` : 'the next request runs Init again'}.`;
    } else if (victim) {
      when = `during invocation ${victim.index}${initWork}`;
    }
    const invocation = scheduledBy ?? victim?.index ?? (error.afterResponse ? error.during : null);
    // Thrown from inside Node or a library (a refused connection's 'error'): the trace has no
    // frame of the user's, the resource it came from says where.
    const from = resources(error.resource ? [error.resource] : []);
    const unheard = error.unhandledErrorEvent ? ", as an 'error' event nothing listened to" : '';
    const source = from[0] ? ` It was thrown in a callback of a ${from[0].kind} (${from[0].summary})${unheard}.` : '';
    const location = errorLocation(error.error.trace) ?? from[0]?.location ?? null;
    const thrown = `${error.error.errorType}: ${firstLine(error.error.errorMessage)}`;
    const more = `${source}${consequence}`;
    const message = `${what} ${when}: ${more ? `${thrown.replace(/[.!?]?$/, '.')}${more}` : thrown}`;
    add(code, invocation, message, hints.hintForProcessError(error.kind, error.afterResponse && scheduledBy !== null, error.unhandledErrorEvent === true), from, location);
  }

  const invocations: InvocationReport[] = run.invocations.map((record) => {
    classifyInvocation(record);
    return toInvocationReport(record, (raw) => lens.annotate(resources(raw)));
  });
  const addDraft = (draft: FindingDraft | null): void => {
    if (draft) add(draft.code, draft.invocation, draft.message, draft.hint, draft.resources);
  };
  // Connections a library keeps on purpose are not pending work: they get their own finding.
  const withoutUpkeep = (raw: RawResource[]): Resource[] => lens.withoutConnectionUpkeep(resources(raw));
  run.invocations.forEach((record) => addDraft(pendingAtFreeze(record, withoutUpkeep)));
  for (const draft of lens.idleConnections(run.invocations, resources)) {
    add(draft.code, draft.invocation, draft.message, draft.hint, draft.resources, draft.location, draft.severity);
  }
  ranAfterThaw(run.invocations, run.executions, withoutUpkeep).filter((draft) => draft.resources.length > 0).forEach(addDraft);
  resourceGrowth(run.invocations, resources).forEach(addDraft);

  function classifyInvocation(record: InvocationRecord): void {
    const index = record.index;
    const hadProcessError = killedBy.has(index);
    if (record.completedBy === 'init-error') {
      // The first Init's failure is INIT_ERROR above; a fresh environment's Init failing (after a timeout or an exit) is news.
      if (run.init.ok && record.error) {
        add('INIT_ERROR', index, `Init of a fresh environment failed for invocation ${index} with ${record.error.errorType}: ${firstLine(record.error.errorMessage)}`, getRule('INIT_ERROR').fix, [], errorLocation(record.error.trace));
      }
      return;
    }
    if (record.outcome === 'timeout') {
      const found = resources(record.deadline?.resources ?? []);
      switch (record.deadline?.state) {
        case 'waiting-for-empty-loop':
          add('TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', index, `callback(null, …) was called, but ${describeCount(found)} kept the event loop alive until the ${seconds} s timeout.`, hints.hintForEmptyLoopTimeout(found), found);
          break;
        case 'stream-not-ended': {
          const declared = locate(toStackFrames(run.shape?.streamingFrames ?? [], ctx)).location;
          const where = declared ? ` (the handler wrapped by awslambda.streamifyResponse at ${declared.file}:${declared.line})` : '';
          add('STREAM_NOT_ENDED', index, `The streaming handler${where} resolved, but its response stream was never ended: the runtime waited for the end of the body until the ${seconds} s timeout.`, getRule('STREAM_NOT_ENDED').fix, found, declared);
          break;
        }
        case 'unresponsive': {
          const stuck = locate(toStackFrames(record.deadline.blockedFrames, ctx)).location;
          const where = stuck ? ` at ${stuck.file}:${stuck.line}` : ' (the stack could not be read)';
          add('TIMEOUT_EVENT_LOOP_BLOCKED', index, `Synchronous code held the thread${where} when the ${seconds} s timeout expired.`, getRule('TIMEOUT_EVENT_LOOP_BLOCKED').fix, found, stuck);
          break;
        }
        default:
          add('TIMEOUT_HANDLER_PENDING', index, `The handler had not completed when the ${seconds} s timeout expired; ${describeCount(found)} ${describeCount(found).startsWith('a ') ? 'was' : 'were'} still pending.`, hints.hintForPendingHandler(found), found);
      }
      return;
    }
    if (record.drainedWithPromisePending || record.error?.errorType === 'Runtime.NodeJsExit') {
      const outcome = rules.legacy
        ? record.error?.errorType === 'Runtime.NodeJsExit' ? 'the runtime reported Runtime.NodeJsExit' : 'the runtime posted null'
        : 'the runtime process exited (Runtime.ExitError)';
      add('PROMISE_NEVER_SETTLED', index, `The handler's promise never settled and nothing else kept the process alive: ${outcome}.`, hints.hintForNeverSettled(rules.legacy), [], null);
      return;
    }
    if (record.outcome === 'runtime-exit' && isOutOfMemory(record, run.output.stderr)) {
      add('OUT_OF_MEMORY', index, `The handler ran out of memory during invocation ${index}: the V8 heap limit for ${info.memoryMB} MB was exceeded and the runtime process aborted.`, getRule('OUT_OF_MEMORY').fix, [], null);
      return;
    }
    if (record.outcome === 'runtime-exit' && !hadProcessError) {
      const exitLocation = locate(toStackFrames(record.exitFrames, ctx)).location;
      const how = record.signal ? `was killed by ${record.signal}` : `exited with code ${record.exitCode}`;
      const message = record.reportOverflowBytes !== undefined
        ? `${reportOverflowMessage(record.reportOverflowBytes)} (invocation ${index})`
        : record.channelLost ? `${CHANNEL_LOST_MESSAGE} (invocation ${index})` : `The runtime process ${how} during invocation ${index}: Lambda reports ${record.error?.errorType ?? 'Runtime.ExitError'}.`;
      const hint = record.reportOverflowBytes !== undefined ? REPORT_OVERFLOW_HINT : hints.hintForRuntimeExit(record.exitFrames.length > 0, record.signal);
      add('RUNTIME_EXIT', index, message, hint, [], exitLocation);
      return;
    }
    if (record.outcome === 'response' && record.deadline) {
      // Legacy streaming: the body went out whole, but the next event waits for an empty loop.
      const found = resources(record.deadline.resources);
      add('TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP', index, `The response stream ended, but the runtime takes the next request only once the event loop is empty, and ${describeCount(found)} kept it alive until the ${seconds} s timeout: Lambda reports the invocation as timed out and resets the environment.`, hints.hintForEmptyLoopTimeout(found, true), found);
    }
    if (record.heldBy.length > 0 && record.waitedForLoopMs !== null) {
      const found = resources(record.heldBy);
      add('RESPONSE_DELAYED_BY_EVENT_LOOP', index, `The response was held back ${Math.round(record.waitedForLoopMs)} ms after callback(null, …) until ${describeCount(found)} finished.`, hints.hintForDelayedResponse(found), found);
    }
    if (record.ignoredReturn) {
      add('RETURN_VALUE_IGNORED', index, 'The handler is not async and returned a plain value: the legacy runtime ignored it and posted null.', hints.hintForIgnoredReturn(), [], handlerLocation);
    }
    if (isCallbackNeverCalled(record)) {
      add('CALLBACK_NEVER_CALLED', index, `The handler declares a callback but returned without calling it (or context.done/succeed/fail) and without a promise: once the event loop was empty, the legacy runtime posted null as the response (API Gateway answers 502).`, hints.hintForCallbackNeverCalled(), [], handlerLocation);
    }
    if (record.tooLarge) {
      const { bytes, limitBytes, streaming, handlerAt } = record.tooLarge;
      const at = handlerAt ? locate(toStackFrames([handlerAt], ctx)).location : handlerLocation;
      const what = streaming ? 'streamed response' : 'response';
      add('RESPONSE_TOO_LARGE', index, `The ${what} was ${bytes} bytes, over Lambda's limit of ${limitBytes} bytes: the invocation fails with Function.ResponseSizeTooLarge${streaming ? '' : ' (the runtime\'s POST is answered 413)'}.`, hints.hintForResponseTooLarge(streaming), [], at);
      return;
    }
    if (record.outcome === 'error' && record.error && !hadProcessError) {
      add('HANDLER_ERROR', index, `The invocation returned ${record.error.errorType}: ${firstLine(record.error.errorMessage)}`, 'None needed if the error is intended.', [], errorLocation(record.error.trace));
    }
  }

  const { active, suppressed } = splitSuppressed(sortFindings(findings), { ignore, lines: sourceLines });
  return {
    target: info.target,
    runtime: info.runtime,
    timeoutMs: info.timeoutMs,
    memoryMB: info.memoryMB,
    verdict: active.some((finding) => reaches(finding.severity, failOn)) ? 'fail' : 'pass',
    ...(info.node ? { node: { version: info.node.version } } : {}),
    init: { ok: run.init.ok, durationMs: round(run.init.durationMs), error: run.init.error },
    invocations,
    findings: active,
    ...(suppressed.length > 0 ? { suppressed } : {}),
    output: run.output,
    timeline: run.timeline,
  };
}

/**
 * The invocation a process error ended: the one open when it struck, or, for work left over
 * from an earlier response, the next one (the error fires at its thaw). The legacy client
 * posts the error for the open invocation before exiting; 4.x just crashes.
 */
/** The invocation the error ended: in its own environment, the open one or the next handed out. */
function findVictim(invocations: InvocationRecord[], error: ProcessErrorRecord): InvocationRecord | undefined {
  return invocations.find(
    (record) =>
      record.environment === error.environment &&
      record.index >= Math.max(error.during, 1) &&
      (record.outcome === 'runtime-exit' || record.completedBy === 'process-error'),
  );
}

/** V8 aborts (SIGABRT, or 134 through a shell) and says so on stderr when the heap is full. */
function isOutOfMemory(record: InvocationRecord, stderr: string): boolean {
  const aborted = record.signal === 'SIGABRT' || record.exitCode === 134;
  return aborted && /JavaScript heap out of memory|Allocation failed/.test(stderr);
}

export function reaches(severity: Finding['severity'], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'warning') return severity !== 'info';
  return severity === 'error';
}

function describeCount(resources: Resource[]): string {
  // A grouped resource stands for `count` alike ones.
  const total = resources.reduce((sum, resource) => sum + (resource.count ?? 1), 0);
  if (total === 0) return 'pending work';
  if (total === 1) return `a ref'd ${resources[0]!.kind === 'other' ? 'resource' : resources[0]!.kind}`;
  return `${total} ref'd resources`;
}

/** When the harness ended itself because the handler closed or replaced its pipes (runner/protocol.ts). */
const CHANNEL_LOST_MESSAGE =
  'The handler closed or replaced file descriptor 3 or 4, which lambda-hang-check uses to drive and observe it; the check ended the process there, and what would have followed is unknown. On Lambda those descriptors belong to the runtime: close only what you opened';

const REPORT_OVERFLOW_HINT = 'Write nothing to file descriptors 3 and 4: on Lambda they belong to the runtime, here to the check.';

/** When the parent ended the process over a line on fd 4 longer than it reads (runner/line-framing.ts). */
function reportOverflowMessage(bytes: number): string {
  return `A message on file descriptor 4, which lambda-hang-check reads its harness's reports from, passed ${MAX_REPORT_MESSAGE_BYTES} bytes (${bytes} seen) without ending; the check ended the process there, and what would have followed is unknown. Only the tool writes there: if the handler does not, please report it`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
