// Builds dist/: the CLI and the API (parent side) and the harness (runs in the user's
// process, so it is bundled with node: imports only), then the API's type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts', harness: 'src/harness/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  splitting: false,
  logLevel: 'warning',
});

// The programmatic API's types (dist/types/index.d.ts); tsc is the only type authority.
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeFileSync(new URL('../dist/index.d.ts', import.meta.url), "export * from './types/index.js';\n");
