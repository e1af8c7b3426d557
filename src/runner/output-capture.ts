/**
 * The handler's own stdout/stderr, kept for the report. Bounded: a handler that floods its
 * output must not exhaust the CLI's memory, so only the last `limitBytes` of each stream stay.
 */
import { StringDecoder } from 'node:string_decoder';
import { findInspectorUrl } from './inspector/capture-blocked-stack.js';

export interface OutputCapture {
  append(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /**
   * Every `ws://` URL the inspector announced on stderr, in order. Scanned as the output
   * arrives: after a flood the announcement may already be gone from the bounded text.
   */
  inspectorUrls(): readonly string[];
  /** Drop the inspector's own lines from stderr: the tool opened it, the handler did not print them. */
  hideInspectorLines(): void;
  result(): { stdout: string; stderr: string; truncated: boolean };
}

/** What Node prints when the tool opens and closes the inspector on a blocked child. */
const INSPECTOR_LINE = /^(Debugger listening on ws:\/\/127\.0\.0\.1|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector|Debugger attached\.|Debugger ending on ws:\/\/127\.0\.0\.1|Waiting for the debugger to disconnect)/;

/** Longest partial stderr line kept while scanning for the inspector's announcement. */
const MAX_PARTIAL_LINE = 4096;

export function createOutputCapture(limitBytes = 64 * 1024): OutputCapture {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const sizes = { stdout: 0, stderr: 0 };
  let truncated = false;
  let hideInspector = false;
  const urls: string[] = [];
  const decoder = new StringDecoder('utf8');
  let partialLine = '';
  const scanStderr = (chunk: Buffer): void => {
    const lines = (partialLine + decoder.write(chunk)).split('\n');
    partialLine = lines.pop()!.slice(-MAX_PARTIAL_LINE);
    for (const line of lines) {
      const url = line.startsWith('Debugger listening on ') ? findInspectorUrl(line) : null;
      if (url) urls.push(url);
    }
  };
  return {
    inspectorUrls: () => urls,
    hideInspectorLines() {
      hideInspector = true;
    },
    append(stream, chunk) {
      if (stream === 'stderr') scanStderr(chunk);
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
