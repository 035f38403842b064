// Bundles the CLI (dist/src/cli/main.js, tsc's output) into dist/bundle/:
// one file per lazily loaded command instead of ~200 modules to resolve,
// open and compile on every start. `hoplab kubectl ...` then costs about
// 0.35 s of CPU instead of 0.55 s, which a lab run or a test suite that calls
// hoplab hundreds of times feels. The lab daemon gets a bundle of its own,
// dist/bundle/daemon.js (one file: 0.25 s to start instead of 0.5 s, on `up`'s
// critical path); its helper scripts keep running from dist/src.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  // node-pty is a native addon (loaded with require at run time); Ink loads
  // react-devtools-core only under DEV=true, which hoplab never sets.
  external: ['node-pty', 'react-devtools-core'],
  // Packages written as CommonJS call require(): give the ES module one.
  banner: { js: "import { createRequire as __hoplabRequire } from 'node:module'; const require = __hoplabRequire(import.meta.url);" },
  logLevel: 'warning',
});
await build({
  entryPoints: [join(root, 'dist', 'src', 'providers', 'netns', 'daemon.js')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: join(outdir, 'daemon.js'),
  external: ['node-pty', 'react-devtools-core'],
  banner: { js: "import { createRequire as __hoplabRequire } from 'node:module'; const require = __hoplabRequire(import.meta.url);" },
  logLevel: 'warning',
});
