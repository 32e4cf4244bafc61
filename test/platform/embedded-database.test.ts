// The embedded PGlite database: created by initdb in a child process on the first start, then
// opened (and reopened) by this process with 16 MB of shared buffers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/store/db.ts';

test('the first open creates the data directory, later opens reuse it, with 16 MB shared buffers', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kca-embedded-'));
  try {
    const first = await openDatabase({ dataDir });
    assert.equal(first.kind, 'pglite');
    assert.ok(existsSync(join(dataDir, 'pglite', 'PG_VERSION')));
    await first.db.execute(sql`create table kept (id int)`);
    await first.db.execute(sql`insert into kept values (7)`);
    await first.close();

    const again = await openDatabase({ dataDir });
    const kept = await again.sql.executeSql('select id from kept');
    assert.deepEqual(kept.rows, [{ id: 7 }]);
    const buffers = await again.sql.executeSql('show shared_buffers');
    assert.deepEqual(buffers.rows, [{ shared_buffers: '16MB' }]);
    await again.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
