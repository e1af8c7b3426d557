/**
 * The handler's own stdout/stderr, kept for the report. Bounded: a handler that floods its
 * output must not exhaust the CLI's memory, so only the last `limitBytes` of each stream stay.
 */
export interface OutputCapture {
  append(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  result(): { stdout: string; stderr: string; truncated: boolean };
}

export function createOutputCapture(limitBytes = 64 * 1024): OutputCapture {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const sizes = { stdout: 0, stderr: 0 };
  let truncated = false;
  return {
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
      return {
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
        truncated,
      };
    },
  };
}
