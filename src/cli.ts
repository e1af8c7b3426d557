/**
 * The command line: argv → options → check() → reporter → stdout or --output → exit code.
 * The only module that touches argv, stdin, colour and process.exitCode.
 */
import { readFileSync } from 'node:fs';
import { Chalk } from 'chalk';
import { Command, CommanderError, Option } from 'commander';
import { check } from './check.js';
import { installRuntimeSdk, installRuntimes } from './install-runtime.js';
import { runtimeSdkPrefix } from './runner/node-binary.js';
import { ExitCode, LhcError, UsageError } from './errors.js';
import { readEnvFile, parseEnvAssignments, readEventInputs, readStandardInput, wantsStandardInput, writeOutputFile } from './cli-inputs.js';
import { createProgress, type Progress } from './cli-progress.js';
import { renderGithub } from './reporters/github.js';
import { getReporter, REPORTER_NAMES } from './reporters/index.js';
import { sanitizeForTerminal, toSingleLine } from './reporters/sanitize.js';
import { renderSummary } from './reporters/text.js';
import { renderTrace } from './reporters/trace.js';
import { killAllHarnesses } from './runner/spawn-harness.js';
import type { CheckReport, FailOn } from './types.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function createProgram(): Command {
  return new Command()
    .name('lambda-hang-check')
    .description('Will this AWS Lambda Node.js handler finish under the real Lambda runtime? If not, why.')
    .version(VERSION)
    .argument('[targets...]', "handler files (.js .mjs .cjs .ts .mts .cts) or quoted globs ('src/**/*.ts'), optionally file#export")
    .option('-x, --export <name>', 'export name for file targets', 'handler')
    .option('--handler <string>', 'a Lambda handler string, e.g. src/app.handler, resolved like _HANDLER')
    .option('--task-root <dir>', 'directory the handler string is resolved from (default: cwd)')
    .option('--template <file>', "a SAM/CloudFormation template or a serverless.yml (YAML or JSON): check every Node.js function in it with its own settings")
    .option('--node <path>', "the Node binary that runs the handlers (default: one of each runtime's major: LHC_NODE_<major>, PATH, version managers, the install-runtime cache)")
    .option('-r, --runtime <id>', "nodejs18.x, nodejs20.x (deprecated), nodejs22.x or nodejs24.x (default: a template function's own, else nodejs24.x)")
    .option('-t, --timeout <s>', "function timeout in seconds, 1-900; overrides a template's", '3')
    .option('-n, --invocations <n>', 'invocations of one warm environment', '2')
    .option('-e, --event <[Name=]file|json|->', 'event payload; repeat for successive invocations; Name=… for one function of a --template', collect, [])
    .option('--freeze <ms>', 'time the environment stays frozen between invocations', '100')
    .option('-m, --memory <MB>', "memory size in MB (sets the heap limit like Lambda); overrides a template's", '128')
    .option('--env <K=V>', 'function environment variable; repeatable', collect, [])
    .option('--env-file <file>', 'function environment from a KEY=VALUE file')
    .addOption(new Option('-f, --format <fmt>', 'report format').choices(REPORTER_NAMES).default('text'))
    .option('-o, --output <file>', 'write the report to a file')
    .option('--fail-on <level>', 'error, warning or never', 'error')
    .option('--ignore <codes>', 'finding codes to accept (comma-separated or repeated): listed as suppressed, never failing', collect, [])
    .option('-j, --jobs <n>', 'targets checked in parallel (default: number of cores)')
    .option('--trace <file>', 'write a Chrome trace-event JSON of the lifecycle (open in Perfetto)')
    .option('--no-color', 'no colours in the text report')
    .option('-q, --quiet', 'print nothing but the report')
    .option('-v, --verbose', 'more detail, and stacks for internal errors')
    .addHelpText('after', "\nCommands:\n  install-runtime <runtime...> [--aws-sdk <package,...>]\n      cache a Node of each runtime's major, and the AWS SDK packages the runtimes provide, from the npm registry")
    .exitOverride()
    .configureOutput({ outputError: () => {} });
}

async function main(argv: string[]): Promise<number> {
  if (argv[2] === 'install-runtime') return installRuntimeCommand(argv.slice(3));
  const program = createProgram();
  let verbose = argv.includes('-v') || argv.includes('--verbose');
  let progress: Progress | null = null;
  try {
    program.parse(argv);
    const flags = program.opts();
    verbose = Boolean(flags.verbose);
    progress = flags.quiet ? null : createProgress(process.stderr);
    // Only a value the user typed overrides a template function's own Timeout / MemorySize.
    const given = (name: string): unknown => (program.getOptionValueSource(name) === 'cli' ? flags[name] : undefined);
    const eventValues = flags.event as string[];
    const { events, functionEvents, notes } = readEventInputs(eventValues, wantsStandardInput(eventValues) ? await readStandardInput() : undefined);
    for (const note of notes) printMessage(`lambda-hang-check: note: ${note}\n`);
    const report = await check({
      targets: program.args,
      exportName: flags.export,
      handler: flags.handler,
      taskRoot: flags.taskRoot,
      template: flags.template,
      runtime: flags.runtime,
      timeout: given('timeout') as number | undefined,
      invocations: flags.invocations,
      events,
      functionEvents,
      freeze: flags.freeze,
      memory: given('memory') as number | undefined,
      env: { ...(flags.envFile ? readEnvFile(flags.envFile) : {}), ...parseEnvAssignments(flags.env as string[]) },
      failOn: flags.failOn,
      ignore: flags.ignore as string[],
      jobs: flags.jobs,
      node: flags.node,
      ...(progress ? { onProgress: progress.onProgress } : {}),
    });
    progress?.stop();
    const useColor = flags.color !== false && !process.env.NO_COLOR && !flags.output && (process.stdout.isTTY || Boolean(process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0'));
    const chalk = new Chalk({ level: useColor ? 1 : 0 });
    const rendered = getReporter(flags.format)(report, { chalk, verbose, failOn: flags.failOn as FailOn });
    if (flags.trace) writeOutputFile(flags.trace, renderTrace(report), '--trace');
    if (flags.output) {
      writeOutputFile(flags.output, rendered, '--output');
      if (!flags.quiet) printMessage(`lambda-hang-check: ${renderSummary(report, { chalk: new Chalk({ level: 0 }) })}\n`);
    } else {
      process.stdout.write(rendered);
    }
    // On GitHub Actions, findings also become annotations on the pull request, whatever the format.
    if (process.env.GITHUB_ACTIONS === 'true' && flags.format !== 'github' && !flags.quiet) process.stderr.write(renderGithub(report));
    // A run that skipped every target checked nothing: green would be a lie to a CI gate.
    if (report.results.every((result) => result.verdict === 'skipped')) {
      printMessage(`lambda-hang-check: nothing was checked: ${toSingleLine(nothingCheckedReason(report))}\n`);
      return ExitCode.couldNotRun;
    }
    return report.results.some((result) => result.verdict === 'fail') ? ExitCode.findings : ExitCode.ok;
  } catch (error) {
    progress?.stop();
    return reportError(error, verbose);
  }
}

function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    // Commander's own second line, "(Did you mean --timeout?)", stays a line of its own.
    const message = toSingleLine(error.message.replace(/^error: /, '').replace(/\n+$/, '')).replace(/\\n(?=\(Did you mean )/g, '\n  ');
    printMessage(`lambda-hang-check: ${message}\n`);
    return ExitCode.couldNotRun;
  }
  if (error instanceof LhcError) {
    // Messages quote arguments, file contents and template values: one line each, whatever they hold.
    printMessage(`lambda-hang-check: ${toSingleLine(error.message)}\n`);
    if (error.hint) printMessage(`  ${toSingleLine(error.hint)}\n`);
    if (verbose && !(error instanceof UsageError)) printMessage(`${error.stack}\n`);
    return ExitCode.couldNotRun;
  }
  printMessage(`lambda-hang-check: internal error, please report it with this stack:\n${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.couldNotRun;
}

/**
 * `install-runtime <runtime...> [--aws-sdk <package,...>]`: one line per runtime on stdout, saying
 * where its Node is, and one for the AWS SDK packages the runtimes provide, if asked for.
 */
function installRuntimeCommand(args: string[]): number {
  try {
    const runtimes: string[] = [];
    const sdk: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '--aws-sdk' || arg.startsWith('--aws-sdk=')) {
        const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
        if (!value) throw new UsageError('install-runtime --aws-sdk: name the packages, e.g. --aws-sdk @aws-sdk/client-s3,@aws-sdk/client-dynamodb');
        sdk.push(...value.split(',').map((name) => name.trim()).filter(Boolean));
      } else if (arg.startsWith('-')) {
        throw new UsageError(`install-runtime: unknown option '${arg}' (install-runtime <runtime...> [--aws-sdk <package,...>])`);
      } else {
        runtimes.push(arg);
      }
    }
    if (runtimes.length > 0 || sdk.length === 0) {
      for (const installed of installRuntimes(runtimes)) {
        process.stdout.write(`${installed.runtime}: Node ${installed.version} ${installed.installed ? 'installed at' : 'found at'} ${installed.nodePath}\n`);
      }
    }
    const packages = installRuntimeSdk(sdk);
    if (packages.length > 0) process.stdout.write(`AWS SDK provided by the runtimes: ${packages.join(', ')} in ${runtimeSdkPrefix()}/node_modules\n`);
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, false);
  }
}

/**
 * The one way the CLI writes its own messages to stderr. They quote what the user, a template
 * or a handler supplied, and stderr is a terminal or a CI job log: control characters become
 * visible escapes, and nothing in them can start a GitHub Actions workflow command.
 */
function printMessage(text: string): void {
  process.stderr.write(sanitizeForTerminal(text));
}

function nothingCheckedReason(report: CheckReport): string {
  if (report.results.length === 0) return 'no function to check';
  const reasons = report.results.map((result) => `${result.target}: ${result.skipReason ?? 'skipped'}`);
  const shown = reasons.slice(0, 3).join('; ');
  return `every function was skipped (${shown}${reasons.length > 3 ? `; ${reasons.length - 3} more` : ''})`;
}


// A reader that goes away (`lambda-hang-check … | head -1`) is not a failure of the check: the
// rest of the output is dropped quietly and the exit code stays the verdict's. Node ignores
// SIGPIPE, so the write fails with EPIPE, emitted on the stream; unhandled, it would crash.
// Any other write error (a full disk behind `> file`) means the report was lost: exit 2.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = ExitCode.couldNotRun;
  });
}

// Ctrl-C or a CI cancel must not leave a frozen or spinning handler behind.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllHarnesses();
    // Leave the shell prompt on a clean line, not after a half-drawn progress line.
    if (process.stderr.isTTY) process.stderr.write('\r\u001b[2K');
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const)[signal]);
  });
}

const verdict = await main(process.argv);
// A write error that already happened (see above) wins over the verdict.
if (process.exitCode === undefined || process.exitCode === ExitCode.ok) process.exitCode = verdict;
