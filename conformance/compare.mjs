/**
 * Turns both sides of a case into one comparable line per step (init, then each invocation)
 * and compares them. A step reads like `response {"ok":true}`,
 * `stream application/octet-stream "hello world"` (a streamed response), `error TypeError`,
 * `timeout`, `runtime-exit Runtime exited with error: exit status 128` or
 * `init-error Runtime.HandlerNotFound`; with `messages`, error steps carry `: <errorMessage>`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Steps of the real client's run (from runUnderRuntimeApi). */
export function clientSteps(run, testCase) {
  const steps = [{ step: 'init', text: run.init.ok ? 'ok' : `init-error ${errorText(run.init.error, testCase)}` }];
  if (!run.init.ok) return steps;
  for (const invocation of run.invocations) {
    // After a streamed response, how long until the client asked for the next event (legacy: once the loop is empty).
    const nextWaitMs = invocation.streaming && typeof invocation.nextMs === 'number' ? invocation.nextMs - invocation.durationMs : undefined;
    steps.push({ step: `#${invocation.index}`, text: invocationText(invocation, testCase), durationMs: invocation.durationMs, nextWaitMs });
  }
  return steps;
}

/** Steps of the tool's JSON report (results[0]). */
export function toolSteps(result, testCase) {
  const steps = [{ step: 'init', text: result.init.ok ? 'ok' : `init-error ${errorText(result.init.error, testCase)}` }];
  if (!result.init.ok) return steps;
  for (const invocation of result.invocations) {
    // An invocation that ended on an empty loop has no moment of completion to split waiting from work.
    const waitedMs = invocation.completedBy === 'empty-event-loop' ? undefined : (invocation.waitedForLoopMs ?? 0);
    const nextWaitMs = invocation.responseContentType === undefined ? undefined : (invocation.waitedForLoopMs ?? 0);
    steps.push({ step: `#${invocation.index}`, text: invocationText(invocation, testCase), durationMs: invocation.durationMs, waitedMs, nextWaitMs });
  }
  return steps;
}

/**
 * When a result was posted, coarsely: a legacy callback that waits for the loop to drain
 * answers late with the same body, so the body alone cannot tell. Only a clear split counts
 * (one side under 150 ms, the other over 290 ms, and 250 ms apart: the shortest delay a
 * fixture holds a callback for is a 300 ms timer); anything between is load noise.
 */
const AT_ONCE_MS = 150;
const LATE_MS = 290;
/** And the two must be this far apart. */
const MIN_APART_MS = 250;

function timingClass(step) {
  if (typeof step?.durationMs !== 'number' || !/^(response|stream|error) /.test(step.text)) return null;
  return classOf(step.durationMs);
}

function classOf(ms) {
  if (ms < AT_ONCE_MS) return 'at once';
  return ms > LATE_MS ? 'late' : 'between';
}

/** The same clear split, for the wait between a streamed response and the next request. */
function nextWaitDiff(client, tool) {
  if (typeof client.nextWaitMs !== 'number' || typeof tool.nextWaitMs !== 'number') return null;
  const [x, y] = [classOf(client.nextWaitMs), classOf(tool.nextWaitMs)];
  if (x === 'between' || y === 'between' || x === y || Math.abs(client.nextWaitMs - tool.nextWaitMs) <= MIN_APART_MS) return null;
  return { step: `${client.step} next`, client: `asked for the next event ${x} (${Math.round(client.nextWaitMs)} ms)`, tool: `asked for the next event ${y} (${Math.round(tool.nextWaitMs)} ms)` };
}

/**
 * One invocation as a step. A streamed response (response streaming) reads
 * `stream <content-type> <body as a JSON string>`: the body is bytes, not a value, so it is
 * compared exactly (NULs of an HTTP integration prelude included). The client's record
 * (runtime-api-emulator.mjs) and the tool's invocation report use the same two fields for it:
 * `response` (the body string) and `responseContentType`; a record with `responseContentType`
 * is a streamed response, one without it a plain one.
 */
function invocationText(invocation, testCase) {
  switch (invocation.outcome) {
    case 'response':
      if (typeof invocation.responseContentType === 'string') return `stream ${invocation.responseContentType} ${streamedText(invocation)}`;
      return `response ${canonical(mask(invocation.response, testCase.mask))}`;
    case 'error':
      return `error ${errorText(invocation.error, testCase)}`;
    case 'timeout':
      return 'timeout';
    case 'runtime-exit':
      // The service's wording carries the exit status or the signal: that is the point here.
      return `runtime-exit ${invocation.error?.errorMessage ?? ''}`;
    default:
      return invocation.outcome;
  }
}

/** What the tool keeps of a streamed body (KEPT_BODY_BYTES in src/harness/response-stream.ts). */
const KEPT_BODY_BYTES = 1024 * 1024;

/**
 * A streamed body as a JSON string; one longer than the tool keeps as its first
 * KEPT_BODY_BYTES, shortened to their beginning and a digest, for either side.
 */
function streamedText(invocation) {
  const body = String(invocation.response ?? '');
  const bytes = Buffer.from(body, 'utf8');
  if (!invocation.responseTruncated && bytes.length <= KEPT_BODY_BYTES) return JSON.stringify(body);
  const kept = bytes.subarray(0, KEPT_BODY_BYTES);
  const digest = createHash('sha256').update(kept).digest('hex').slice(0, 16);
  return `${JSON.stringify(kept.subarray(0, 32).toString('utf8'))}… (first ${kept.length} bytes, sha256 ${digest})`;
}

function errorText(error, testCase) {
  if (!error) return 'null';
  if (error.errorType === 'Runtime.ExitError') return `${error.errorType}: ${error.errorMessage}`;
  return testCase.messages ? `${error.errorType}: ${firstLine(error.errorMessage)}` : String(error.errorType);
}

/** Messages of wrapped load errors carry a require stack with paths; the first line is the point. */
function firstLine(message) {
  return String(message ?? '').split('\n', 1)[0];
}

function mask(value, fields) {
  if (!fields?.length || value === null || typeof value !== 'object') return value;
  const copy = { ...value };
  for (const field of fields) if (field in copy) copy[field] = `<${typeof copy[field]}>`;
  return copy;
}

/** JSON with sorted keys: the same value prints the same whatever the insertion order. */
export function canonical(value) {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** For two responses that are objects: the top-level keys whose values differ, for the report. */
export function describeResponseDiff(clientText, toolText) {
  const parse = (text) => {
    if (!text?.startsWith('response {')) return null;
    try {
      return JSON.parse(text.slice('response '.length));
    } catch {
      return null;
    }
  };
  const a = parse(clientText);
  const b = parse(toolText);
  if (!a || !b) return null;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((key) => canonical(a[key]) !== canonical(b[key]))
    .map((key) => `${key}: client ${canonical(a[key]) ?? '(absent)'}, tool ${canonical(b[key]) ?? '(absent)'}`);
}

/**
 * The tool late where the client posted at once, though the tool held the response back
 * for the loop no longer than load noise: the handler's own work ran slower under
 * instrumentation (100,000 promises cost a few hundred ms on a slow machine), which says
 * nothing about when the runtime posts.
 */
function instrumentationOnly(client, tool) {
  return client.durationMs < tool.durationMs && tool.waitedMs !== undefined && tool.waitedMs < MIN_APART_MS;
}

/**
 * Step-by-step differences; a missing step on one side counts as a difference.
 * `clientWaitsForLoop`: the legacy clients wait for an empty loop (after a callback, or after
 * a streamed body before /next); 4.x never does, so a 4.x client that is late where the tool
 * was not is its own latency (seen: 300–400 ms now and then after an errored or an 8 MiB
 * streamed body), not a rule. A tool late where the client was not is checked on every line.
 * `compareTiming: false` (a case's `timing: false`) compares texts only.
 */
export function diffSteps(client, tool, { clientWaitsForLoop = true, compareTiming = true } = {}) {
  const diffs = [];
  const length = Math.max(client.length, tool.length);
  for (let i = 0; i < length; i++) {
    const a = client[i];
    const b = tool[i];
    if (a?.text !== b?.text) {
      diffs.push({ step: a?.step ?? b?.step, client: a?.text ?? '(none)', tool: b?.text ?? '(none)' });
      continue;
    }
    if (!compareTiming) continue;
    const [x, y] = [timingClass(a), timingClass(b)];
    const apartMs = Math.abs((a.durationMs ?? 0) - (b.durationMs ?? 0));
    const clientOnlyLatency = !clientWaitsForLoop && x === 'late';
    if (x && y && x !== 'between' && y !== 'between' && x !== y && apartMs > MIN_APART_MS && !instrumentationOnly(a, b) && !clientOnlyLatency) {
      diffs.push({ step: `${a.step} timing`, client: `posted ${x} (${Math.round(a.durationMs)} ms)`, tool: `posted ${y} (${Math.round(b.durationMs)} ms)` });
    }
    const nextDiff = nextWaitDiff(a, b);
    if (nextDiff && (clientWaitsForLoop || classOf(a.nextWaitMs) !== 'late')) diffs.push(nextDiff);
  }
  return diffs;
}

/** A difference of when something was posted or asked for, on steps whose texts agree. */
export function isTimingDiff(diff) {
  return / (timing|next)$/.test(diff.step);
}

/**
 * Reads the one table of known-differences.md: rows of
 * `| case | runtime | step | npm client | tool | occurs | reason |`, the first five cells in
 * backticks; `occurs` is `always` or `sometimes` (a race in the client).
 */
export function readKnownDifferences(file) {
  const rows = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim().replace(/\\\|/g, '|'));
    const code = (cell) => /^`(.*)`$/.exec(cell)?.[1] ?? cell;
    rows.push({ id: code(cells[0]), runtime: code(cells[1]), step: code(cells[2]), client: code(cells[3]), tool: code(cells[4]), occurs: cells[5], reason: cells[6] });
  }
  return rows;
}

/**
 * Splits a case's differences into explained (a row matches step and both texts) and
 * unexplained; an `always` row for this case that matched nothing is stale, which is a
 * failure too: the table must not outlive the difference it explains.
 */
export function explain(diffs, rows) {
  const used = new Set();
  const unexplained = [];
  for (const diff of diffs) {
    const row = rows.find((r) => r.step === diff.step && r.client === diff.client && r.tool === diff.tool);
    if (row) used.add(row);
    else unexplained.push(diff);
  }
  const stale = rows.filter((row) => !used.has(row) && row.occurs !== 'sometimes');
  return { explained: [...used], unexplained, stale };
}
