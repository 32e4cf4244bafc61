// Several worker processes on one database (the embedded one: they share the first one's cluster): exactly one of them polls Kontur's event feed
// (a lease in the database), and the others stand by without taking it over while it lives.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const POLL_MS = '100';

describe('event poller across processes', () => {
  let t: TestServer;
  const workers: RunningServer[] = [];
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: POLL_MS });
    // Two more worker-only processes on the same database, talking to the first one's sandbox.
    for (let i = 0; i < 2; i++) {
      workers.push(
        await startServer(loadConfig({ ...t.env, ISSUE_EVENTS_POLL_MS: POLL_MS, PORT: String(new URL(t.url).port) }), {
          http: false,
          worker: true,
          logger: pino({ level: 'silent' }),
        }),
      );
    }
  });
  after(async () => {
    // The first process owns the embedded cluster: the others end before it.
    for (const worker of workers.reverse()) await worker.close();
    await t.close();
  });

  it('keeps one lease holder while three processes run the poller', async () => {
    const owners = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { rows } = await t.server.database.sql.executeSql("select lease_owner from issue_event_cursor where name = 'kcr-issue-events'");
      if (rows[0]?.lease_owner) owners.add(rows[0].lease_owner);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(owners.size, 1, `the lease moved between ${owners.size} owners`);
    const { rows } = await t.server.database.sql.executeSql("select lease_until from issue_event_cursor where name = 'kcr-issue-events'");
    assert.ok(new Date(rows[0].lease_until).getTime() > Date.now(), 'the holder keeps renewing its lease');
  });
});
