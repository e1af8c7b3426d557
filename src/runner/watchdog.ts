/**
 * The CLI's dead-man switch. When the CLI is SIGKILLed (kill -9, the OOM killer, a CI job's
 * hard stop) none of its code runs, Node cannot ask the kernel to kill the children with it
 * (no PR_SET_PDEATHSIG), and a harness that is frozen (SIGSTOP) or spinning in synchronous
 * code cannot notice its command pipe closing. So one small shell process per CLI, in a
 * session of its own (never frozen with a harness, never reached by the terminal's Ctrl-C),
 * reads `+group:runId` / `-group` lines from a pipe that only the CLI holds. End of input
 * while harnesses are still registered means the CLI died: it then kills each registered
 * group, every process of that harness's session, and every process whose initial
 * environment carries the harness's run id (the nets of process-tree.ts, in shell).
 * On a normal exit the registrations are gone first and the shell just ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { RUN_ID_VARIABLE } from './process-tree.js';

// POSIX sh (dash): no bashisms. `grep -z` is GNU grep; without it, only groups and sessions are reached.
const SCRIPT = `
entries=' '
while IFS= read -r line; do
  case $line in
    +*) entries="$entries\${line#+} " ;;
    -*)
      group=\${line#-}
      case $entries in *" $group:"*) entries=\${entries%%" $group:"*}' '\${entries#*" $group:"*' '} ;; esac ;;
  esac
done
[ "$entries" = ' ' ] && exit 0
for entry in $entries; do kill -KILL -- "-\${entry%%:*}" 2>/dev/null; done
for dir in /proc/[0-9]*; do
  pid=\${dir#/proc/}
  [ "$pid" = "$$" ] && continue
  stat=$(cat "$dir/stat" 2>/dev/null) || continue
  set -- \${stat##*) }
  for entry in $entries; do
    if [ "$4" = "\${entry%%:*}" ] || grep -qxz "${RUN_ID_VARIABLE}=\${entry#*:}" "$dir/environ" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null
      break
    fi
  done
done
`;

let watchdog: ChildProcess | null | undefined;

function start(): ChildProcess | null {
  try {
    const child = spawn('/bin/sh', ['-c', SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => {
      // No /bin/sh (Windows): the CLI's own exit and signal handling still apply.
      watchdog = null;
    });
    child.stdin!.on('error', () => {});
    // Neither the shell nor the pipe to it may keep the CLI alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return child;
  } catch {
    return null;
  }
}

function tell(line: string): void {
  if (watchdog === undefined) watchdog = start();
  if (watchdog?.stdin?.writable) watchdog.stdin.write(line + '\n');
}

/** From now until `unregister`, the harness's group, session and run id die with the CLI. */
export function registerHarness(pid: number, runId: string): void {
  tell(`+${pid}:${runId}`);
}

export function unregisterHarness(pid: number): void {
  tell(`-${pid}`);
}
