// Work is never stranded: two worker processes share a queue; the one running a job is killed
// with SIGKILL in the middle of it, and the other takes the job over within a lease and a half
// (not pg-boss's 15-minute expiry). A job that runs longer than its lease on a live worker is
// not taken over: the heartbeat keeps its lease.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { JobQueue } from '../../src/jobs/queue.ts';
import { createPostgresDatabase, usesPostgres } from '../support/server.ts';

// KCA_TEST_TAKEOVER_LEASE_MS measures the takeover with another lease (e.g. the default 30000).
const LEASE_MS = Number(process.env.KCA_TEST_TAKEOVER_LEASE_MS || 1500);
const LONG_JOB_MS = 3 * LEASE_MS;

function workerScript(options: { dataDir: string; databaseUrl?: string }): string {
  return `
    import { pino } from 'pino';
    import { openDatabase } from ${JSON.stringify(new URL('../../src/store/db.ts', import.meta.url).href)};
    import { JobQueue } from ${JSON.stringify(new URL('../../src/jobs/queue.ts', import.meta.url).href)};
    const database = await openDatabase(${JSON.stringify(options)});
    const queue = new JobQueue(database, pino({ level: 'warn' }, pino.destination(2)), { leaseMs: ${LEASE_MS} });
    const record = (job, event) => database.sql.executeSql(
      'insert into takeover_runs (job_id, queue, pid, retry_count, event) values ($1, $2, $3, $4, $5)',
      [job.id, job.queue, process.pid, job.retryCount, event]);
    queue.define({
      name: 'test.takeover', retryLimit: 3, retryDelaySeconds: 1,
      handle: async (data, job) => {
        await record({ ...job, queue: 'test.takeover' }, 'started');
        // The first run never ends by itself: its process is killed in the middle of it.
        if (job.retryCount === 0) await new Promise((resolve) => setTimeout(resolve, 600_000));
        await record({ ...job, queue: 'test.takeover' }, 'finished');
      },
    });
    queue.define({
      name: 'test.long', retryLimit: 3, retryDelaySeconds: 1,
      handle: async (data, job) => {
        await record({ ...job, queue: 'test.long' }, 'started');
        await new Promise((resolve) => setTimeout(resolve, ${LONG_JOB_MS}));
        await record({ ...job, queue: 'test.long' }, job.signal.aborted ? 'aborted' : 'finished');
      },
    });
    await queue.start({ work: true });
    console.log('ready');
    process.on('SIGTERM', async () => { await queue.stop(); await database.close(); process.exit(0); });
  `;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a job whose worker died', () => {
  const cleanups: (() => Promise<void>)[] = [];
  const workers: ChildProcess[] = [];
  const outputs: (() => string)[] = [];
  let database: Database;
  let sender: JobQueue;

  before(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kca-takeover-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let databaseUrl: string | undefined;
    if (usesPostgres) {
      const created = await createPostgresDatabase();
      cleanups.push(created.drop);
      databaseUrl = created.url;
    }
    // This process owns the embedded cluster; the workers connect to it.
    database = await openDatabase({ dataDir, databaseUrl });
    await database.sql.executeSql('create table takeover_runs (job_id uuid, queue text, pid int, retry_count int, event text, at timestamptz default clock_timestamp())');
    sender = new JobQueue(database, pino({ level: 'silent' }), { leaseMs: LEASE_MS });
    sender.define({ name: 'test.takeover', retryLimit: 3, retryDelaySeconds: 1, handle: async () => undefined });
    sender.define({ name: 'test.long', retryLimit: 3, retryDelaySeconds: 1, handle: async () => undefined });
    await sender.start({ work: false });
    const script = workerScript({ dataDir, databaseUrl });
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      workers.push(child);
      outputs.push(() => output);
      await until('a worker process to start', async () => (output.includes('ready') ? true : child.exitCode !== null ? Promise.reject(new Error(output)) : undefined), 60_000);
    }
  });

  after(async () => {
    for (const child of workers) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
    await sender.stop();
    await database.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function runs(jobId: string): Promise<{ pid: number; retry_count: number; event: string; at: Date }[]> {
    const { rows } = await database.sql.executeSql('select pid, retry_count, event, at from takeover_runs where job_id = $1 order by at', [jobId]);
    return rows.map((row) => ({ ...row, at: new Date(row.at) }));
  }

  it('is taken over by the other worker within a lease and a half after kill -9', async () => {
    const jobId = (await sender.send('test.takeover', {}))!;
    const first = await until('the job to start', async () => (await runs(jobId)).find((run) => run.event === 'started'));
    const victim = workers.find((child) => child.pid === first.pid)!;
    assert.ok(victim, 'the job ran in one of the two worker processes');
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    const finished = await until('another worker to finish the job', async () => (await runs(jobId)).find((run) => run.event === 'finished'), 2 * LEASE_MS + 20_000).catch((error) => {
      throw new Error(`${error.message}; the workers said: ${outputs.map((output) => output()).join('\n')}`);
    });
    const takeoverMs = Date.now() - killedAt;
    assert.notEqual(finished.pid, first.pid, 'the job was finished by the worker that is alive');
    assert.equal(finished.retry_count, 1, 'the job ran once more, as a retry');
    // Lease + a third of it until the check + the queue's retry delay (1-2 s) + a poll (1 s), with room for a loaded machine.
    assert.ok(takeoverMs < LEASE_MS * 1.34 + 2000 + 1000 + 4000, `taken over ${takeoverMs} ms after the kill`);
    console.log(`# takeover ${takeoverMs} ms after kill -9 (lease ${LEASE_MS} ms)`);
    const { rows } = await database.sql.executeSql("select state from pgboss.job where id = $1", [jobId]);
    assert.equal(rows[0].state, 'completed');
  });

  it('leaves a job that outlives its lease on a live worker alone (the heartbeat renews it)', async () => {
    const jobId = (await sender.send('test.long', {}))!;
    const done = await until('the long job to end', async () => (await runs(jobId)).find((run) => run.event !== 'started'), 30_000);
    assert.equal(done.event, 'finished');
    const all = await runs(jobId);
    assert.equal(all.filter((run) => run.event === 'started').length, 1, `the job ran ${all.length} times: ${JSON.stringify(all)}`);
    assert.ok(done.at.getTime() - all[0].at.getTime() >= LONG_JOB_MS - 50, 'the job ran longer than its lease');
    // Its lease outlives the handler by one lease (pg-boss records the end after it), then is swept.
    await until('the ended job\'s lease to be swept', async () => {
      const { rows } = await database.sql.executeSql('select count(*)::int as n from job_leases where job_id = $1', [jobId]);
      return rows[0].n === 0 ? true : undefined;
    });
  });
});
