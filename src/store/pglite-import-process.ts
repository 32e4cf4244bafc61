// Child process of src/store/pglite-import.ts: copies a PGlite data directory of an earlier
// version of the module into the new embedded PostgreSQL, in one transaction. PGlite is first
// brought to the latest migrations, so that both sides have the same tables; then every table
// found on both sides is copied row by row (as JSON, which carries bytea, jsonb and timestamps
// exactly), with foreign keys and triggers off while copying (session_replication_role), and the
// sequences are moved past the copied ids. pg-boss's queues are not copied: unfinished signing
// operations get their job again when the server starts.
//
//   node pglite-import-process.mjs <pglite data dir> <PostgreSQL socket directory>
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { MIGRATIONS_DIR } from '../package-files.ts';

const BATCH_ROWS = 200;
const SKIPPED_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast', 'pgboss', 'drizzle'];

export interface PgliteImportReport {
  tables: { table: string; rows: number }[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function main(): Promise<void> {
  const [pgliteDir, socketDir] = process.argv.slice(2);
  // pg_trgm: the bridge's migrations create it (the directory's trigram index).
  const source = await PGlite.create(pgliteDir, { extensions: { pg_trgm } });
  await migrate(drizzle(source), { migrationsFolder: MIGRATIONS_DIR });
  const target = new pg.Client({ host: socketDir, port: 5432, user: 'postgres', database: 'postgres' });
  await target.connect();
  const report: PgliteImportReport = { tables: [] };
  try {
    const { rows: tables } = await source.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema <> all($1) order by 1, 2`,
      [SKIPPED_SCHEMAS],
    );
    await target.query('begin');
    await target.query('set local session_replication_role = replica');
    for (const { schema, name } of tables) {
      const qualified = `${quote(schema)}.${quote(name)}`;
      const columnsOf = `select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`;
      // Generated columns (the directory's search text) are computed by PostgreSQL, not copied.
      const targetColumns = new Set(
        (await target.query<{ column_name: string }>(`select column_name from information_schema.columns where table_schema = $1 and table_name = $2 and is_generated = 'NEVER'`, [schema, name])).rows.map((r) => r.column_name),
      );
      if (targetColumns.size === 0) throw new Error(`the table ${schema}.${name} of the PGlite database has no counterpart in PostgreSQL`);
      const columns = (await source.query<{ column_name: string }>(columnsOf, [schema, name])).rows.map((r) => r.column_name).filter((c) => targetColumns.has(c));
      const { rows: present } = await target.query(`select 1 from ${qualified} limit 1`);
      if (present.length > 0) throw new Error(`the table ${schema}.${name} is not empty in the new database: nothing was imported`);
      const list = columns.map(quote).join(', ');
      let copied = 0;
      await source.exec(`begin; declare rows_out no scroll cursor for select row_to_json(t)::text as row from (select ${list} from ${qualified}) t`);
      for (;;) {
        const { rows } = await source.query<{ row: string }>(`fetch ${BATCH_ROWS} from rows_out`);
        if (rows.length === 0) break;
        await target.query(`insert into ${qualified} (${list}) select ${list} from json_populate_recordset(null::${qualified}, $1::json)`, [`[${rows.map((r) => r.row).join(',')}]`]);
        copied += rows.length;
      }
      await source.exec('close rows_out; commit');
      report.tables.push({ table: `${schema}.${name}`, rows: copied });
    }
    const { rows: serials } = await target.query<{ schema: string; name: string; column: string }>(
      `select table_schema as schema, table_name as name, column_name as column from information_schema.columns
        where column_default like 'nextval(%' and table_schema <> all($1)`,
      [SKIPPED_SCHEMAS],
    );
    for (const { schema, name, column } of serials) {
      const qualified = `${quote(schema)}.${quote(name)}`;
      await target.query(`select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quote(column)}) from ${qualified}), 0) + 1, false)`, [qualified, column]);
    }
    await target.query('commit');
  } catch (error) {
    await target.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await target.end();
    await source.close();
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((error: Error) => {
  process.stderr.write(error.message);
  process.exit(1);
});
