// Builds dist/: the CLI and the API (parent side) and the harness (runs in the user's
// process, so it is bundled with node: imports only), then the API's type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const common = { outdir: 'dist', bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };
// commander and chalk are bundled: every check starts a CLI process, and resolving packages
// and scanning commander's CommonJS exports cost it ~15 ms. esbuild and yaml stay external:
// they are loaded only for TypeScript targets and templates. The banner gives the bundled
// CommonJS code the `require` an ES module lacks.
await build({
  ...common,
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
  external: ['esbuild', 'yaml'],
  banner: { js: "import { createRequire as __lhcCreateRequire } from 'node:module'; const require = __lhcCreateRequire(import.meta.url);" },
});
// The harness runs inside the handler's process, on the runtime's own Node: as old as nodejs18.x's.
await build({ ...common, target: 'node18', entryPoints: { harness: 'src/harness/index.ts', 'esm-node-path-hooks': 'src/harness/esm-node-path-hooks.ts' }, packages: 'external' });

// The programmatic API's types (dist/types/index.d.ts); tsc is the only type authority.
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeFileSync(new URL('../dist/index.d.ts', import.meta.url), "export * from './types/index.js';\n");
