// Builds the web client (web/ → web/dist) with Vite when the build is missing or older
// than its sources. Run by `npm install` (prepare), `npm start` and the web tests.
//   node scripts/build-web.js          build if stale
//   node scripts/build-web.js --force  always build
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

const started = Date.now();
await vite.build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
console.log(`web client: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
