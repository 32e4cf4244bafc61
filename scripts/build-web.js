// Builds the web client (web/ → web/dist) with Vite when the build is missing or older
// than its sources. Run by `npm install` (prepare), `npm start` and the web tests.
//   node scripts/build-web.js          build if stale
//   node scripts/build-web.js --force  always build
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { isStale } from './freshness.js';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const webDir = join(projectDir, 'web');
const builtIndex = join(webDir, 'dist', 'index.html');
/** What the bundle is made from: the client's sources and config, the shared domain module, and the installed packages. */
const inputs = [join(webDir, 'src'), join(projectDir, 'src', 'domain'), join(webDir, 'index.html'), join(webDir, 'vite.config.ts'), join(webDir, 'tsconfig.json'), join(projectDir, 'package-lock.json')];

const force = process.argv.includes('--force');
if (!force && !isStale(builtIndex, inputs)) {
  console.log('web client: web/dist is up to date');
  process.exit(0);
}

let vite;
try {
  vite = await import('vite');
} catch {
  // Installed without devDependencies: keep an older build if there is one.
  if (existsSync(builtIndex)) {
    console.warn('web client: Vite is not installed (npm install without dev dependencies?); serving the existing web/dist');
    process.exit(0);
  }
  console.error('web client: Vite is not installed and web/dist is missing; run npm install');
  process.exit(1);
}

/** Text files worth compressing; images and fonts Vite emits are compressed already or tiny. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/;

/**
 * Writes `name.br` and `name.gz` next to every compressible file of the build, at the highest
 * levels (once, at build time), so that the server sends them as they are (@fastify/static's
 * preCompressed) instead of compressing on every request.
 */
function precompress(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      precompress(path);
      continue;
    }
    if (!COMPRESSIBLE.test(entry.name) || statSync(path).size < 1024) continue;
    const content = readFileSync(path);
    writeFileSync(`${path}.br`, brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: content.length } }));
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  }
}

const started = Date.now();
await vite.build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
precompress(join(webDir, 'dist'));
console.log(`web client: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
