// Leases of running background jobs. A worker holds one per job it runs and renews it (a
// heartbeat) while the job runs; a job whose lease ran out belongs to a worker that died or
// lost the database, and any other worker hands it back to the queue (src/jobs/job-leases.ts).
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const jobLeases = pgTable(
  'job_leases',
  {
    /** pg-boss's job id. */
    jobId: uuid('job_id').primaryKey(),
    queue: text('queue').notNull(),
    /** The process (a random id per JobQueue) that runs the job, or `takeover:<id>` while one hands it back. */
    owner: text('owner').notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_leases_until_idx').on(t.leaseUntil)],
);
