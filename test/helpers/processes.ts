// What the tests know of running processes, from /proc (Linux): the guarantee under test is
// that no process a check started outlives it.
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LiveProcess {
  pid: number;
  /** The state letter of /proc/PID/stat: R, S, T (stopped) … zombies are left out. */
  state: string;
  cmdline: string;
}

/** Live processes whose command line or initial environment carries `text`. */
export function processesWith(text: string): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'latin1');
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
      if (state !== 'Z' && (cmdline.includes(text) || environ.includes(text))) found.push({ pid: Number(name), state, cmdline: cmdline.replace(/\0/g, ' ') });
    } catch {
      // Gone meanwhile, or another user's.
    }
  }
  return found;
}

/** What is still alive after a bounded wait for it to go (SIGKILL takes effect asynchronously). */
export async function survivorsOf(text: string, waitMs = 2000): Promise<LiveProcess[]> {
  let left = processesWith(text);
  for (const until = Date.now() + waitMs; left.length > 0 && Date.now() < until; left = processesWith(text)) await sleep(100);
  return left;
}
