// The database: PostgreSQL, either the embedded one under DATA_DIR (the default: the server runs
// PostgreSQL's own binaries, src/store/embedded-postgres.ts) or a server named by DATABASE_URL.
// One Drizzle schema and one migration set serve both.
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from './schema/index.ts';
import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { importPgliteData } from './pglite-import.ts';
import { MIGRATIONS_DIR } from '../package-files.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** Plain SQL access (pg_notify, tests) beside the Drizzle instance. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export interface Database {
  kind: 'embedded' | 'postgres';
  db: Db;
  /** The connection pool under `db` (the sandbox builds its own Drizzle instance on it). */
  pool: pg.Pool;
  sql: SqlExecutor;
  /** For pg-boss, which keeps a pool of its own. */
  connectionString: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Any fixed number: taken while migrating so that processes starting together take turns. */
const MIGRATION_LOCK = 7_340_021;

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string;
  /** Where the embedded database reports that it died and was restarted (stderr by default). */
  warn?: (message: string) => void;
  /** Where the embedded database reports that it took over the data of an earlier PGlite database. */
  info?: (message: string) => void;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return usePool(new pg.Pool({ connectionString: options.databaseUrl, max: 10 }), { kind: 'postgres', connectionString: options.databaseUrl });
  const stderr = (message: string) => process.stderr.write(`${message}\n`);
  return openEmbedded(options.dataDir, options.warn ?? stderr, options.info ?? stderr);
}

/**
 * The embedded PostgreSQL, reached over its Unix socket. Fewer connections than on a shared
 * server: each is a process of its own on the same machine (README, "The embedded database").
 */
async function openEmbedded(dataDir: string, warn: (message: string) => void, info: (message: string) => void): Promise<Database> {
  const server = await startEmbeddedPostgres(dataDir, warn);
  try {
    const pool = new pg.Pool({ host: server.host, port: server.port, user: 'postgres', database: 'postgres', max: 5 });
    const connectionString = `postgres://postgres@localhost:${server.port}/postgres?host=${encodeURIComponent(server.host)}`;
    const database = await usePool(pool, { kind: 'embedded', connectionString, onClose: () => server.close() });
    if (server.owner) {
      const imported = await importPgliteData(dataDir, server.host).catch(async (error: Error) => {
        await database.close();
        throw error;
      });
      if (imported) info(`the data of the earlier PGlite database was copied into the embedded PostgreSQL (${imported.tables.reduce((n, t) => n + t.rows, 0)} rows in ${imported.tables.length} tables); ${join(dataDir, 'pglite.imported')} can be deleted`);
    }
    return database;
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** Migrates (under a lock, so that processes starting together take turns) and wraps the pool. */
async function usePool(pool: pg.Pool, options: { kind: Database['kind']; connectionString: string; onClose?: () => Promise<void> }): Promise<Database> {
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
  // A query that waits for a connection when the pool ends waits forever (and keeps the process
  // alive); one refused would be an unhandled rejection in a caller that does not await it. So
  // plain queries are counted, and the pool ends only once they have stopped coming; later ones
  // are refused.
  let closing = false;
  const inFlight = new Set<Promise<unknown>>();
  return {
    kind: options.kind,
    db,
    pool,
    sql: {
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
        // What those answers set off starts within this turn.
        await new Promise((resolve) => setImmediate(resolve));
      }
      closing = true;
      await pool.end();
      await options.onClose?.();
    },
  };
}
