import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listDescendants, listStartedProcesses, parseStat, type ProcessEntry } from '../../src/runner/process-tree.js';
import { frameReport, parseReportLine } from '../../src/runner/protocol.js';

const entry = (pid: number, ppid: number, pgid = pid, sid = pgid): ProcessEntry => ({ pid, ppid, pgid, sid, startTime: String(pid * 10) });

describe('parseStat', () => {
  it('reads ppid, process group, session and start time after a command name with spaces and parentheses', () => {
    const stat = '4242 (node (worker) x) S 4200 4100 4000 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 7 0 987654 1000 10';
    expect(parseStat(stat)).toEqual({ pid: 4242, ppid: 4200, pgid: 4100, sid: 4000, startTime: '987654' });
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseStat('garbage')).toBeNull();
  });
});

describe('listDescendants', () => {
  it('walks children, grandchildren and detached children by parent pid, not the root or strangers', () => {
    const table = new Map([entry(1, 0), entry(10, 1), entry(11, 10, 10), entry(12, 11, 12, 12), entry(13, 12, 12, 12), entry(20, 1)].map((e) => [e.pid, e]));
    expect(listDescendants(10, table).map((e) => e.pid)).toEqual([11, 12, 13]);
  });
});

describe('listStartedProcesses', () => {
  it('adds reparented members of the harness session, never this process or its ancestors', () => {
    const self = process.pid;
    const table = new Map([entry(1, 0), entry(self, 1), entry(500, self, 500, 500), entry(501, 1, 501, 500), entry(502, 1)].map((e) => [e.pid, e]));
    expect(listStartedProcesses(500, null, table).map((e) => e.pid)).toEqual([501]);
  });

  it.runIf(process.platform === 'linux')('finds a live child of this process in /proc', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(listDescendants(process.pid).map((e) => e.pid)).toContain(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('report framing on fd 4', () => {
  const message = { type: 'snapshot-ack' } as const;

  it('reads our line back, also after junk written without a newline', () => {
    const line = frameReport('t0k3n', JSON.stringify(message)).trimEnd();
    expect(parseReportLine(line, 't0k3n')).toEqual(message);
    expect(parseReportLine(`junk{"type":"x"}${line}`, 't0k3n')).toEqual(message);
  });

  it('ignores junk, a well-formed message without the token, and one with another token', () => {
    expect(parseReportLine('junk', 't0k3n')).toBeNull();
    expect(parseReportLine(JSON.stringify(message), 't0k3n')).toBeNull();
    expect(parseReportLine(frameReport('other', JSON.stringify(message)).trimEnd(), 't0k3n')).toBeNull();
  });
});
