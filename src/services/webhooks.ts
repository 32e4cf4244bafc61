// Webhooks: URLs the bridge tells about issue events. Each body is signed with HMAC-SHA256
// under the webhook's secret: header X-KCA-Signature: sha256=<hex of HMAC(secret, timestamp + "." + body)>,
// with X-KCA-Timestamp, so a receiver can check origin and freshness. Deliveries are recorded
// once per (webhook, event) and sent by a retried job; one issue's deliveries to one webhook go
// out in the order they were recorded (the feed's order): a delivery waits while an earlier one
// of the same issue is pending, and the end of each (delivered or given up) sends the next.
import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { webhookDeliveries, webhooks } from '../store/schema/index.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { HttpTransport } from '../kontur/http-transport.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { IssueNotification } from './issue-notifications.ts';

export type Webhook = Omit<typeof webhooks.$inferSelect, 'secretSealed'>;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const WEBHOOK_EVENTS = [
  'issue.created',
  'issue.changed',
  'issue.statusChanged',
  'issue.deleted',
  'issue.certificateAttached',
  'certificate.expiring',
  'certificate.revoked',
  'certificate.renewed',
] as const;

/** What happened to a certificate in a card (certificate-notices.ts). */
export interface CertificateEvent {
  type: 'certificate.expiring' | 'certificate.revoked' | 'certificate.renewed';
  certificateId: string;
  employeeId: string;
  thumbprint: string;
  validTo: string;
  /** The KCR issue the certificate came from (deliveries of one issue go out in order). */
  issueId: string | null;
  /** certificate.expiring: whole days left (30, 14, 7, 1). */
  daysLeft?: number;
  /** certificate.renewed: the new certificate. */
  replacedByThumbprint?: string;
  at: string;
}
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_RETRY_LIMIT = 8;

const SECRET_AAD = 'webhook-secret';

function checkUrl(raw: unknown): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new ValidationError([{ field: 'url', message: 'Неверный адрес: ожидается https://…' }]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ValidationError([{ field: 'url', message: 'Адрес должен начинаться с https:// или http://' }]);
  return url.href;
}

function checkEvents(raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((e) => !(WEBHOOK_EVENTS as readonly unknown[]).includes(e))) {
    throw new ValidationError([{ field: 'events', message: `Допустимые события: ${WEBHOOK_EVENTS.join(', ')}` }]);
  }
  return [...new Set(raw as string[])];
}

export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhooksService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
    private readonly http: HttpTransport,
  ) {}

  private view(row: typeof webhooks.$inferSelect): Webhook {
    const { secretSealed: _secret, ...rest } = row;
    return rest;
  }

  async list(): Promise<Webhook[]> {
    return (await this.db.select().from(webhooks).orderBy(asc(webhooks.createdAt))).map((row) => this.view(row));
  }

  /** The secret is shown once, in this answer. */
  async create(actor: Actor, input: { url: string; events?: string[]; secret?: string }): Promise<Webhook & { secret: string }> {
    const url = checkUrl(input.url);
    const events = checkEvents(input.events);
    const secret = input.secret ?? randomBytes(24).toString('base64url');
    if (secret.length < 16) throw new ValidationError([{ field: 'secret', message: 'Секрет не короче 16 символов' }]);
    const [row] = await this.db.insert(webhooks).values({ url, events, secretSealed: this.secrets.seal(secret, SECRET_AAD), createdBy: actor.name }).returning();
    await this.audit.record(actor, { action: 'createWebhook', targetType: 'webhook', targetId: row.id, details: { url, events } });
    return { ...this.view(row), secret };
  }

  async update(actor: Actor, id: string, input: { url?: string; events?: string[]; active?: boolean }): Promise<Webhook> {
    const change: Partial<typeof webhooks.$inferInsert> = { updatedAt: new Date() };
    if (input.url !== undefined) change.url = checkUrl(input.url);
    if (input.events !== undefined) change.events = checkEvents(input.events);
    if (input.active !== undefined) change.active = input.active;
    const [row] = await this.db.update(webhooks).set(change).where(eq(webhooks.id, id)).returning();
    if (!row) throw new NotFoundError('Вебхук не найден');
    await this.audit.record(actor, { action: 'updateWebhook', targetType: 'webhook', targetId: id, details: { url: row.url, events: row.events, active: row.active } });
    return this.view(row);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const [row] = await this.db.delete(webhooks).where(eq(webhooks.id, id)).returning();
    if (!row) throw new NotFoundError('Вебхук не найден');
    await this.audit.record(actor, { action: 'deleteWebhook', targetType: 'webhook', targetId: id });
  }

  async deliveries(id: string, limit = 100): Promise<WebhookDelivery[]> {
    const [row] = await this.db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, id));
    if (!row) throw new NotFoundError('Вебхук не найден');
    return this.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)).orderBy(desc(webhookDeliveries.createdAt)).limit(limit);
  }

  /** Records a delivery per interested webhook, once per event key; returns the new delivery ids. */
  async enqueue(tx: Tx, eventKey: string, notification: IssueNotification | CertificateEvent): Promise<string[]> {
    const hooks = await tx.select().from(webhooks).where(eq(webhooks.active, true));
    const ids: string[] = [];
    for (const hook of hooks) {
      if (hook.events.length && !hook.events.includes(notification.type)) continue;
      const [row] = await tx
        .insert(webhookDeliveries)
        .values({ webhookId: hook.id, eventKey, eventType: notification.type, issueId: notification.issueId, payload: { ...notification, eventKey } })
        .onConflictDoNothing()
        .returning({ id: webhookDeliveries.id });
      if (row) ids.push(row.id);
    }
    return ids;
  }

  /** Deliveries recorded but never tried (their job was lost with a crashed process). */
  async forgotten(olderThanMs: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.state, 'pending'), eq(webhookDeliveries.attempts, 0), lt(webhookDeliveries.createdAt, new Date(Date.now() - olderThanMs))))
      .limit(100);
    return rows.map((row) => row.id);
  }

  /** The first pending delivery of the same webhook and issue, in recording order. */
  private async firstPending(db: Db | Tx, delivery: WebhookDelivery): Promise<WebhookDelivery | undefined> {
    if (!delivery.issueId) return undefined;
    const [first] = await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.webhookId, delivery.webhookId), eq(webhookDeliveries.issueId, delivery.issueId), eq(webhookDeliveries.state, 'pending')))
      .orderBy(asc(webhookDeliveries.sequence))
      .limit(1);
    return first;
  }

  /**
   * Sends one delivery; throws to have the job retried. Returns the delivery to send next (the
   * same issue's following one, which waited for this one), if any. The delivery's row stays
   * locked while it is sent, so two jobs for one delivery never both send it.
   */
  async deliver(deliveryId: string, retryCount: number): Promise<{ next?: string }> {
    const outcome = await this.db.transaction(async (tx): Promise<{ next?: string; failure?: string }> => {
      const [delivery] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).for('update', { skipLocked: true });
      // Gone, already ended, or being sent by another job right now.
      if (!delivery || delivery.state !== 'pending') return {};
      const [hook] = await tx.select().from(webhooks).where(eq(webhooks.id, delivery.webhookId));
      if (!hook || !hook.active) return {};
      // An earlier delivery of this issue is still pending: this one goes out after it (its end sends this one).
      const first = await this.firstPending(tx, delivery);
      if (first && first.id !== delivery.id) return {};
      const body = JSON.stringify({ id: delivery.id, ...delivery.payload });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const secret = this.secrets.open(hook.secretSealed, SECRET_AAD).toString('utf8');
      let status: number | null = null;
      let error: string | null = null;
      try {
        // Redirects are not followed: the receiver's address is the one the administrator entered.
        const target = new URL(hook.url);
        const response = await this.http.request({
          method: 'POST',
          baseUrl: target.origin + '/',
          path: target.pathname + target.search,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'kontur-ca-bridge-webhooks',
            'x-kca-event': delivery.eventType,
            'x-kca-delivery': delivery.id,
            'x-kca-timestamp': timestamp,
            'x-kca-signature': signWebhookBody(secret, timestamp, body),
          },
          body,
          timeoutMs: WEBHOOK_TIMEOUT_MS,
          // The job retries with its own backoff; one attempt per run here.
          repeatable: false,
          once: true,
          operation: 'webhook.deliver',
        });
        status = response.status;
        if (status < 200 || status > 299) error = `HTTP ${status}`;
      } catch (failure) {
        error = (failure as Error).message;
      }
      const last = retryCount >= WEBHOOK_RETRY_LIMIT;
      await tx
        .update(webhookDeliveries)
        .set({
          attempts: delivery.attempts + 1,
          lastStatus: status,
          lastError: error,
          state: error ? (last ? 'failed' : 'pending') : 'delivered',
          deliveredAt: error ? null : new Date(),
          updatedAt: new Date(),
        })
        .where(eq(webhookDeliveries.id, deliveryId));
      if (error && !last) return { failure: error };
      const next = await this.firstPending(tx, delivery);
      return next ? { next: next.id } : {};
    });
    if (outcome.failure) throw new Error(`webhook delivery failed: ${outcome.failure}`);
    return outcome.next ? { next: outcome.next } : {};
  }
}
