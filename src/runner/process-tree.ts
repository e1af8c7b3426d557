/**
 * Every process a harness started, found in /proc (Linux only; elsewhere the lists are empty
 * and the caller falls back to signalling the harness's process group). Three nets, because
 * each misses something the others catch (docs/node-internals.md, "Finding every process"):
 * - descendants by parent pid, walked while the harness is alive: once it dies, its
 *   children are reparented to init (or a subreaper) and the link is gone;
 * - the harness's session: the harness is a session leader (spawned detached), so anything
 *   that moved to another process group but not to another session is still in it;
 * - a marker in the environment (`LHC_RUN_ID`), which every process inherits unless it is
 *   given an explicit environment: this catches double-forked daemons (setsid, then an
 *   intermediate parent that exits), which neither the tree nor the session holds any more.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Clock ticks since boot: with the pid, tells a process from a later one reusing the pid. */
  startTime: string;
}

/** The environment variable whose value marks every process of one check. */
export const RUN_ID_VARIABLE = 'LHC_RUN_ID';

/** All processes visible in /proc, or an empty map where there is no /proc. */
export function readProcessTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readStat(Number(name));
    if (entry) table.set(entry.pid, entry);
  }
  return table;
}

/** Parses /proc/PID/stat. The command name (field 2) may hold spaces and parentheses. */
export function parseStat(text: string): ProcessEntry | null {
  const close = text.lastIndexOf(')');
  if (close === -1) return null;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // After the name: state(3) ppid(4) pgrp(5) session(6) … starttime(22).
  const fields = text.slice(close + 2).split(' ');
  const [ppid, pgid, sid] = [fields[1], fields[2], fields[3]].map(Number);
  const startTime = fields[19];
  if (!Number.isInteger(pid) || ppid === undefined || pgid === undefined || sid === undefined || !startTime) return null;
  return { pid, ppid, pgid, sid, startTime };
}

function readStat(pid: number): ProcessEntry | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // Gone meanwhile, or not ours to read.
    return null;
  }
}

/** Descendants of `rootPid` (not the root itself), parents before children. */
export function listDescendants(rootPid: number, table = readProcessTable()): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of table.values()) {
    const siblings = children.get(entry.ppid);
    if (siblings) siblings.push(entry);
    else children.set(entry.ppid, [entry]);
  }
  const found: ProcessEntry[] = [];
  const queue = [rootPid];
  const seen = new Set<number>(queue);
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/**
 * What a harness started, by all three nets: its descendants, the members of its session,
 * and the processes carrying its run id. Never the caller itself or its ancestors.
 */
export function listStartedProcesses(harnessPid: number, runId: string | null, table = readProcessTable()): ProcessEntry[] {
  const spared = ancestorsOfSelf(table);
  const found = new Map<number, ProcessEntry>();
  for (const entry of listDescendants(harnessPid, table)) found.set(entry.pid, entry);
  for (const entry of table.values()) {
    if (entry.pid === harnessPid || found.has(entry.pid)) continue;
    if (entry.sid === harnessPid || (runId && hasRunId(entry.pid, runId))) found.set(entry.pid, entry);
  }
  return [...found.values()].filter((entry) => !spared.has(entry.pid));
}

/** Whether the process's initial environment holds LHC_RUN_ID=runId (other users' are unreadable). */
function hasRunId(pid: number, runId: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${RUN_ID_VARIABLE}=${runId}`);
  } catch {
    return false;
  }
}

/** This process and its ancestors up to init: never to be signalled, whatever their environment. */
function ancestorsOfSelf(table: Map<number, ProcessEntry>): Set<number> {
  const spared = new Set<number>([0, 1]);
  for (let pid = process.pid; pid > 1 && !spared.has(pid); pid = table.get(pid)?.ppid ?? 0) spared.add(pid);
  return spared;
}

/**
 * Stops, then kills, a harness's group and everything it started. The walk happens while
 * the harness is alive (stopped, so it cannot fork meanwhile): after its death its children
 * are reparented and no longer found by parent pid. A process that forks between the walk
 * and its SIGSTOP is found by the next round; SIGKILL ends stopped processes as well.
 */
export function killStartedProcesses(harnessPid: number, runId: string | null): void {
  signalProcess(-harnessPid, 'SIGSTOP');
  const victims = new Map<number, ProcessEntry>();
  let table = readProcessTable();
  for (let round = 0; round < 4; round++) {
    const fresh = listStartedProcesses(harnessPid, runId, table).filter((entry) => !victims.has(entry.pid));
    if (fresh.length === 0) break;
    for (const entry of fresh) {
      victims.set(entry.pid, entry);
      signalProcess(entry.pid, 'SIGSTOP');
    }
    table = readProcessTable();
  }
  const spared = ownProcessGroups(table);
  for (const entry of victims.values()) {
    signalProcess(entry.pid, 'SIGKILL');
    // Its own group too (a detached child's children), never the CLI's.
    if (entry.pgid !== harnessPid && !spared.has(entry.pgid)) signalProcess(-entry.pgid, 'SIGKILL');
  }
  signalProcess(-harnessPid, 'SIGKILL');
}

/** process.kill that ignores processes already gone and refuses init, every-process and itself. */
export function signalProcess(target: number, signal: NodeJS.Signals): void {
  if (!Number.isInteger(target) || Math.abs(target) <= 1 || target === process.pid) return;
  try {
    process.kill(target, signal);
  } catch {
    // Already gone.
  }
}

/** Process groups of this process and its ancestors: nothing the handler did may signal them. */
function ownProcessGroups(table: Map<number, ProcessEntry>): Set<number> {
  const groups = new Set<number>();
  const seen = new Set<number>();
  for (let entry = table.get(process.pid); entry && !seen.has(entry.pid); entry = table.get(entry.ppid)) {
    seen.add(entry.pid);
    groups.add(entry.pgid);
  }
  return groups;
}
