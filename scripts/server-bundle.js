// The server bundle: src/ compiled by esbuild into dist/server/kca.mjs (plus, next to it, the
// entries of the Streebog worker thread and of the PGlite import's process), with packages
// left as imports. bin/kca.js runs it when it is newer than its sources and falls back to the
// TypeScript sources through tsx otherwise.
//
// Why a bundle at all: tsx compiles on a loader thread of its own (another V8 isolate) and keeps
// its caches for the life of the process; with the bundle the server's resident memory is about
// 40 MiB smaller (README: "Memory"), and so is the Streebog worker's.
//
//   node scripts/server-bundle.js          build if stale (npm install, npm start)
//   node scripts/server-bundle.js --force  always build
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { isStale } from './freshness.js';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const defaultOutDir = join(projectDir, 'dist', 'server');
export const SERVER_BUNDLE = join(defaultOutDir, 'kca.mjs');
/** What the bundle is made from: the sources, the installed packages, the compiler settings, this script. */
const inputs = [join(projectDir, 'src'), join(projectDir, 'package-lock.json'), join(projectDir, 'tsconfig.json'), fileURLToPath(import.meta.url)];

export const serverBundleIsStale = () => isStale(SERVER_BUNDLE, inputs);

/** Builds the bundle into dist/server, or into `outDir` (which must lie inside the package). */
export async function buildServerBundle(outDir = defaultOutDir) {
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: projectDir,
    entryPoints: { kca: 'src/cli/main.ts', 'streebog-thread': 'src/crypto/streebog-thread.ts', 'pglite-import-process': 'src/store/pglite-import-process.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
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
