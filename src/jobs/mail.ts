// The mail job: sends one outbox mail, retried with backoff by pg-boss (MAIL_RETRY_LIMIT tries,
// then the mail is marked failed with its last error). A recurring sweep hands mails whose job
// was lost (a process that died between recording and sending the job) to the job again.
import type { JobDefinition, JobQueue } from './queue.ts';
import { MAIL_RETRY_LIMIT, type NotificationsService } from '../services/notifications.ts';

export const MAIL_SEND_JOB = 'mail.send';

export function mailSendJob(notifications: NotificationsService): JobDefinition<{ mailId: string }> {
  return {
    name: MAIL_SEND_JOB,
    retryLimit: MAIL_RETRY_LIMIT,
    retryDelaySeconds: 5,
    concurrency: 2,
    async handle(data, job) {
      await notifications.deliver(data.mailId, job.retryCount);
    },
  };
}

/** How the notifications service hands recorded mails to the job. */
export function mailDispatcher(jobs: JobQueue): (ids: string[]) => Promise<void> {
  return async (ids) => {
    for (const id of ids) await jobs.send(MAIL_SEND_JOB, { mailId: id }, { singletonKey: id });
  };
}

export function mailSweepJob(notifications: NotificationsService, jobs: JobQueue): JobDefinition {
  return {
    name: 'mail.sweep',
    everySeconds: 60,
    async handle() {
      await mailDispatcher(jobs)(await notifications.forgotten(60_000));
    },
  };
}
