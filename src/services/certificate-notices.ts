// Telling people what happens to a certificate: expiry notices 30, 14, 7 and 1 days before
// the end (each once per certificate, kept for the employee's card page), revocations and
// renewals. Every notice goes out through `sendCertificateNotice`, the one place a notice is
// delivered: as webhook deliveries (job `webhooks.deliver`) and, for expiry, as e-mail to the
// owner (the mail outbox, notifications.ts), both recorded in one transaction.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { certificateNotices, employeeCertificates } from '../store/schema/index.ts';
import type { CertificateEvent, WebhooksService } from './webhooks.ts';
import type { NotificationsService } from './notifications.ts';

/** Days before the end of validity when a notice is sent. */
export const EXPIRY_NOTICE_DAYS = [30, 14, 7, 1] as const;

/** Queues the delivery of recorded webhook deliveries (the job queue, wired by the composition root). */
export type DeliveryScheduler = (deliveryIds: string[]) => Promise<void>;

export interface CardNotice {
  certificateId: string;
  thumbprint: string;
  daysBefore: number;
  validTo: Date;
  createdAt: Date;
}

/** The threshold a certificate has reached with `daysLeft` whole days left (the smallest one not above it), if any. */
export function noticeThreshold(daysLeft: number): number | undefined {
  return [...EXPIRY_NOTICE_DAYS].reverse().find((days) => daysLeft <= days);
}

export class CertificateNotices {
  private schedule: DeliveryScheduler = async () => undefined;

  constructor(
    private readonly db: Db,
    private readonly webhooks: WebhooksService,
    private readonly mail?: NotificationsService,
  ) {}

  useScheduler(scheduler: DeliveryScheduler): void {
    this.schedule = scheduler;
  }

  /**
   * The one function every certificate notice goes through: webhooks now (recorded once per
   * event key, so a repeated call sends nothing twice). E-mail notifications belong here too.
   */
  async sendCertificateNotice(eventKey: string, event: CertificateEvent): Promise<void> {
    let mails: string[] = [];
    const ids = await this.db.transaction(async (tx) => {
      const deliveries = await this.webhooks.enqueue(tx, eventKey, event);
      if (this.mail && event.type === 'certificate.expiring' && event.daysLeft !== undefined) {
        const [card] = await tx
          .select({ thumbprint: employeeCertificates.thumbprint, serialNumber: employeeCertificates.serialNumber, validFrom: employeeCertificates.validFrom, validTo: employeeCertificates.validTo })
          .from(employeeCertificates)
          .where(eq(employeeCertificates.id, event.certificateId));
        if (card) mails = await this.mail.certificateExpiring({ employeeId: event.employeeId, certificate: card, daysLeft: event.daysLeft }, tx);
      }
      return deliveries;
    });
    if (ids.length) await this.schedule(ids);
    if (mails.length) await this.mail?.dispatch(mails);
  }

  /**
   * The expiry notice of a threshold, once per certificate and threshold: the row decides who
   * sends it when several workers reconcile at once. A certificate that already passed a smaller
   * threshold does not get the larger ones late.
   */
  async noticeExpiry(certificate: { id: string; employeeId: string; thumbprint: string; validTo: Date; issueId: string | null }, now = new Date()): Promise<number | undefined> {
    const daysLeft = Math.ceil((certificate.validTo.getTime() - now.getTime()) / 86_400_000);
    if (daysLeft <= 0) return undefined;
    const threshold = noticeThreshold(daysLeft);
    if (threshold === undefined) return undefined;
    const [row] = await this.db
      .insert(certificateNotices)
      .values({ certificateId: certificate.id, daysBefore: threshold, validTo: certificate.validTo })
      .onConflictDoNothing()
      .returning();
    if (!row) return undefined;
    await this.sendCertificateNotice(`certificate:${certificate.id}:expiring:${threshold}`, {
      type: 'certificate.expiring',
      certificateId: certificate.id,
      employeeId: certificate.employeeId,
      thumbprint: certificate.thumbprint,
      validTo: certificate.validTo.toISOString(),
      issueId: certificate.issueId,
      daysLeft,
      at: now.toISOString(),
    });
    return threshold;
  }

  /** The notices of an employee's certificates, newest first (the card page shows them). */
  async ofEmployee(employeeId: string): Promise<CardNotice[]> {
    const certificates = await this.db.select({ id: employeeCertificates.id, thumbprint: employeeCertificates.thumbprint }).from(employeeCertificates).where(eq(employeeCertificates.employeeId, employeeId));
    if (!certificates.length) return [];
    const thumbprints = new Map(certificates.map((c) => [c.id, c.thumbprint]));
    const rows = await this.db
      .select()
      .from(certificateNotices)
      .where(and(inArray(certificateNotices.certificateId, [...thumbprints.keys()])))
      .orderBy(desc(certificateNotices.createdAt));
    return rows.map((row) => ({ certificateId: row.certificateId, thumbprint: thumbprints.get(row.certificateId)!, daysBefore: row.daysBefore, validTo: row.validTo, createdAt: row.createdAt }));
  }
}
