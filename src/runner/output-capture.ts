/**
 * The handler's own stdout/stderr, kept for the report. Bounded: a handler that floods its
 * output must not exhaust the CLI's memory, so only the last `limitBytes` of each stream stay.
 */
export interface OutputCapture {
  append(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** stderr received so far (the inspector prints its URL there). */
  stderrText(): string;
  /** Drop the inspector's own lines from stderr: the tool opened it, the handler did not print them. */
  hideInspectorLines(): void;
  result(): { stdout: string; stderr: string; truncated: boolean };
}

/** What Node prints when the tool opens and closes the inspector on a blocked child. */
const INSPECTOR_LINE = /^(Debugger listening on ws:\/\/127\.0\.0\.1|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector|Debugger attached\.|Debugger ending on ws:\/\/127\.0\.0\.1|Waiting for the debugger to disconnect)/;

export function createOutputCapture(limitBytes = 64 * 1024): OutputCapture {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const sizes = { stdout: 0, stderr: 0 };
  let truncated = false;
  let hideInspector = false;
  return {
    stderrText: () => Buffer.concat(chunks.stderr).toString('utf8'),
    hideInspectorLines() {
      hideInspector = true;
    },
    append(stream, chunk) {
      chunks[stream].push(chunk);
      sizes[stream] += chunk.length;
      while (sizes[stream] > limitBytes && chunks[stream].length > 1) {
        sizes[stream] -= chunks[stream].shift()!.length;
        truncated = true;
      }
      if (sizes[stream] > limitBytes) {
        const only = chunks[stream][0]!;
        chunks[stream][0] = only.subarray(only.length - limitBytes);
        sizes[stream] = limitBytes;
        truncated = true;
      }
    },
    result() {
      let stderr = Buffer.concat(chunks.stderr).toString('utf8');
      if (hideInspector) stderr = stderr.split('\n').filter((line) => !INSPECTOR_LINE.test(line)).join('\n');
      return { stdout: Buffer.concat(chunks.stdout).toString('utf8'), stderr, truncated };
    },
  };
}
