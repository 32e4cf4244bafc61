// Background jobs on pg-boss 10, in the same database as everything else, with a small pool of
// its own.
// Any number of processes may run workers: pg-boss hands each job to exactly one of them, and a
// job whose worker died is handed to another within about a lease and a half (job-leases.ts).
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../store/db.ts';
import { JobLeases } from './job-leases.ts';

/** How long a running job's lease lives without a heartbeat (JOB_LEASE_SECONDS). */
export const DEFAULT_JOB_LEASE_MS = 30_000;

export interface JobDefinition<T extends object = object> {
  name: string;
  /** `signal` is aborted when this worker lost the job's lease (another worker took the job over). */
  handle(data: T, job: { id: string; retryCount: number; signal: AbortSignal }): Promise<void>;
  /**
   * Recurring jobs: sent at most once per this many seconds across all processes (pg-boss's
   * throttling by time slot), by a timer in each process that works jobs. Not a cron
   * schedule: pg-boss evaluates those through luxon and Intl, which maps ICU data into
   * every server for the sake of one hourly job.
   */
  everySeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Jobs of one queue run at most this many at a time in one process. */
  concurrency?: number;
}

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly definitions = new Map<string, JobDefinition<any>>();
  /** This process's workers by queue, woken when a job is sent here (instead of waiting for their poll). */
  private readonly workers = new Map<string, string[]>();
  private started = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly leases: JobLeases;
  /** Jobs running in this process, with what stops them. */
  private readonly running = new Map<string, AbortController>();

  constructor(
    database: Database,
    private readonly logger: Logger,
    options: { leaseMs?: number } = {},
  ) {
    // schedule: false: no cron schedules here (see JobDefinition.everySeconds).
    this.boss = new PgBoss({ connectionString: database.connectionString, max: database.kind === 'embedded' ? 2 : 4, schema: 'pgboss', schedule: false });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'job queue error'));
    this.leases = new JobLeases(database, options.leaseMs ?? DEFAULT_JOB_LEASE_MS);
  }

  /** How long a running job's lease lives without a heartbeat. */
  get leaseMs(): number {
    return this.leases.leaseMs;
  }

  define<T extends object>(definition: JobDefinition<T>): void {
    this.definitions.set(definition.name, definition);
  }

  /** Creates the queues and schedules; with `work` also starts consuming jobs in this process. */
  async start(options: { work: boolean }): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const definition of this.definitions.values()) {
      await this.boss.createQueue(definition.name, {
        name: definition.name,
        retryLimit: definition.retryLimit ?? 5,
        retryDelay: definition.retryDelaySeconds ?? 5,
        retryBackoff: true,
      });
      if (definition.everySeconds && options.work) this.repeat(definition.name, definition.everySeconds);
      if (options.work) {
        const concurrency = definition.concurrency ?? 1;
        for (let i = 0; i < concurrency; i++) {
          const workerId = await this.boss.work(definition.name, { pollingIntervalSeconds: 1, batchSize: 1, includeMetadata: true }, async ([job]) => {
            // Fetched while stopping: not run now (the database is about to close); pg-boss retries it later.
            if (!this.started) throw new Error('the process is stopping; the job will be retried');
            const log = this.logger.child({ job: definition.name, jobId: job.id });
            await this.leases.take(definition.name, job.id);
            const control = new AbortController();
            this.running.set(job.id, control);
            const heartbeat = setInterval(() => {
              this.leases.renew(job.id).then(
                (held) => {
                  if (held || control.signal.aborted) return;
                  log.warn('another worker took this job over (its lease ran out): stopping it here');
                  control.abort(new Error('the job was taken over by another worker'));
                },
                (error) => log.warn({ err: error }, 'could not renew the job\'s lease'),
              );
            }, this.leases.leaseMs / 3);
            log.debug('job started');
            try {
              await definition.handle(job.data as object, { id: job.id, retryCount: job.retryCount ?? 0, signal: control.signal });
              log.debug('job finished');
            } catch (error) {
              log.warn({ err: error }, 'job failed; pg-boss retries it');
              throw error;
            } finally {
              clearInterval(heartbeat);
              this.running.delete(job.id);
              await this.leases.release(job.id).catch((error) => log.warn({ err: error }, 'could not release the job\'s lease'));
            }
          });
          this.workers.set(definition.name, [...(this.workers.get(definition.name) ?? []), workerId]);
        }
      }
    }
    if (options.work) this.superviseLeases();
  }

  /** Every third of a lease: jobs whose worker died go back to the queue (at most once, whichever process sees them first). */
  private superviseLeases(): void {
    const queues = [...this.definitions.keys()];
    let checking = false;
    const check = async () => {
      if (checking || !this.started) return;
      checking = true;
      try {
        for (const job of await this.leases.stranded(queues)) {
          if (!this.started || !(await this.leases.claim(job))) continue;
          this.logger.warn({ job: job.queue, jobId: job.id }, 'the worker running this job is gone (its lease ran out): the job goes back to the queue');
          await this.boss.fail(job.queue, job.id, { message: 'the worker running the job stopped renewing its lease' });
          await this.leases.dropClaim(job.id);
        }
        await this.leases.sweep();
      } catch (error) {
        if (this.started) this.logger.warn({ err: error }, 'could not check the running jobs\' leases');
      } finally {
        checking = false;
      }
    };
    const timer = setInterval(() => void check(), this.leases.leaseMs / 3);
    timer.unref();
    this.timers.push(timer);
  }

  async send<T extends object>(name: string, data: T, options: PgBoss.SendOptions = {}): Promise<string | null> {
    if (!this.definitions.has(name)) throw new Error(`unknown job ${name}`);
    const id = await this.boss.send(name, data, options);
    // A job due now is picked up at once by a worker of this process, not at its next poll
    // (up to a second later); workers elsewhere still find it by polling.
    if (id && !options.startAfter) for (const workerId of this.workers.get(name) ?? []) this.boss.notifyWorker(workerId);
    return id;
  }

  /** Sends the job now and then every tenth of its period; the time slot lets one of them through per period. */
  private repeat(name: string, everySeconds: number): void {
    const sendThrottled = () =>
      this.boss.send(name, {}, { singletonSeconds: everySeconds }).catch((error) => this.logger.warn({ err: error, job: name }, 'recurring job not sent'));
    void sendThrottled();
    const timer = setInterval(sendThrottled, (everySeconds * 1000) / 10);
    timer.unref();
    this.timers.push(timer);
  }

  async getJob(name: string, id: string) {
    return this.boss.getJobById(name, id);
  }

  /** Waits for running jobs to finish (up to the timeout), then stops. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.workers.clear();
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    // Jobs still running past the timeout: told to stop; their leases run out and another worker takes them.
    for (const control of this.running.values()) control.abort(new Error('the process stopped'));
  }
}
