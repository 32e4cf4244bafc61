// Leases of running jobs, so that no job is stranded by a worker that died. pg-boss 10 keeps a
// fetched job `active` until its expiry (15 minutes by default) whatever happens to the process
// that fetched it; a job killed with its process (kill -9, OOM, a lost machine) would wait that
// long. Here each running job holds a lease row (job_leases) that its worker renews every third
// of the lease; every worker process looks for active jobs whose lease ran out (or that never got
// one) and hands them back to pg-boss as failed, which retries them on any live worker. A
// worker that finds its own lease gone (taken over while it was cut off from the database) is
// told through the job's AbortSignal and stops.
//
// Takeover time: the lease, plus at most a third of it until the next check, plus the queue's
// retry delay, plus a poll (1 s): about 45 s with the default 30 s lease.
import { randomUUID } from 'node:crypto';
import type { Database } from '../store/db.ts';

export interface StrandedJob {
  id: string;
  queue: string;
}

export class JobLeases {
  /** This process's id in the lease rows. */
  readonly owner = randomUUID();

  constructor(
    private readonly database: Database,
    /** How long a lease lives without a heartbeat. */
    readonly leaseMs: number,
    /** pg-boss's schema (its job table is read, never written, here). */
    private readonly bossSchema = 'pgboss',
  ) {}

  /** Taken when a job starts: the worker that pg-boss handed the job to is its holder, whoever held it before. */
  async take(queue: string, jobId: string): Promise<void> {
    await this.database.sql.executeSql(
      `insert into job_leases (job_id, queue, owner, lease_until) values ($1, $2, $3, now() + make_interval(secs => $4))
       on conflict (job_id) do update set queue = excluded.queue, owner = excluded.owner, lease_until = excluded.lease_until, started_at = now()`,
      [jobId, queue, this.owner, this.leaseMs / 1000],
    );
  }

  /** The heartbeat: false when the lease is no longer this process's (another worker took the job over). */
  async renew(jobId: string): Promise<boolean> {
    const { rows } = await this.database.sql.executeSql(
      'update job_leases set lease_until = now() + make_interval(secs => $3) where job_id = $1 and owner = $2 returning job_id',
      [jobId, this.owner, this.leaseMs / 1000],
    );
    return rows.length === 1;
  }

  /**
   * When the handler has ended: the lease is kept one more lease long, since pg-boss records the
   * job's end only after this (a job without a lease in between could be taken for stranded);
   * sweep() removes it once the job is no longer active.
   */
  async release(jobId: string): Promise<void> {
    await this.renew(jobId);
  }

  /** Removes leases that ran out of jobs no longer active. */
  async sweep(): Promise<void> {
    await this.database.sql.executeSql(
      `delete from job_leases l
        where l.lease_until < now()
          and not exists (select 1 from ${this.bossSchema}.job j where j.name = l.queue and j.id = l.job_id and j.state = 'active')`,
    );
  }

  /**
   * Active jobs of these queues with no live lease: the lease ran out, or the job was fetched a
   * whole lease ago and never got one (its worker died between the two).
   */
  async stranded(queues: string[]): Promise<StrandedJob[]> {
    if (queues.length === 0) return [];
    const { rows } = await this.database.sql.executeSql(
      `select j.id::text as id, j.name as queue
         from ${this.bossSchema}.job j
         left join job_leases l on l.job_id = j.id
        where j.name = any($1::text[]) and j.state = 'active'
          and j.started_on < now() - make_interval(secs => $2)
          and (l.job_id is null or l.lease_until < now())
        limit 100`,
      [queues, this.leaseMs / 1000],
    );
    return rows as StrandedJob[];
  }

  /**
   * Claims a stranded job for handing it back, so that of several processes that found it only
   * one fails it at pg-boss (a second fail would count a second retry).
   */
  async claim(job: StrandedJob): Promise<boolean> {
    const { rows } = await this.database.sql.executeSql(
      `insert into job_leases (job_id, queue, owner, lease_until) values ($1, $2, $3, now() + make_interval(secs => $4))
       on conflict (job_id) do update set owner = excluded.owner, lease_until = excluded.lease_until
       where job_leases.lease_until < now()
       returning job_id`,
      [job.id, job.queue, `takeover:${this.owner}`, this.leaseMs / 1000],
    );
    return rows.length === 1;
  }

  /** Drops the claim once the job is back in the queue (a new run takes its own lease). */
  async dropClaim(jobId: string): Promise<void> {
    await this.database.sql.executeSql('delete from job_leases where job_id = $1 and owner = $2', [jobId, `takeover:${this.owner}`]);
  }
}
