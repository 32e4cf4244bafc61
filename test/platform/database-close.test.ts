// Closing the database: queries in flight, including ones still waiting for a free connection
// (more than the pool holds), finish first; a query started after closing began is refused at
// once instead of waiting for ever (node-postgres leaves such a waiter pending, which kept
// processes alive after their tests: pg-boss guards a job that never ends with a 15-minute timer).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/store/db.ts';
import { createPostgresDatabase, usesPostgres } from '../support/server.ts';

describe('closing the database', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('lets waiting queries finish, refuses later ones, and ends', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kca-close-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const postgres = usesPostgres ? await createPostgresDatabase() : undefined;
    if (postgres) cleanups.push(postgres.drop);
    const database = await openDatabase({ dataDir, databaseUrl: postgres?.url });
    // Twice as many as the pool's connections: half of them wait for one.
    const running = Array.from({ length: 20 }, (_, i) => Promise.resolve(database.db.execute(sql`select pg_sleep(0.05), ${i}::int as n`)));
    // Drizzle's queries start when awaited: wait until some wait for a connection.
    while (database.pool.waitingCount === 0) await new Promise((resolve) => setImmediate(resolve));
    const closed = database.close();
    const refused = await database.db.execute(sql`select 1`).then(
      () => 'answered',
      (error: Error & { cause?: Error }) => `${error.message} ${error.cause?.message ?? ''}`,
    );
    assert.match(refused, /closed/);
    const results = await Promise.allSettled(running);
    assert.deepEqual(results.map((r) => r.status), Array(20).fill('fulfilled'), 'the queries that were in flight all finished');
    await closed;
  });
});
