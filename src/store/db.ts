// The database: embedded PGlite under DATA_DIR by default, PostgreSQL with DATABASE_URL.
// Both speak the same SQL, so one Drizzle schema and one migration set serve both.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from './schema/index.ts';
import { startEmbeddedPostgres } from './embedded-process.ts';
import { MIGRATIONS_DIR } from '../package-files.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** Plain SQL access for libraries that bring their own queries (pg-boss). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** The connection pool under `db` (the sandbox builds its own Drizzle instance on it). */
  pool: pg.Pool;
  sql: SqlExecutor;
  /** For pg-boss: a connection string on PostgreSQL (its own pool), the executor on the embedded database. */
  connectionString: string | undefined;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Any fixed number: taken while migrating so that processes starting together take turns. */
const MIGRATION_LOCK = 7_340_021;

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string;
  /** Where the embedded database's process reports that it died and was restarted (stderr by default). */
  warn?: (message: string) => void;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openEmbedded(join(options.dataDir, 'pglite'), options.warn ?? ((message) => process.stderr.write(`${message}\n`)));
}

/**
 * Creates a new PGlite data directory in a short-lived child process. PGlite's initdb leaves
 * hundreds of megabytes of WebAssembly memory behind in the process that ran it (measured:
 * ~380 MiB resident after the first start against ~170 MiB after a restart), so the server
 * only ever opens a directory that already exists.
 */
async function initPgliteDir(dir: string): Promise<void> {
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); const db = await PGlite.create(${JSON.stringify(dir)}); await db.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`could not create the embedded database in ${dir}: ${stderr.trim() || `exit code ${code}`}`);
}

/**
 * The embedded database: PGlite in a process of its own (src/store/embedded-postgres.ts), reached
 * over a Unix socket like any PostgreSQL server, through one connection (PGlite is a single
 * backend: a transaction holds the connection, other queries wait for it).
 */
async function openEmbedded(dir: string, warn: (message: string) => void): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'PG_VERSION'))) await initPgliteDir(dir);
  const server = await startEmbeddedPostgres(dir, warn);
  try {
    const pool = new pg.Pool({ host: server.host, port: server.port, user: 'postgres', database: 'postgres', max: 1 });
    return await usePool(pool, { kind: 'pglite', connectionString: undefined, onClose: () => server.close() });
  } catch (error) {
    await server.close();
    throw error;
  }
}

async function openPostgres(url: string): Promise<Database> {
  return usePool(new pg.Pool({ connectionString: url, max: 10 }), { kind: 'postgres', connectionString: url });
}

/** Migrates (under a lock, so that processes starting together take turns) and wraps the pool. */
async function usePool(pool: pg.Pool, options: { kind: Database['kind']; connectionString: string | undefined; onClose?: () => Promise<void> }): Promise<Database> {
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    const lockClient = await pool.connect();
    try {
      await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await migratePg(drizzlePg(lockClient), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      lockClient.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  // pg-boss's worker loops may still be fetching when the server closes, and a fetched job is
  // then completed or failed without anyone awaiting it. A query that waits for a connection when
  // the pool ends waits forever (and keeps the process alive); one refused would be an unhandled
  // rejection. So pg-boss's queries are counted, and the pool ends only once they have stopped
  // coming; later ones are refused.
  let closing = false;
  const inFlight = new Set<Promise<unknown>>();
  return {
    kind: options.kind,
    db,
    pool,
    sql: {
      // pg-boss sends multi-statement scripts without parameters: node-postgres runs those as one simple query.
      executeSql(text, values) {
        if (closing) return Promise.reject(new Error('the database is closed'));
        const query = pool.query(text, values);
        inFlight.add(query);
        void query.catch(() => undefined).finally(() => inFlight.delete(query));
        return query;
      },
    },
    connectionString: options.connectionString,
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      while (inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
        // What those answers set off (a fetched job failed at once, see JobQueue) starts within this turn.
        await new Promise((resolve) => setImmediate(resolve));
      }
      closing = true;
      await pool.end();
      await options.onClose?.();
    },
  };
}
