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
  /** False: the database is not the bridge's (`kca sandbox` keeps only its own schemas there), so the bridge's migrations are not applied. */
  migrate?: boolean;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const migrate = options.migrate ?? true;
  if (options.databaseUrl) return usePool(new pg.Pool({ connectionString: options.databaseUrl, max: 10 }), { kind: 'postgres', connectionString: options.databaseUrl, migrate });
  const stderr = (message: string) => process.stderr.write(`${message}\n`);
  return openEmbedded(options.dataDir, options.warn ?? stderr, options.info ?? stderr, migrate);
}

/**
 * The embedded PostgreSQL, reached over its Unix socket. Fewer connections than on a shared
 * server: each is a process of its own on the same machine (README, "The embedded database").
 */
async function openEmbedded(dataDir: string, warn: (message: string) => void, info: (message: string) => void, migrate: boolean): Promise<Database> {
  const server = await startEmbeddedPostgres(dataDir, warn);
  try {
    const pool = new pg.Pool({ host: server.host, port: server.port, user: 'postgres', database: 'postgres', max: 5 });
    const connectionString = `postgres://postgres@localhost:${server.port}/postgres?host=${encodeURIComponent(server.host)}`;
    const database = await usePool(pool, { kind: 'embedded', connectionString, migrate, onClose: () => server.close() });
    if (server.owner && migrate) {
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
async function usePool(pool: pg.Pool, options: { kind: Database['kind']; connectionString: string; migrate: boolean; onClose?: () => Promise<void> }): Promise<Database> {
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  if (options.migrate) {
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
  }
  // node-postgres leaves a query that waits for a connection when the pool ends waiting for ever
  // (and the process alive: a job stuck in such a query keeps pg-boss's 15-minute timer). So every
  // query and checkout of the pool is counted, the pool ends only once they have stopped coming,
  // and later ones are refused at once.
  let closing = false;
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(started: () => Promise<T>): Promise<T> => {
    if (closing) return Promise.reject(new Error('the database is closed'));
    const call = started();
    inFlight.add(call);
    void call.catch(() => undefined).finally(() => inFlight.delete(call));
    return call;
  };
  const poolQuery = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const poolConnect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  // (Callback-style calls, which nothing here makes, go through untracked.)
  pool.query = ((...args: unknown[]) => (typeof args.at(-1) === 'function' ? poolQuery(...args) : track(() => poolQuery(...args)))) as typeof pool.query;
  pool.connect = ((...args: unknown[]) => (args.length ? (poolConnect as (...a: unknown[]) => Promise<pg.PoolClient>)(...args) : track(() => poolConnect()))) as typeof pool.connect;
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    kind: options.kind,
    db,
    pool,
    sql: {
      executeSql(text, values) {
        return pool.query(text, values);
      },
    },
    connectionString: options.connectionString,
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      // Called once the server's requests and jobs are done: anything that comes now is refused.
      closing = true;
      await Promise.allSettled([...inFlight]);
      await pool.end();
      await options.onClose?.();
    },
  };
}
