// Hostile inputs and surroundings of the CLI itself (issue "hostile handlers, round 2"): a reader
// that goes away, inputs that are not regular files, values that carry escapes or workflow
// commands, numbers in forms Number() accepts but a person would not write.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.js';

const bin = path.join(repoRoot, 'bin', 'lambda-hang-check.js');

/** Runs the CLI with its stdout closed by the reader at once, as `| head -c0` would. */
function runWithClosedStdout(args: string[], timeoutMs: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      resolve({ status, signal, stderr });
    });
  });
}

describe('a reader that goes away (| head -1)', () => {
  it.concurrent.each([
    ['a passing run', 'fixtures/async-clean.js', 0],
    ['a failing run', 'fixtures/async-never-settles.js', 1],
  ] as const)('%s keeps its verdict exit code, without a stack', async (_title, fixture, status) => {
    const run = await runWithClosedStdout([fixture, '--runtime', 'nodejs22.x', '--timeout', '1', '--invocations', '1', '--format', 'json'], 30_000);
    expect(run.signal).toBeNull();
    expect(run.status, run.stderr).toBe(status);
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
