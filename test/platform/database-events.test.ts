// The database's notifications: a waiter in one process is woken by a pg_notify from any
// connection (here another pool and another listener), and subscribers get every payload of
// their channel. The waits are long on purpose: only the notification can end them in time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { DatabaseEvents } from '../../src/store/database-events.ts';
import { createPostgresDatabase, usesPostgres } from '../support/server.ts';

describe('database notifications', () => {
  let dataDir: string;
  let database: Database;
  let drop: (() => Promise<void>) | undefined;
  const listeners: DatabaseEvents[] = [];
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kca-events-'));
    const postgres = usesPostgres ? await createPostgresDatabase() : undefined;
    drop = postgres?.drop;
    database = await openDatabase({ dataDir, databaseUrl: postgres?.url });
  });
  after(async () => {
    for (const events of listeners) await events.close();
    await database.close();
    await drop?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  const listener = async (channels: string[]) => {
    const events = new DatabaseEvents(database.connectionString, channels, pino({ level: 'silent' }));
    await events.start();
    listeners.push(events);
    return events;
  };

  it('wakes a waiter on a notification from another connection, long before its timeout', { timeout: 20_000 }, async () => {
    const [first, second] = [await listener(['kca_test_a']), await listener(['kca_test_a', 'kca_test_b'])];
    const woken = Promise.all([first.waitFor('kca_test_a', 'operation-1', 60_000), second.waitFor('kca_test_a', 'operation-1', 60_000)]);
    // Another payload and another channel wake nobody.
    await database.sql.executeSql(`select pg_notify('kca_test_a', 'operation-2'), pg_notify('kca_test_b', 'operation-1')`);
    await database.sql.executeSql(`select pg_notify('kca_test_a', 'operation-1')`);
    // The waits' own timeout is 60 s and the test's 20 s: only the notification ends them in time.
    await woken;
  });

  it('hands every payload of a channel to its subscribers', async () => {
    const events = await listener(['kca_test_c']);
    const heard: string[] = [];
    const off = events.on('kca_test_c', (payload) => heard.push(payload));
    await database.sql.executeSql(`select pg_notify('kca_test_c', 'one')`);
    await database.sql.executeSql(`select pg_notify('kca_test_c', 'two')`);
    while (heard.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    off();
    assert.deepEqual(heard, ['one', 'two']);
  });
});
