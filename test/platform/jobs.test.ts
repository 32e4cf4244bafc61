// Background jobs on the same database: a job runs once, failures are retried, and several
// workers on one database share the work without doing any job twice.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { JobQueue } from '../../src/jobs/queue.ts';
import { createPostgresDatabase, usesPostgres } from '../support/server.ts';

const logger = pino({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];

async function freshDatabase(): Promise<{ open: () => Promise<Database> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kca-jobs-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  if (!usesPostgres) return { open: () => openDatabase({ dataDir }) };
  const database = await createPostgresDatabase();
  cleanups.push(database.drop);
  return { open: () => openDatabase({ dataDir, databaseUrl: database.url }) };
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await delay(50);
  }
}

describe('job queue', () => {
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('runs a job, retries a failing one, and waits for running jobs on stop', async () => {
    const { open } = await freshDatabase();
    const database = await open();
    const queue = new JobQueue(database, logger);
    const seen: number[] = [];
    let attempts = 0;
    let slowStarted = false;
    let slowFinished = false;
    queue.define<{ n: number }>({ name: 'test.record', handle: async ({ n }) => void seen.push(n) });
    queue.define({
      name: 'test.flaky',
      retryLimit: 3,
      retryDelaySeconds: 1,
      handle: async () => {
        attempts++;
        if (attempts < 3) throw new Error('transient');
      },
    });
    queue.define({
      name: 'test.slow',
      handle: async () => {
        slowStarted = true;
        await delay(500);
        slowFinished = true;
      },
    });
    await queue.start({ work: true });
    await queue.send('test.record', { n: 1 });
    await queue.send('test.flaky', {});
    await until(() => seen.length === 1 && attempts === 3);
    assert.deepEqual(seen, [1]);
    await queue.send('test.slow', {});
    await until(() => slowStarted);
    assert.equal(slowFinished, false);
    await queue.stop();
    assert.equal(slowFinished, true, 'stop() returned before the running job finished');
    await database.close();
  });

  it('runs a recurring job once per period, however many processes send it', async () => {
    const { open } = await freshDatabase();
    // Two processes, each with its own timer sending the job.
    const runs: number[] = [];
    const members: { database: Database; queue: JobQueue }[] = [];
    for (let i = 0; i < 2; i++) {
      const database = await open();
      const queue = new JobQueue(database, logger);
      queue.define({ name: 'test.recurring', everySeconds: 2, handle: async () => void runs.push(Date.now()) });
      await queue.start({ work: true });
      members.push({ database, queue });
    }
    const started = Date.now();
    // Each process sends every 0.2 s: about 25 sends per process over the 5 s.
    // A measurement window, not a wait: the period is what is being tested.
    await delay(5000);
    for (const { queue, database } of members.reverse()) {
      await queue.stop();
      await database.close();
    }
    assert.ok(runs.length >= 2 && runs.length <= 4, `${runs.length} runs in ${Date.now() - started} ms with a 2 s period`);
  });

  it('lets the process exit when stopped while a worker is still fetching', async () => {
    // A recurring job is sent at start, so the worker is busy right away; stop and close at once.
    // The database refuses pg-boss's queries once closing has begun: a query left waiting for a
    // connection when the pool ended used to keep the process alive for ever.
    const dataDir = await mkdtemp(join(tmpdir(), 'kca-jobs-exit-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let url: string | undefined;
    if (usesPostgres) {
      const database = await createPostgresDatabase();
      cleanups.push(database.drop);
      url = database.url;
    }
    const script = `
      import { pino } from 'pino';
import { spawnSync } from 'node:child_process';
      import { openDatabase } from ${JSON.stringify(new URL('../../src/store/db.ts', import.meta.url).href)};
      import { JobQueue } from ${JSON.stringify(new URL('../../src/jobs/queue.ts', import.meta.url).href)};
      const database = await openDatabase(${JSON.stringify({ dataDir, databaseUrl: url })});
      const queue = new JobQueue(database, pino({ level: 'silent' }));
      queue.define({ name: 'test.recurring', everySeconds: 3600, handle: async () => { await database.sql.executeSql('select pg_sleep(0.2)'); } });
      await queue.start({ work: true });
      await queue.stop();
      await database.close();
      console.log('closed');
    `;
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, `exit ${result.status} ${result.signal ?? ''}: ${result.stderr}`);
    assert.match(result.stdout, /closed/);
    assert.ok(Date.now() - started < 45_000, 'it did not wait for a timeout to exit');
  });

  it('shares work between processes without doing a job twice', async () => {
    const { open } = await freshDatabase();
    const handled = new Map<number, string[]>();
    const workers: { database: Database; queue: JobQueue }[] = [];
    for (const name of ['worker-a', 'worker-b', 'worker-c']) {
      const database = await open();
      const queue = new JobQueue(database, logger);
      queue.define<{ n: number }>({
        name: 'test.shared',
        concurrency: 2,
        handle: async ({ n }) => {
          handled.set(n, [...(handled.get(n) ?? []), name]);
          await delay(20);
        },
      });
      await queue.start({ work: true });
      workers.push({ database, queue });
    }
    for (let n = 0; n < 60; n++) await workers[n % 3].queue.send('test.shared', { n });
    await until(() => handled.size === 60);
    // Stopped (each waits for its running jobs): a job done twice would have been handled by now.
    for (const { queue } of workers) await queue.stop();
    const twice = [...handled.entries()].filter(([, by]) => by.length > 1);
    assert.deepEqual(twice, []);
    const byWorker = new Set([...handled.values()].flat());
    assert.ok(byWorker.size >= 2, 'the work was shared');
    // The first one owns the embedded cluster: it closes last.
    for (const { database } of workers.reverse()) await database.close();
  });
});
