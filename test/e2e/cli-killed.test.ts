// SPEC.md "Guarantees": no process the tool started outlives it, even when the CLI itself is
// SIGKILLed (kill -9, the OOM killer, a CI runner's hard stop) while the handler spins in
// synchronous code or sits frozen between invocations, where it cannot notice anything.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { processesWith, survivorsOf, type LiveProcess } from '../helpers/processes.js';

const CLI = 'bin/lambda-hang-check.js';

async function waitFor<T>(what: string, probe: () => T | undefined, limitMs = 20_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Starts the CLI on a fixture, waits until `ready` holds for the marked processes, SIGKILLs
 * the CLI, and returns what is left after a bounded wait (the watchdog included).
 */
async function killCliWhen(args: string[], ready: (marked: LiveProcess[]) => boolean): Promise<LiveProcess[]> {
  const marker = `lhc-killed-${randomUUID()}`;
  // The marker reaches the handler's processes through --env, and the watchdog through the CLI's own environment.
  const cli = spawn(process.execPath, [CLI, ...args, '--env', `HOSTILE_MARKER=${marker}`, '--format', 'json'], { stdio: 'ignore', env: { ...process.env, CLI_MARKER: marker } });
  const exited = new Promise((resolve) => cli.on('exit', resolve));
  try {
    await waitFor('the handler to get going', () => (ready(processesWith(marker).filter((p) => p.pid !== cli.pid && !p.cmdline.startsWith('/bin/sh'))) ? true : undefined));
  } finally {
    cli.kill('SIGKILL');
    await exited;
  }
  const left = await survivorsOf(marker, 6000);
  // A failing case must not leave its processes to the next ones.
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  return left;
}

describe.skipIf(process.platform !== 'linux')('a SIGKILLed CLI leaves no process behind', () => {
  it('ends a handler spinning in synchronous code', async () => {
    let firstSeen = 0;
    const left = await killCliWhen(['fixtures/busy-loop.js', '--timeout', '60', '-n', '1', '--runtime', 'nodejs22.x'], (marked) => {
      // Init and the invoke take well under a second; then the thread spins until the kill.
      if (marked.length > 0 && firstSeen === 0) firstSeen = Date.now();
      return firstSeen > 0 && Date.now() - firstSeen > 1000;
    });
    expect(left).toEqual([]);
  });

  it('ends a frozen environment and the detached children it started', async () => {
    const left = await killCliWhen(['fixtures/hostile/detached-children.js', '--timeout', '5', '-n', '2', '--freeze', '60000', '--runtime', 'nodejs22.x'], (marked) => {
      // The harness, its plain child and its detached child (whose own child may not have
      // started yet), all stopped (state T) by the freeze.
      return marked.length >= 3 && marked.every((process) => process.state === 'T');
    });
    expect(left).toEqual([]);
  });

  it('leaves no watchdog behind after a normal run', async () => {
    const marker = `lhc-normal-${randomUUID()}`;
    const cli = spawn(process.execPath, [CLI, 'fixtures/async-clean.js', '-n', '1', '--format', 'json'], { stdio: 'ignore', env: { ...process.env, CLI_MARKER: marker } });
    const code = await new Promise((resolve) => cli.on('exit', resolve));
    expect(code).toBe(0);
    expect(await survivorsOf(marker)).toEqual([]);
  });
});
