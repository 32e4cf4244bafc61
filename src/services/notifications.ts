// E-mail notifications: one function per kind of notice (an issue returned for correction, a
// certificate released, a signing operation waiting for its SMS code, a certificate expiring).
// Each finds its recipients — users with an address (the e-mail of their employee card) who did
// not switch notices off — and records one mail per recipient in the outbox, in the caller's
// transaction when it has one; the mail job sends them with retries (jobs/mail.ts). Nothing here
// waits for an SMTP server: a request that causes a notice only writes a row.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../store/db.ts';
import { employees, mailOutbox, users, type MailKind, type MailState } from '../store/schema/index.ts';
import { fullName } from '../domain/employee.ts';
import { checkEmail } from '../domain/identifiers.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import { NotFoundError, ServiceError, ValidationError } from './errors.ts';
import type { MailSettingsService } from './mail-settings.ts';
import type { MailTransport } from './mail-transport.ts';
import { certificateExpiringMail, certificateReleasedMail, issueCorrectionMail, signingCodeWaitingMail, testMail, type MailContent, type Remark } from './mail-templates.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Writer = Db | Tx;

/** How many times the mail job tries one mail before it is marked failed (with pg-boss's backoff: about five minutes). */
export const MAIL_RETRY_LIMIT = 6;

export type OutboxMail = Omit<typeof mailOutbox.$inferSelect, 'html' | 'text'>;

interface Recipient {
  userId: string;
  name: string;
  address: string;
  /** The recipient is the employee the notice is about (not a colleague who handles it). */
  isSubject: boolean;
}

export interface CertificateFacts {
  thumbprint: string;
  serialNumber: string;
  validFrom: Date;
  validTo: Date;
}

export class NotificationsService {
  private webAddress: string | undefined;
  private dispatcher: ((ids: string[]) => Promise<void>) | undefined;

  constructor(
    private readonly db: Db,
    private readonly mailSettings: MailSettingsService,
    private readonly transport: MailTransport,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    /** Where the web client is, for links in the mails (PUBLIC_URL); else the address the server listens on. */
    private readonly publicUrl: string | undefined,
  ) {}

  /** The address the HTTP server listens on: the links' base when PUBLIC_URL is not set. */
  useWebAddress(url: string): void {
    this.webAddress ??= url;
  }

  /** How recorded mails reach the mail job (set by the server once the job queue exists). */
  useDispatcher(dispatch: (ids: string[]) => Promise<void>): void {
    this.dispatcher = dispatch;
  }

  private link(path: string): string | undefined {
    const base = this.publicUrl ?? this.webAddress;
    return base ? `${base.replace(/\/+$/, '')}${path}` : undefined;
  }

  /** Hands recorded mails to the mail job (after the transaction that recorded them committed). */
  async dispatch(ids: string[]): Promise<void> {
    if (!ids.length || !this.dispatcher) return;
    await this.dispatcher(ids).catch((error) => this.logger.warn({ err: error, mails: ids }, 'could not hand mails to the mail job; the sweep will'));
  }

  // ---- recipients ----------------------------------------------------------------------

  private recipientsQuery(db: Writer) {
    return db
      .select({ userId: users.id, displayName: users.displayName, subscribed: users.mailNotifications, disabled: users.disabled, employeeId: users.employeeId, email: employees.email, lastName: employees.lastName, firstName: employees.firstName, middleName: employees.middleName })
      .from(users)
      .innerJoin(employees, eq(users.employeeId, employees.id));
  }

  private toRecipients(rows: Awaited<ReturnType<NotificationsService['recipientsQuery']>>, subjectEmployeeId: string | null): Recipient[] {
    return rows
      .filter((row) => row.subscribed && !row.disabled && row.email)
      .map((row) => ({ userId: row.userId, name: [row.firstName, row.middleName].filter(Boolean).join(' '), address: row.email!, isSubject: row.employeeId === subjectEmployeeId }));
  }

  /** The users acting as the employee (role employee, or anyone linked to the card). */
  private async usersOfEmployee(db: Writer, employeeId: string): Promise<Recipient[]> {
    return this.toRecipients(await this.recipientsQuery(db).where(eq(users.employeeId, employeeId)), employeeId);
  }

  private async userByName(db: Writer, username: string, subjectEmployeeId: string | null): Promise<Recipient[]> {
    return this.toRecipients(await this.recipientsQuery(db).where(eq(users.username, username)), subjectEmployeeId);
  }

  private unique(recipients: Recipient[]): Recipient[] {
    const seen = new Set<string>();
    return recipients.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
  }

  private async employeeName(db: Writer, employeeId: string): Promise<string> {
    const [row] = await db.select().from(employees).where(eq(employees.id, employeeId));
    return row ? fullName(row) : 'сотрудник';
  }

  /**
   * Records one mail per recipient (once per event key and user). Without mail settings nothing is
   * recorded: notices are off until an SMTP server is set (or the sandbox's catcher runs here).
   */
  private async record(db: Writer, kind: MailKind, eventKey: string, recipients: Recipient[], content: (recipient: Recipient) => MailContent): Promise<string[]> {
    if (!recipients.length) return [];
    if (!(await this.mailSettings.smtp())) {
      this.logger.debug({ kind, eventKey }, 'mail is not configured: notice not recorded');
      return [];
    }
    const ids: string[] = [];
    for (const recipient of recipients) {
      const mail = content(recipient);
      const [row] = await db
        .insert(mailOutbox)
        .values({ dedupeKey: `${kind}:${eventKey}:${recipient.userId}`, kind, userId: recipient.userId, recipient: recipient.address, subject: mail.subject, text: mail.text, html: mail.html })
        .onConflictDoNothing()
        .returning({ id: mailOutbox.id });
      if (row) ids.push(row.id);
    }
    return ids;
  }

  /** Runs `work` in the caller's transaction (the caller dispatches after commit), or alone and dispatches. */
  private async recordAndDispatch(tx: Tx | undefined, work: (db: Writer) => Promise<string[]>): Promise<string[]> {
    if (tx) return work(tx);
    const ids = await work(this.db);
    await this.dispatch(ids);
    return ids;
  }

  // ---- the notices -----------------------------------------------------------------------

  /** The CA operator returned an issue for correction: the HR officer who created it and the applicant, with the remarks. */
  issueReturnedForCorrection(
    input: { issueId: string; employeeId: string | null; createdBy: string | null; comment?: string; remarks: Remark[]; eventKey: string },
    tx?: Tx,
  ): Promise<string[]> {
    return this.recordAndDispatch(tx, async (db) => {
      const recipients = this.unique([
        ...(input.createdBy ? await this.userByName(db, input.createdBy, input.employeeId) : []),
        ...(input.employeeId ? await this.usersOfEmployee(db, input.employeeId) : []),
      ]);
      const applicantName = input.employeeId ? await this.employeeName(db, input.employeeId) : 'заявитель';
      return this.record(db, 'issueCorrection', input.eventKey, recipients, (recipient) =>
        issueCorrectionMail({
          recipientName: recipient.name,
          applicantName,
          comment: input.comment,
          remarks: input.remarks,
          forApplicant: recipient.isSubject,
          issueUrl: this.link(recipient.isSubject ? '/my/issues' : `/issues/${input.issueId}`),
        }),
      );
    });
  }

  /** A released certificate went into the employee card: the employee, and who asked for it. */
  certificateReleased(input: { issueId: string | null; employeeId: string; createdBy: string | null; certificate: CertificateFacts }, tx?: Tx): Promise<string[]> {
    return this.recordAndDispatch(tx, async (db) => {
      const recipients = this.unique([...(await this.usersOfEmployee(db, input.employeeId)), ...(input.createdBy ? await this.userByName(db, input.createdBy, input.employeeId) : [])]);
      const applicantName = await this.employeeName(db, input.employeeId);
      return this.record(db, 'certificateReleased', `${input.issueId ?? input.employeeId}:${input.certificate.thumbprint}`, recipients, (recipient) =>
        certificateReleasedMail({
          recipientName: recipient.name,
          applicantName,
          serialNumber: input.certificate.serialNumber,
          validFrom: input.certificate.validFrom,
          validTo: input.certificate.validTo,
          forApplicant: recipient.isSubject,
          url: this.link(recipient.isSubject ? '/my/certificates' : `/employees/${input.employeeId}`),
        }),
      );
    });
  }

  /** A cloud signing operation waits for the SMS code: the signer. */
  signingCodeWaiting(input: { operationId: string; documentId: string; documentName: string; employeeId: string; phoneLastNumbers: string | null }, tx?: Tx): Promise<string[]> {
    return this.recordAndDispatch(tx, async (db) => {
      const recipients = await this.usersOfEmployee(db, input.employeeId);
      return this.record(db, 'signingCodeWaiting', input.operationId, recipients, (recipient) =>
        signingCodeWaitingMail({ recipientName: recipient.name, documentName: input.documentName, phoneLastNumbers: input.phoneLastNumbers, url: this.link(`/documents/${input.documentId}`) }),
      );
    });
  }

  /**
   * A certificate in an employee card expires soon: the owner, and the users named in `alsoNotify`
   * (e.g. the HR officer who issued it). One mail per certificate, recipient and `daysLeft`, so
   * a reconciler may call it on every round.
   */
  certificateExpiring(input: { employeeId: string; certificate: CertificateFacts; daysLeft: number; alsoNotify?: string[] }, tx?: Tx): Promise<string[]> {
    if (!Number.isInteger(input.daysLeft)) throw new ValidationError([{ field: 'daysLeft', message: 'Целое число дней' }]);
    return this.recordAndDispatch(tx, async (db) => {
      const others: Recipient[] = [];
      for (const username of input.alsoNotify ?? []) others.push(...(await this.userByName(db, username, input.employeeId)));
      const recipients = this.unique([...(await this.usersOfEmployee(db, input.employeeId)), ...others]);
      const ownerName = await this.employeeName(db, input.employeeId);
      return this.record(db, 'certificateExpiring', `${input.certificate.thumbprint}:${input.daysLeft}`, recipients, (recipient) =>
        certificateExpiringMail({
          recipientName: recipient.name,
          ownerName,
          serialNumber: input.certificate.serialNumber,
          validTo: input.certificate.validTo,
          daysLeft: input.daysLeft,
          forOwner: recipient.isSubject,
          url: this.link(recipient.isSubject ? '/my/certificates' : `/employees/${input.employeeId}`),
        }),
      );
    });
  }

  /** The settings page's "send a test mail": sent through the outbox like any notice, so its outcome shows there too. */
  async sendTest(actor: Actor, to: string): Promise<OutboxMail> {
    const checked = checkEmail(to ?? '');
    if (!checked.ok) throw new ValidationError([{ field: 'to', message: 'Адрес получателя: электронная почта, например hr@example.ru' }]);
    if (!(await this.mailSettings.smtp())) throw new ServiceError(409, 'mail-not-configured', 'Почта не настроена: укажите SMTP-сервер');
    const content = testMail({ sentBy: actor.name });
    const [row] = await this.db
      .insert(mailOutbox)
      .values({ dedupeKey: `test:${randomUUID()}`, kind: 'test', userId: actor.userId, recipient: checked.value, subject: content.subject, text: content.text, html: content.html })
      .returning();
    await this.audit.record(actor, { action: 'sendTestMail', targetType: 'settings', details: { to: checked.value } });
    await this.dispatch([row.id]);
    return this.summary(row);
  }

  // ---- the outbox ------------------------------------------------------------------------

  private summary(row: typeof mailOutbox.$inferSelect): OutboxMail {
    const { html: _html, text: _text, ...rest } = row;
    return rest;
  }

  async get(id: string): Promise<OutboxMail> {
    const [row] = await this.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    if (!row) throw new NotFoundError('Письмо не найдено');
    return this.summary(row);
  }

  /** The newest mails, for the settings page (what was sent, what waits, what failed and why). */
  async list(filter: { state?: MailState; limit?: number } = {}): Promise<OutboxMail[]> {
    const query = this.db.select().from(mailOutbox);
    const rows = await (filter.state ? query.where(eq(mailOutbox.state, filter.state)) : query).orderBy(desc(mailOutbox.createdAt)).limit(filter.limit ?? 50);
    return rows.map((row) => this.summary(row));
  }

  /** Mails recorded but never tried (their job was lost with a crashed process). */
  async forgotten(olderThanMs: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.state, 'pending'), eq(mailOutbox.attempts, 0), lt(mailOutbox.createdAt, new Date(Date.now() - olderThanMs))))
      .limit(100);
    return rows.map((row) => row.id);
  }

  /**
   * Sends one mail; throws to have the job retry it. The row stays locked while it is sent, so two
   * jobs for one mail never both send it. The last failed try marks it failed and logs an error.
   */
  async deliver(mailId: string, retryCount: number): Promise<void> {
    const failure = await this.db.transaction(async (tx): Promise<string | undefined> => {
      const [mail] = await tx.select().from(mailOutbox).where(eq(mailOutbox.id, mailId)).for('update', { skipLocked: true });
      if (!mail || mail.state !== 'pending') return undefined;
      let error: string | undefined;
      let response: string | null = null;
      const smtp = await this.mailSettings.smtp();
      if (!smtp) error = 'Почта не настроена: укажите SMTP-сервер в настройках';
      else if (!smtp.from) error = 'Не указан адрес отправителя в настройках почты';
      else {
        try {
          response = (await this.transport.send(smtp, { to: mail.recipient, subject: mail.subject, text: mail.text, html: mail.html })).response;
        } catch (failed) {
          error = (failed as Error).message || String(failed);
        }
      }
      const last = retryCount >= MAIL_RETRY_LIMIT;
      await tx
        .update(mailOutbox)
        .set({ attempts: mail.attempts + 1, lastError: error ?? null, smtpResponse: response, state: error ? (last ? 'failed' : 'pending') : 'sent', sentAt: error ? null : new Date(), updatedAt: new Date() })
        .where(eq(mailOutbox.id, mailId));
      if (error && last) this.logger.error({ mailId, kind: mail.kind, to: mail.recipient, attempts: mail.attempts + 1, error }, 'mail not delivered: gave up');
      else if (error) this.logger.warn({ mailId, kind: mail.kind, attempt: mail.attempts + 1, error }, 'mail not delivered yet: will retry');
      return error && !last ? error : undefined;
    });
    if (failure) throw new Error(`mail delivery failed: ${failure}`);
  }

  // ---- the subscription ------------------------------------------------------------------

  /** A user's switch, with the address notices go to (none without an employee card e-mail). */
  async subscription(userId: string): Promise<{ subscribed: boolean; address: string | null }> {
    const [row] = await this.db.select({ subscribed: users.mailNotifications, email: employees.email }).from(users).leftJoin(employees, eq(users.employeeId, employees.id)).where(eq(users.id, userId));
    if (!row) throw new NotFoundError('Пользователь не найден');
    return { subscribed: row.subscribed, address: row.email ?? null };
  }

  async setSubscription(actor: Actor, userId: string, subscribed: boolean): Promise<{ subscribed: boolean; address: string | null }> {
    const [row] = await this.db.update(users).set({ mailNotifications: subscribed, updatedAt: new Date() }).where(eq(users.id, userId)).returning({ id: users.id });
    if (!row) throw new NotFoundError('Пользователь не найден');
    await this.audit.record(actor, { action: 'setMailSubscription', targetType: 'user', targetId: userId, details: { subscribed } });
    return this.subscription(userId);
  }
}
