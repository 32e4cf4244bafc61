// The server bundle: src/ compiled by esbuild into dist/server/kca.mjs (plus, next to it, the
// entries of the Streebog worker thread and of the PGlite import's process, and the built-in
// sandbox's entry sandbox.mjs when src/sandbox exists, loaded by the server at run time only),
// with packages left as imports and the code the entries share in chunks beside them (so the
// sandbox and the bridge run one copy of src/crypto; in the same directory, because modules find
// their siblings from import.meta.url). bin/kca.js runs it when it is newer than its sources and
// falls back to the TypeScript sources through tsx otherwise.
//
// Why a bundle at all: tsx compiles on a loader thread of its own (another V8 isolate) and keeps
// its caches for the life of the process; with the bundle the server's resident memory is about
// 40 MiB smaller (README: "Memory"), and so is the Streebog worker's.
//
//   node scripts/server-bundle.js          build if stale (npm install, npm start)
//   node scripts/server-bundle.js --force  always build
import { fileURLToPath } from 'node:url';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isStale } from './freshness.js';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const defaultOutDir = join(projectDir, 'dist', 'server');
export const SERVER_BUNDLE = join(defaultOutDir, 'kca.mjs');
/** What the bundle is made from: the sources, the installed packages, the compiler settings, this script. */
const inputs = [join(projectDir, 'src'), join(projectDir, 'package-lock.json'), join(projectDir, 'tsconfig.json'), fileURLToPath(import.meta.url)];

const SANDBOX_SOURCE = join(projectDir, 'src', 'sandbox', 'index.ts');

/** Stale also when it lacks the sandbox's entry that the sources have (a bundle built before it existed). */
export const serverBundleIsStale = () => isStale(SERVER_BUNDLE, inputs) || (existsSync(SANDBOX_SOURCE) && !existsSync(join(defaultOutDir, 'sandbox.mjs')));

/** Builds the bundle into dist/server, or into `outDir` (which must lie inside the package). */
export async function buildServerBundle(outDir = defaultOutDir) {
  const { build } = await import('esbuild');
  const entryPoints = { kca: 'src/cli/main.ts', 'streebog-thread': 'src/crypto/streebog-thread.ts', 'pglite-import-process': 'src/store/pglite-import-process.ts' };
  if (existsSync(SANDBOX_SOURCE)) entryPoints.sandbox = 'src/sandbox/index.ts';
  // Built beside and swapped in whole: chunk names change from build to build, and a bundle built
  // without the sandbox must not keep an old sandbox.mjs.
  const building = `${outDir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  await build({
    absWorkingDir: projectDir,
    entryPoints,
    outdir: building,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const previous = `${outDir}.previous-${process.pid}`;
  if (existsSync(outDir)) renameSync(outDir, previous);
  renameSync(building, outDir);
  rmSync(previous, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!process.argv.includes('--force') && !serverBundleIsStale()) {
    console.log('server: dist/server is up to date');
  } else {
    const started = Date.now();
    await buildServerBundle();
    console.log(`server: built dist/server in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
