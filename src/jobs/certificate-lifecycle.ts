// The certificate lifecycle's reconciler: every CERTIFICATE_RECONCILE_SECONDS one worker (pg-boss
// hands each run to one) sends the expiry notices due, starts the renewals that became due and
// advances those in progress. A run is idempotent, and safe alongside another one: a renewal's
// row is unique per certificate and each step is taken under its lease (certificate-renewals.ts).
import type { JobDefinition, JobQueue } from './queue.ts';
import type { CertificateRenewals } from '../services/certificate-renewals.ts';
import type { CertificateNotices } from '../services/certificate-notices.ts';
import { WEBHOOK_DELIVERY_JOB } from './issue-events.ts';

export const CERTIFICATE_RECONCILE_JOB = 'certificates.reconcile';

export function reconcileCertificatesJob(renewals: CertificateRenewals, everySeconds: number): JobDefinition {
  return {
    name: CERTIFICATE_RECONCILE_JOB,
    everySeconds,
    async handle() {
      await renewals.reconcile();
    },
  };
}

/** Lets the notices queue webhook deliveries. */
export function noticeDeliveryScheduler(jobs: JobQueue): Parameters<CertificateNotices['useScheduler']>[0] {
  return async (ids) => {
    for (const id of ids) await jobs.send(WEBHOOK_DELIVERY_JOB, { deliveryId: id }, { singletonKey: id });
  };
}
