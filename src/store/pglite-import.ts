// Installations of earlier versions kept the embedded database in PGlite (DATA_DIR/pglite). On
// the first start with the embedded PostgreSQL, its data is copied over once, in a child process
// (PGlite's WebAssembly memory stays out of the server), before the server uses the database; the
// PGlite directory is then renamed to DATA_DIR/pglite.imported and left for the operator to delete.
// If the copy fails, nothing was committed and the server does not start: the next start tries again.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgliteImportReport } from './pglite-import-process.ts';

/** The child's command line: the .ts entry through tsx next to the sources, the .mjs next to a bundle. */
function command(pgliteDir: string, socketDir: string): string[] {
  const typescript = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(typescript ? './pglite-import-process.ts' : './pglite-import-process.mjs', import.meta.url));
  return [...(typescript ? ['--import', import.meta.resolve('tsx')] : []), entry, pgliteDir, socketDir];
}

/** Imports DATA_DIR/pglite into the PostgreSQL behind `socketDir` when there is one; returns what was copied. */
export async function importPgliteData(dataDir: string, socketDir: string): Promise<PgliteImportReport | undefined> {
  const pgliteDir = join(dataDir, 'pglite');
  if (!existsSync(join(pgliteDir, 'PG_VERSION'))) return undefined;
  const child = spawn(process.execPath, command(pgliteDir, socketDir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`could not copy the PGlite database ${pgliteDir} into the embedded PostgreSQL: ${errors.trim() || `exit code ${code}`}`);
  renameSync(pgliteDir, `${pgliteDir}.imported`);
  return JSON.parse(output) as PgliteImportReport;
}
