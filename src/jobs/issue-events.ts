// Keeps the issue mirror current from Kontur's event feed. One poller is active across all
// processes: the cursor row carries a lease (owner + expiry) that a process renews while it
// polls and others take over only once it expired. The cursor moves only after an event batch
// was applied, and applying is idempotent (state from Kontur, one history row and one webhook
// delivery per status event, keyed by the event's id, certificates unique per employee), so a
// crash between the two re-applies at most one batch with no double effects. Every status the
// feed reports is recorded, in the feed's order, even when several arrive in one batch. Follow-up work: webhook deliveries
// (job `webhooks.deliver`, retried by pg-boss), server-sent events, and for released issues the
// certificate goes into the employee card.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../store/db.ts';
import { issueEventCursor } from '../store/schema/index.ts';
import type { KcrClient } from '../kontur/kcr-client.ts';
import { KcrNotFoundError } from '../kontur/kcr-errors.ts';
import type { KcrIssue, KcrIssueEvent } from '../kontur/kcr-types.ts';
import type { IssuesService } from '../services/issues.ts';
import type { IssueNotification } from '../services/issue-notifications.ts';
import { WEBHOOK_RETRY_LIMIT, type WebhooksService } from '../services/webhooks.ts';
import { SYSTEM_ACTOR } from '../services/actor.ts';
import type { NotificationsService } from '../services/notifications.ts';
import type { JobDefinition, JobQueue } from './queue.ts';
import { withDeadline } from '../kontur/deadline.ts';

const CURSOR = 'kcr-issue-events';
const BATCH = 100;
const LEASE_MS = 15_000;
const CERTIFICATE_ATTEMPTS = 10;

export const WEBHOOK_DELIVERY_JOB = 'webhooks.deliver';

export function webhookDeliveryJob(webhooks: WebhooksService, jobs: JobQueue): JobDefinition<{ deliveryId: string }> {
  return {
    name: WEBHOOK_DELIVERY_JOB,
    retryLimit: WEBHOOK_RETRY_LIMIT,
    retryDelaySeconds: 2,
    concurrency: 2,
    async handle(data, job) {
      const { next } = await webhooks.deliver(data.deliveryId, job.retryCount);
      // The same issue's next delivery waited for this one.
      if (next) await jobs.send(WEBHOOK_DELIVERY_JOB, { deliveryId: next }, { singletonKey: `${next}:after:${data.deliveryId}` });
    },
  };
}

export class IssueEventPoller {
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly database: Database,
    private readonly kcr: KcrClient,
    private readonly issues: IssuesService,
    private readonly webhooks: WebhooksService,
    /** E-mail notices (an issue returned for correction), recorded with the status that causes them. */
    private readonly mail: NotificationsService,
    private readonly jobs: JobQueue,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    /** The deadline of one round's calls to Kontur (KONTUR_DEADLINE_MS). */
    private readonly deadlineMs = 60_000,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pollOnce()
        .then(() => undefined)
        .catch((error) => this.logger.warn({ err: error }, 'issue event poll failed; will retry'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    // Let another process take over at once.
    await this.database.db
      .update(issueEventCursor)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(issueEventCursor.name, CURSOR), eq(issueEventCursor.leaseOwner, this.owner)))
      .catch(() => undefined);
  }

  /** One round: take or renew the lease, apply new events, then the certificate follow-ups. */
  async pollOnce(): Promise<{ applied: number } | undefined> {
    const cursor = await this.lease();
    if (!cursor) return undefined;
    let lastId = cursor.lastEventId ?? undefined;
    let applied = 0;
    for (let round = 0; round < 20 && !this.stopped; round++) {
      // One deadline per page: reading it and the issues it mentions.
      const page = await withDeadline(this.deadlineMs, async () => {
        const read = await this.kcr.issueEvents(lastId, BATCH);
        if (read.events.length > 0) await this.applyBatch(read.events);
        return read;
      });
      if (page.events.length === 0) break;
      applied += page.events.length;
      const [moved] = await this.database.db
        .update(issueEventCursor)
        .set({ lastEventId: page.lastId, leaseUntil: new Date(Date.now() + LEASE_MS), updatedAt: new Date() })
        .where(and(eq(issueEventCursor.name, CURSOR), eq(issueEventCursor.leaseOwner, this.owner)))
        .returning();
      if (!moved) return { applied }; // the lease was lost: the new holder goes on from the stored cursor
      lastId = page.lastId;
      if (page.events.length < BATCH) break;
    }
    await this.attachReleasedCertificates();
    await this.resendForgottenDeliveries();
    return { applied };
  }

  private async lease() {
    const db = this.database.db;
    await db.insert(issueEventCursor).values({ name: CURSOR }).onConflictDoNothing();
    const [row] = await db
      .update(issueEventCursor)
      .set({ leaseOwner: this.owner, leaseUntil: new Date(Date.now() + LEASE_MS) })
      .where(
        and(
          eq(issueEventCursor.name, CURSOR),
          or(isNull(issueEventCursor.leaseOwner), eq(issueEventCursor.leaseOwner, this.owner), lt(issueEventCursor.leaseUntil, sql`now()`)),
        ),
      )
      .returning();
    return row;
  }

  /**
   * Applies events: one read of each mentioned issue the mirror knows (its current state), then
   * one transaction per issue that records, in the feed's order, every status its events report
   * (each once, keyed by the event id) with one webhook delivery and one notification each.
   * Events that carry no status (a feed that leaves it out) count as the status read now.
   */
  private async applyBatch(events: KcrIssueEvent[]): Promise<void> {
    const byIssue = new Map<string, KcrIssueEvent[]>();
    for (const event of events) byIssue.set(event.issueId, [...(byIssue.get(event.issueId) ?? []), event]);
    for (const [issueId, issueEvents] of byIssue) {
      const known = await this.issues.mirror.find(issueId);
      if (!known) continue;
      let issue: KcrIssue | undefined;
      try {
        issue = await this.kcr.getIssue(issueId);
      } catch (error) {
        if (!(error instanceof KcrNotFoundError)) throw error;
      }
      const last = issueEvents[issueEvents.length - 1];
      const notifications: { key: string; notification: IssueNotification }[] = [];
      const mails: string[] = [];
      const deliveries = await this.database.db.transaction(async (tx) => {
        // Locks the issue's row first, so that two appliers of one batch take turns.
        const change = issue ? await this.issues.mirror.applyState(tx, issue) : undefined;
        for (const event of issueEvents) {
          const status = event.status ?? (event === last ? issue?.status : undefined);
          if (!status) continue;
          // What the read says about the status it saw (operator's remarks, SMEV results) belongs to that status only.
          const details =
            issue && status === issue.status && event === last
              ? {
                  ...(issue.correctionInfo ? { correctionInfo: issue.correctionInfo } : {}),
                  ...(issue.smevValidations?.length ? { smevValidations: issue.smevValidations } : {}),
                }
              : undefined;
          const recorded = await this.issues.mirror.recordFeedStatus(tx, issueId, event.id, status, details);
          if (!recorded) continue;
          if (recorded.to === 'correction') {
            // The remarks are those of the issue as read now, when it is still in correction.
            const correction = issue?.status === 'correction' ? issue.correctionInfo : null;
            mails.push(
              ...(await this.mail.issueReturnedForCorrection(
                { issueId, employeeId: known.employeeId, createdBy: known.createdBy, comment: correction?.comment || undefined, remarks: correction?.remarks ?? [], eventKey: `kcr:${event.id}` },
                tx,
              )),
            );
          }
          notifications.push({
            key: `kcr:${event.id}`,
            notification: {
              type: 'issue.statusChanged',
              issueId,
              employeeId: known.employeeId,
              status: recorded.to,
              previousStatus: recorded.from,
              ...(change ? { actualized: change.after.actualized } : {}),
              kcrEventId: event.id,
              at: event.createdAt ?? new Date().toISOString(),
            },
          });
        }
        if (!issue) {
          const row = await this.issues.mirror.markDeleted(tx, issueId, 'kontur');
          if (row) notifications.push({ key: `kcr:${last.id}`, notification: { type: 'issue.deleted', issueId, employeeId: row.employeeId, status: row.status, kcrEventId: last.id, at: new Date().toISOString() } });
        } else if (change && change.before.version !== change.after.version && notifications.length === 0) {
          notifications.push({
            key: `kcr:${last.id}`,
            notification: {
              type: 'issue.changed',
              issueId,
              employeeId: change.after.employeeId,
              status: change.after.status,
              previousStatus: change.before.status,
              actualized: change.after.actualized,
              kcrEventId: last.id,
              at: new Date().toISOString(),
            },
          });
        }
        const ids: string[] = [];
        for (const { key, notification } of notifications) ids.push(...(await this.webhooks.enqueue(tx, key, notification)));
        return ids;
      });
      await this.afterCommit(notifications.map((n) => n.notification), deliveries);
      await this.mail.dispatch(mails);
    }
  }

  private async afterCommit(notifications: IssueNotification[], deliveries: string[]): Promise<void> {
    for (const id of deliveries) await this.jobs.send(WEBHOOK_DELIVERY_JOB, { deliveryId: id }, { singletonKey: id });
    for (const notification of notifications) {
      await this.issues.notifications.publish(notification);
    }
  }

  /** Released issues of known employees: the certificate goes into the card without anyone asking. */
  private async attachReleasedCertificates(): Promise<void> {
    for (const issue of await this.issues.mirror.awaitingCertificate(CERTIFICATE_ATTEMPTS)) {
      const result = await this.issues.downloadCertificateAndAssignToEmployee(SYSTEM_ACTOR, issue.id);
      if (result.success) {
        const notification: IssueNotification = { type: 'issue.certificateAttached', issueId: issue.id, employeeId: issue.employeeId, status: 'released', thumbprint: result.data.thumbprint, at: new Date().toISOString() };
        const deliveries = await this.database.db.transaction((tx) => this.webhooks.enqueue(tx, `certificate:${issue.id}:${result.data.thumbprint}`, notification));
        for (const id of deliveries) await this.jobs.send(WEBHOOK_DELIVERY_JOB, { deliveryId: id }, { singletonKey: id });
      } else {
        await this.issues.mirror.setCertificate(issue.id, { thumbprint: null, error: result.message });
        this.logger.warn({ issueId: issue.id, error: result.message }, 'could not attach the released certificate yet');
      }
    }
  }

  private async resendForgottenDeliveries(): Promise<void> {
    for (const id of await this.webhooks.forgotten(60_000)) await this.jobs.send(WEBHOOK_DELIVERY_JOB, { deliveryId: id }, { singletonKey: id });
  }
}
