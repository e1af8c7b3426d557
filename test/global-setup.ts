/**
 * Each runtime line runs its handlers on its own Node major (src/runner/node-binary.ts), and the
 * end-to-end rows expect exactly that: before any test, every major a row uses that the tool
 * would not find is put in its cache from the npm registry (scripts/install-node.sh, the same
 * layout as `install-runtime`; nothing to do once cached).
 */
import { execFileSync } from 'node:child_process';
import { createNodeLocator } from '../src/runner/node-binary.js';
import { RUNTIME_IDS, majorOf } from '../src/runtime-rules.js';

export default function setup(): void {
  // Without the tool's own variables, as the tests run the CLI (test/helpers/run-cli.ts).
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('LHC_')));
  const locate = createNodeLocator(null, env);
  for (const runtime of RUNTIME_IDS) {
    if (locate(runtime).matches) continue;
    const major = String(majorOf(runtime));
    process.stderr.write(`test set-up: installing Node ${major} for ${runtime} into the tool's cache\n`);
    execFileSync('bash', ['scripts/install-node.sh', major], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
