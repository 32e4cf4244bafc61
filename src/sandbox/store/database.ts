// The sandbox's database access: its own Drizzle instance on the connection pool the host gives
// it, and its own migrations (src/sandbox/migrations), applied when the sandbox is mounted, so a
// bridge without the sandbox has none of its tables.
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';

export type SandboxDb = NodePgDatabase<typeof schema>;

/** Taken while migrating, so that processes mounting the sandbox together take turns (the bridge's own lock is another number). */
const SANDBOX_MIGRATION_LOCK = 7_340_022;

/**
 * src/sandbox/migrations, found from the package root: these sources run as TypeScript and as the
 * bundle under dist/server, at different depths.
 */
function migrationsFolder(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'sandbox', 'migrations');
    if (dirname(dir) === dir) throw new Error('the sandbox cannot find its migrations: no package.json above it');
  }
}

/** Migrates the sandbox's schemas (under a lock) and returns its Drizzle instance on `pool`. */
export async function openSandboxDb(pool: pg.Pool): Promise<SandboxDb> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SANDBOX_MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder: migrationsFolder(), migrationsSchema: 'sandbox', migrationsTable: 'migrations' });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [SANDBOX_MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return drizzle(pool, { schema });
}
