import { describe, expect, it } from 'vitest';
// The built package, as a user's test suite would import it.
import { check } from '../../dist/index.js';

describe('the programmatic API', () => {
  it('returns the JSON report object without printing anything', async () => {
    const writes: string[] = [];
    const originalWrite = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let report;
    try {
      report = await check({ targets: ['fixtures/callback-interval.js'], runtime: 'nodejs22.x', timeout: 1, invocations: 1 });
    } finally {
      process.stdout.write = originalWrite;
    }
    expect(writes).toEqual([]);
    expect(report.schemaVersion).toBe(1);
    const [result] = report.results;
    expect(result!.verdict).toBe('fail');
    const finding = result!.findings.find((f) => f.code === 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
    expect(finding?.resources[0]?.location).toMatchObject({ file: 'fixtures/callback-interval.js', line: 4 });
    expect(finding?.resources[0]?.createdIn).toBe('init');
  });

  it('rejects a usage error with code LHC_USAGE', async () => {
    await expect(check({ targets: ['fixtures/does-not-exist.js'] })).rejects.toMatchObject({ code: 'LHC_USAGE' });
    await expect(check({ targets: ['fixtures/async-clean.js'], timeout: 0 })).rejects.toMatchObject({ code: 'LHC_USAGE' });
  });
});
