// Hostile inputs and surroundings of the CLI itself (issue "hostile handlers, round 2"): a reader
// that goes away, inputs that are not regular files, values that carry escapes or workflow
// commands, numbers in forms Number() accepts but a person would not write.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCliAsync } from '../helpers/run-cli.js';

const H = 'fixtures/hostile';

const bin = path.join(repoRoot, 'bin', 'lambda-hang-check.js');

/** Runs the CLI with its stdout closed by the reader at once, as `| head -c0` would. */
function runWithClosedStdout(args: string[], timeoutMs: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  return collect(child, timeoutMs);
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

/** A line GitHub Actions would run as a workflow command (src/reporters/sanitize.ts). */
function workflowCommandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes('##['));
}

describe('handler text under GitHub Actions: nothing reaches the job log as a workflow command', () => {
  it.concurrent.each(['junit', 'text', 'json'])('--format %s on stdout', async (format) => {
    const run = await runCliAsync([`${H}/workflow-commands.js`, '--runtime', 'nodejs22.x', '--timeout', '2', '--invocations', '1', '--format', format], { timeoutMs: 30_000, env: { GITHUB_ACTIONS: 'true' } });
    expect(run.status, run.stderr).toBe(0);
    expect(workflowCommandLines(run.stdout)).toEqual([]);
    // The annotations on stderr are the tool's own commands, one per finding, and nothing else.
    expect(workflowCommandLines(run.stderr).map((line) => line.slice(0, line.indexOf(' ')))).toEqual(['::notice']);
    if (format === 'junit') {
      // Defused with character references: an XML reader still gets the handler's exact text.
      const xml = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(run.stdout);
      expect(xml.testsuites.testsuite['system-out']).toContain('::add-mask::secret\n  ::error title=forged::forged annotation\ntext ##[stop-commands]token');
    }
    if (format === 'json') expect(JSON.parse(run.stdout).results[0].output.stdout).toContain('text ##[stop-commands]token');
  });
});

describe('usage errors quote values raw nowhere', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhc-hostile-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const EVIL = '\n::error title=x::forged\n  ::add-mask::abc\u001b]52;c;Zm9v\u0007\u001b[2J ##[stop-commands]tok';

  const template = (properties: string): string => {
    const file = path.join(dir, `${randomUUID()}.yaml`);
    writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: nodejs22.x\n${properties}`);
    return file;
  };

  it.concurrent.each([
    ['a template CodeUri', () => ['--template', template(`      CodeUri: ${JSON.stringify(`nope${EVIL}`)}\n`)], /Fn\.CodeUri 'nope\\n\\x3a:error title=x::forged\\n {2}\\x3a:add-mask::abc\\x1b\]52;c;Zm9v\\x07\\x1b\[2J \\x23#\[stop-commands\]tok' is not a directory/],
    ['a template Timeout', () => ['--template', template(`      CodeUri: .\n      Timeout: ${JSON.stringify(`5${EVIL}`)}\n`)], /Fn\.Timeout must be a whole number/],
    ['an unknown flag', () => [`--x${EVIL}`], /unknown option '--x\\n/],
    ['an event file name', () => ['fixtures/async-clean.js', '--event', path.join(dir, `missing${EVIL}.json`)], /cannot read event file/],
  ] as const)('%s', async (_title, args, message) => {
    const run = await runCliAsync(args(), { timeoutMs: 15_000 });
    expect(run.status, run.stderr).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines, 'one line').toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(workflowCommandLines(run.stderr)).toEqual([]);
  });
});

describe('inputs that are not regular files, or too large: a one-line usage error, at once', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhc-hostile-inputs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = path.join(dir, 'fifo');
  const huge = path.join(dir, 'huge.json');
  if (process.platform === 'linux') execFileSync('mkfifo', [fifo]);
  // Sparse: 64 MB that take no disk.
  writeFileSync(huge, '');
  truncateSync(huge, 64 * 1024 * 1024);

  it.runIf(process.platform === 'linux').concurrent.each([
    ['--event', '/dev/zero', /cannot read event file '\/dev\/zero': not a regular file \(a character device\)/],
    ['--event', fifo, /cannot read event file '.*fifo': not a regular file \(a FIFO\)/],
    // Refused by its size before it is read, with Lambda's reason (payload-limits.test.ts).
    ['--event', huge, /event file '.*huge\.json' is \d+ bytes, over the 6291456 bytes \(6 MB\) Lambda accepts for a synchronous invocation/],
    ['--template', '/dev/zero', /cannot read --template '\/dev\/zero': not a regular file/],
    ['--template', fifo, /cannot read --template '.*fifo': not a regular file \(a FIFO\)/],
    ['--template', huge, /cannot read --template '.*huge\.json': larger than 16 MB/],
    ['--env-file', '/dev/zero', /cannot read --env-file '\/dev\/zero': not a regular file/],
    ['--env-file', fifo, /cannot read --env-file '.*fifo': not a regular file \(a FIFO\)/],
    ['--env-file', huge, /cannot read --env-file '.*huge\.json': larger than 1 MB/],
  ] as const)('%s %s', async (flag, file, message) => {
    const target = flag === '--template' ? [] : ['fixtures/async-clean.js'];
    // `node --` first: Node itself would read an --env-file given after the script (cli-errors.test.ts).
    const run = await runCliAsync([...target, flag, file], { timeoutMs: 15_000, nodeArgs: ['--'] });
    expect(run.signal, 'killed by the hard limit: the read blocked or never ended').toBeNull();
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it.runIf(process.platform === 'linux').concurrent('--event - with /dev/zero on standard input', async () => {
    const child = spawn(process.execPath, [bin, 'fixtures/async-clean.js', '--event', '-'], { cwd: repoRoot, stdio: [openSync('/dev/zero', 'r'), 'pipe', 'pipe'] });
    const run = await collect(child, 15_000);
    expect(run.signal).toBeNull();
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/the event on standard input is over the 6291456 bytes \(6 MB\) Lambda accepts/);
  });

  it.runIf(process.platform === 'linux').concurrent('SIGTERM ends the CLI while it waits for --event - on standard input', async () => {
    const child = spawn(process.execPath, [bin, 'fixtures/async-clean.js', '--event', '-'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    // Standard input stays open and empty. Signal once the CLI is waiting on it.
    const done = collect(child, 15_000);
    for (let polls = 0; polls < 500 && !pollsStandardInput(child.pid!); polls++) await sleep(20);
    child.kill('SIGTERM');
    const run = await done;
    child.stdin!.destroy();
    expect(run.signal, 'killed by the hard limit: SIGTERM was deferred').toBeNull();
    expect(run.status).toBe(143);
  });
});

/** Whether the process's event loop waits on its standard input: an epoll instance of it watches fd 0 (/proc/PID/fdinfo). */
function pollsStandardInput(pid: number): boolean {
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:[eventpoll]') continue;
      if (/^tfd:\s+0\s/m.test(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))) return true;
    }
    return false;
  } catch {
    // Gone: the wait below then ends with what the process did.
    return true;
  }
}

function collect(child: ChildProcess, timeoutMs: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Read and dropped, unless the caller closed it to play a reader that went away.
    if (!child.stdout!.destroyed) child.stdout!.resume();
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      resolve({ status, signal, stderr });
    });
  });
}

describe('numbers: plain decimal whole numbers only, in flags and template fields', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhc-hostile-numbers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'app.js'), 'exports.handler = async () => ({ ok: true });\n');
  // Each of these, Number() reads as a whole number in range.
  const FORMS = ['0x5', '1e0', '5.0', '010', '+5', ' 5', '0b1'];

  const cases = [...FORMS.map((form) => ['--timeout', form] as const), ...(['--invocations', '--freeze', '--jobs'] as const).map((flag) => [flag, '1e0'] as const), ['--memory', '0x80'] as const];
  it.concurrent.each(cases)('%s %j', async (flag, form) => {
    const run = await runCliAsync(['fixtures/async-clean.js', `${flag}=${form}`], { timeoutMs: 15_000 });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^lambda-hang-check: ${flag} must be a whole number from \\d+ to \\d+.* not '${form.replace(/[+.]/g, '\\$&')}'\\n$`));
  });

  it.concurrent.each([
    ['template.yaml', 'Timeout: 0x5', '0x5'],
    ['template.yaml', 'Timeout: 010', '010'],
    ['template.yaml', 'Timeout: 1e0', '1e0'],
    ['template.yaml', 'MemorySize: 1_024', '1_024'],
    ['template.json', '"Timeout": 5.0', '5.0'],
    ['template.json', '"Timeout": 1e0', '1e0'],
  ] as const)('%s %s', async (name, field, shown) => {
    const file = path.join(dir, `${randomUUID()}-${name}`);
    const properties = `"Handler": "app.handler", "Runtime": "nodejs22.x", "CodeUri": ".", ${field}`;
    writeFileSync(file, name.endsWith('.json')
      ? `{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {${properties}}}}}`
      : `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: nodejs22.x\n      CodeUri: .\n      ${field}\n`);
    const run = await runCliAsync(['--template', file, '--invocations', '1'], { timeoutMs: 15_000 });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`Fn\\.(Timeout|MemorySize) must be a whole number from \\d+ to \\d+, not '${shown.replace(/[.]/g, '\\.')}'`));
  });

  it.runIf(process.platform === 'linux').concurrent('a FIFO as the target: a usage error at once, not an Init timeout', async () => {
    const fifo = path.join(dir, 'handler.js');
    execFileSync('mkfifo', [fifo]);
    const run = await runCliAsync([fifo, '--timeout', '1', '--invocations', '1'], { timeoutMs: 15_000 });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^lambda-hang-check: target is not a regular file: .*handler\.js\n$/);
  });
});
