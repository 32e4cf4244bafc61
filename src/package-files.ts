// Files that ship with the package: database migrations, the built web client, the Streebog
// WebAssembly module. They are located from the package root rather than from the importing
// module, because the same code runs as TypeScript sources (src/**) and as the bundle under
// dist/server, at different depths.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = packageRoot();
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'drizzle');
export const WEB_DIST_DIR = join(PACKAGE_ROOT, 'web', 'dist');
export const STREEBOG_WASM_PATH = join(PACKAGE_ROOT, 'dist', 'wasm', 'streebog.wasm');
