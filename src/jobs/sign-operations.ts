// The job that finishes a confirmed cloud signing operation (fetch, verify, attach). A pass
// that finds Kontur still working sends the job again a second later instead of holding a
// worker; outages throw, and pg-boss retries with backoff.
import type { JobDefinition, JobQueue } from './queue.ts';
import { FINISH_JOB, type SigningService } from '../services/signing.ts';

export function signingFinishJob(signing: SigningService, jobs: JobQueue): JobDefinition<{ operationId: string }> {
  return {
    name: FINISH_JOB,
    retryLimit: 30,
    retryDelaySeconds: 2,
    concurrency: 2,
    async handle(data, job) {
      const outcome = await signing.finish(data.operationId, undefined, job.signal);
      if (outcome === 'later') await jobs.send(FINISH_JOB, data, { startAfter: 1 });
      // Another pass holds the operation: look again when its lease would have run out, so that
      // an operation whose finisher died is never left without a job.
      if (outcome === 'held') await jobs.send(FINISH_JOB, data, { startAfter: Math.ceil(signing.leaseMs / 1000) });
    },
  };
}

/** Lets the signing service queue finishing jobs. */
export function finishScheduler(jobs: JobQueue) {
  return async (operationId: string, startAfterSeconds = 0): Promise<void> => {
    await jobs.send(FINISH_JOB, { operationId }, startAfterSeconds > 0 ? { startAfter: startAfterSeconds } : {});
  };
}
