import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesWith } from '../helpers/processes.js';
import { runCliAsync } from '../helpers/run-cli.js';

describe('what is reported as keeping the event loop alive', () => {
  it('reports nothing for unref\'d timers and servers, closed file handles and finished reads', async () => {
    const run = await runCliAsync(['--format', 'json', '--runtime', 'nodejs22.x', '--timeout', '2', '-n', '1', 'fixtures/callback-unrefed-resources.js']);
    expect(run.status).toBe(0);
    const [result] = run.json.results;
    expect(result.invocations[0].outcome).toBe('response');
    expect(result.invocations[0].completedBy).toBe('callback');
    expect(result.invocations[0].lingering).toEqual([]);
    expect(result.invocations[0].waitedForLoopMs).not.toBeNull();
    expect(result.invocations[0].waitedForLoopMs).toBeLessThan(result.invocations[0].durationMs);
    const codes = result.findings.map((finding: { code: string }) => finding.code);
    expect(codes).not.toContain('TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
    expect(codes).not.toContain('RESPONSE_DELAYED_BY_EVENT_LOOP');
  });

  it('says how long the response waited for the loop after the callback, and only when it waited', async () => {
    const legacy = await runCliAsync(['--format', 'json', '--runtime', 'nodejs22.x', '-n', '1', 'fixtures/callback-short-timer.js']);
    const [waited] = legacy.json.results[0].invocations;
    // The 400 ms timer was scheduled just before the callback.
    expect(waited.waitedForLoopMs).toBeGreaterThanOrEqual(390);
    expect(waited.durationMs).toBeGreaterThanOrEqual(waited.waitedForLoopMs);
    const asyncRun = await runCliAsync(['--format', 'json', '--runtime', 'nodejs22.x', '-n', '1', 'fixtures/async-clean.js']);
    expect(asyncRun.json.results[0].invocations[0].waitedForLoopMs).toBeNull();
  });

  it('names each open resource with its details and the line that created it, and none of its own', async () => {
    const run = await runCliAsync(['--format', 'json', '--runtime', 'nodejs22.x', '--timeout', '1', '-n', '1', 'fixtures/callback-mixed-resources.js']);
    expect(run.status).toBe(1);
    const [result] = run.json.results;
    const finding = result.findings.find((f: { code: string }) => f.code === 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP');
    expect(finding.invocation).toBe(1);
    const byKind = (kind: string) => finding.resources.filter((r: { kind: string }) => r.kind === kind);
    const file = 'fixtures/callback-mixed-resources.js';

    const [server] = byKind('server');
    expect(server.summary).toMatch(/^TCP server listening on 127\.0\.0\.1:\d+$/);
    expect(server.location).toMatchObject({ file, line: 7 });
    expect(server.createdIn).toBe('init');

    const sockets = byKind('socket');
    expect(sockets).toHaveLength(2);
    const client = sockets.find((s: { summary: string }) => s.summary.startsWith('TCP socket to'));
    expect(client.summary).toMatch(/^TCP socket to 127\.0\.0\.1:\d+$/);
    expect(client.location).toMatchObject({ file, line: 10 });
    expect(client.createdIn).toBe('invocation');
    expect(client.invocation).toBe(1);
    const accepted = sockets.find((s: { summary: string }) => s.summary.startsWith('TCP connection from'));
    expect(accepted.summary).toMatch(/accepted by the server on 127\.0\.0\.1:\d+$/);
    expect(accepted.location).toMatchObject({ file, line: 7 });

    const [child] = byKind('child-process');
    expect(child.summary).toMatch(/^child process pid \d+: .*-e setTimeout\(\(\) => \{\}, 60000\) lhc-mixed-resources-child$/);
    expect(child.location).toMatchObject({ file, line: 12 });

    const [interval] = byKind('interval');
    expect(interval.summary).toBe('setInterval every 250 ms → poll');
    expect(interval.location).toMatchObject({ file, line: 13 });

    // Nothing else: the tool's own pipes and timers never appear.
    expect(finding.resources).toHaveLength(5);
    expect(processesWith('lhc-mixed-resources-child')).toEqual([]);
  });
});

describe('tens of thousands of live resources', () => {
  // 20,000 timers from 20,000 distinct lines of one generated function: reading each creation
  // stack costs V8 about 0.5 ms there, so describing them all held the handler's thread past
  // the deadline and the check reported a blocked loop. A snapshot describes what it can in
  // a second and counts the rest, so the verdict is the one Lambda gives: the loop never empties.
  it('still reports an empty-loop timeout, with every timer counted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lhc-many-timers-'));
    try {
      const file = path.join(dir, 'many-timers.js');
      const lines = Array.from({ length: 20_000 }, () => '  setTimeout(() => {}, 600000);');
      writeFileSync(file, ['exports.handler = (event, context, callback) => {', ...lines, "  callback(null, 'ok');", '};', ''].join('\n'));
      const run = await runCliAsync(['--format', 'json', '--runtime', 'nodejs22.x', '--timeout', '3', '-n', '1', file], { timeoutMs: 60_000 });
      expect(run.status, run.stderr).toBe(1);
      const [result] = run.json.results;
      expect(result.findings.map((finding: any) => finding.code)).toEqual(['CALLBACK_HANDLER_DEPRECATED', 'TIMEOUT_WAITING_FOR_EMPTY_EVENT_LOOP']);
      const timeout = result.findings[1];
      expect(timeout.resources.reduce((sum: number, resource: any) => sum + (resource.count ?? 1), 0)).toBe(20_000);
      expect(timeout.resources.at(-1).summary).toMatch(/^\d+ more timers, not described one by one \(a snapshot describes what it can in 1000 ms\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
