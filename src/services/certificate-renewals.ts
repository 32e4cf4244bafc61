// Renewal of certificates before they expire, as a reconciler with named conditions (in the
// manner of cert-manager): each certificate in a card is `Ready`, `RenewalDue`, `Renewing` (with
// the step), `RenewalFailed` (with the reason) or `Replaced`. A renewal makes the KCR issue with
// `baseIssueId` (POST /v1/issues/{id}/renew) and carries it forward as far as the data allows
// without people — the passport scans of the base issue, the simplified (ESIA) confirmation with
// the card's SNILS and birth date, the statement, the validation — and when the CA released the
// new certificate it goes into the card and the old one is marked replaced.
//
// Never two renewals for one certificate: the renewal row's primary key is the certificate, so
// of several workers (or a person and a worker) that decide at once only one inserts it; each
// step is taken under a lease on that row, so one worker advances a renewal at a time.
import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { BlobStore } from '../store/blobs.ts';
import type { Db } from '../store/db.ts';
import { certificateRenewals, employeeCertificates, employees, issues as issueRows, renewalPolicies, type RenewalState } from '../store/schema/index.ts';
import type { KcrClient } from '../kontur/kcr-client.ts';
import { withDeadline } from '../kontur/deadline.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import type { CertificateNotices } from './certificate-notices.ts';
import { ConflictError, NotFoundError, ServiceError, ValidationError } from './errors.ts';
import type { IssuesService } from './issues.ts';
import { serviceErrorOf } from './kcr-failures.ts';

/** Days before the end of validity when a certificate is renewed, unless its template has a policy. */
export const DEFAULT_RENEWAL_DAYS = 30;
const STEP_LEASE_MS = 120_000;
/** How many failed tries of one step before the renewal is given up as RenewalFailed. */
const MAX_STEP_ATTEMPTS = 10;

export type ConditionType = 'Ready' | 'RenewalDue' | 'Renewing' | 'RenewalFailed' | 'Replaced';

export interface CertificateCondition {
  type: ConditionType;
  /** Russian, for people: the step, or why. */
  reason: string;
  renewalIssueId: string | null;
}

type CertificateRow = typeof employeeCertificates.$inferSelect;
type RenewalRow = typeof certificateRenewals.$inferSelect;

const STEP_NAMES: Record<string, string> = {
  renew: 'Создаётся заявка на перевыпуск',
  scans: 'В заявку добавляются сканы паспорта из прежней заявки',
  confirmation: 'Заявитель подтверждает выпуск в Госуслугах',
  statement: 'Заявление на выпуск подписывается',
  validation: 'Заявка на проверке в УЦ',
  release: 'Сертификат выпускается',
  done: 'Новый сертификат в карточке сотрудника',
};

export function conditionOf(certificate: Pick<CertificateRow, 'validTo' | 'revokedAt' | 'replacedById'>, renewal: RenewalRow | undefined, renewalDays: number, now = new Date()): CertificateCondition {
  const issueId = renewal?.issueId ?? null;
  if (certificate.replacedById || renewal?.state === 'renewed') return { type: 'Replaced', reason: 'Заменён перевыпущенным сертификатом', renewalIssueId: issueId };
  if (renewal?.state === 'failed') return { type: 'RenewalFailed', reason: renewal.reason ?? 'Перевыпуск не удался', renewalIssueId: issueId };
  if (renewal?.state === 'renewing') return { type: 'Renewing', reason: STEP_NAMES[renewal.step] ?? renewal.step, renewalIssueId: issueId };
  if (certificate.revokedAt) return { type: 'Ready', reason: 'Отозван: не перевыпускается', renewalIssueId: null };
  const dueAt = certificate.validTo.getTime() - renewalDays * 86_400_000;
  if (dueAt <= now.getTime()) return { type: 'RenewalDue', reason: `До окончания срока действия меньше ${renewalDays} дн.`, renewalIssueId: null };
  return { type: 'Ready', reason: `Перевыпуск с ${new Date(dueAt).toISOString().slice(0, 10)}`, renewalIssueId: null };
}

export class CertificateRenewals {
  private readonly owner = randomUUID();

  constructor(
    private readonly db: Db,
    private readonly kcr: KcrClient,
    private readonly issues: IssuesService,
    private readonly blobs: BlobStore,
    private readonly notices: CertificateNotices,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly deadlineMs: number,
  ) {}

  // ---- policy ---------------------------------------------------------------------------

  async policies(): Promise<{ certificateTemplate: string; daysBeforeExpiry: number }[]> {
    return (await this.db.select().from(renewalPolicies)).map(({ certificateTemplate, daysBeforeExpiry }) => ({ certificateTemplate, daysBeforeExpiry }));
  }

  async setPolicy(actor: Actor, certificateTemplate: string, daysBeforeExpiry: number): Promise<void> {
    if (!/^[A-Za-z]{1,50}$/.test(certificateTemplate)) throw new ValidationError([{ field: 'certificateTemplate', message: 'Тип шаблона сертификата KCR: notQualified, qualified, …' }]);
    if (!Number.isInteger(daysBeforeExpiry) || daysBeforeExpiry < 1 || daysBeforeExpiry > 365) throw new ValidationError([{ field: 'daysBeforeExpiry', message: 'От 1 до 365 дней' }]);
    await this.db
      .insert(renewalPolicies)
      .values({ certificateTemplate, daysBeforeExpiry })
      .onConflictDoUpdate({ target: renewalPolicies.certificateTemplate, set: { daysBeforeExpiry, updatedAt: new Date() } });
    await this.audit.record(actor, { action: 'setRenewalPolicy', targetType: 'renewalPolicy', targetId: null, details: { certificateTemplate, daysBeforeExpiry } });
  }

  /** The days of the certificate's template (KCR's certificateTemplateInfo.type of its issue). */
  private async renewalDaysOf(certificate: CertificateRow): Promise<number> {
    if (!certificate.issueId) return DEFAULT_RENEWAL_DAYS;
    const [row] = await this.db
      .select({ days: renewalPolicies.daysBeforeExpiry })
      .from(issueRows)
      .innerJoin(renewalPolicies, eq(renewalPolicies.certificateTemplate, sql`${issueRows.snapshot}->'certificateTemplateInfo'->>'type'`))
      .where(eq(issueRows.id, certificate.issueId));
    return row?.days ?? DEFAULT_RENEWAL_DAYS;
  }

  async condition(certificateId: string): Promise<CertificateCondition> {
    const [certificate] = await this.db.select().from(employeeCertificates).where(eq(employeeCertificates.id, certificateId));
    if (!certificate) throw new NotFoundError('Сертификат не найден');
    const [renewal] = await this.db.select().from(certificateRenewals).where(eq(certificateRenewals.certificateId, certificateId));
    return conditionOf(certificate, renewal, await this.renewalDaysOf(certificate));
  }

  // ---- renewal ----------------------------------------------------------------------------

  /** renewCertificate: from the card or the inventory. Refused while one runs or after one succeeded. */
  async renewCertificate(actor: Actor, certificateId: string): Promise<CertificateCondition> {
    const [certificate] = await this.db.select().from(employeeCertificates).where(eq(employeeCertificates.id, certificateId));
    if (!certificate) throw new NotFoundError('Сертификат не найден');
    this.checkRenewable(certificate);
    const claimed = await this.claim(certificateId, actor.name, true);
    if (!claimed) {
      const current = await this.condition(certificateId);
      throw new ConflictError(current.type === 'Replaced' ? 'Сертификат уже перевыпущен' : 'Сертификат уже перевыпускается', [{ field: 'certificateId', message: current.reason }]);
    }
    await this.audit.record(actor, { action: 'renewCertificate', targetType: 'certificate', targetId: certificateId, details: { thumbprint: certificate.thumbprint } });
    await this.advance(certificateId);
    return this.condition(certificateId);
  }

  private checkRenewable(certificate: CertificateRow): void {
    if (certificate.source !== 'kcr' || !certificate.issueId) throw new ConflictError('Перевыпустить можно только сертификат, выпущенный через УЦ Контур (KCR) этим модулем', [{ field: 'certificateId', message: 'У сертификата нет заявки KCR' }]);
    if (certificate.revokedAt) throw new ConflictError('Сертификат отозван: перевыпуск не делается', [{ field: 'certificateId', message: 'Сертификат отозван' }]);
    if (certificate.replacedById) throw new ConflictError('Сертификат уже перевыпущен');
  }

  /**
   * The one renewal of a certificate: inserted once (the primary key decides between workers);
   * a failed one may be started again by a person (`retryFailed`).
   */
  private async claim(certificateId: string, by: string, retryFailed: boolean): Promise<boolean> {
    const [inserted] = await this.db.insert(certificateRenewals).values({ certificateId, state: 'renewing', step: 'renew', reason: STEP_NAMES.renew, createdBy: by }).onConflictDoNothing().returning();
    if (inserted) return true;
    if (!retryFailed) return false;
    const [retried] = await this.db
      .update(certificateRenewals)
      .set({ state: 'renewing', attempts: 0, reason: STEP_NAMES.renew, updatedAt: new Date() })
      .where(and(eq(certificateRenewals.certificateId, certificateId), eq(certificateRenewals.state, 'failed')))
      .returning();
    return !!retried;
  }

  /** One pass of the reconciler: notices, renewals that became due, renewals in progress. Idempotent. */
  async reconcile(now = new Date()): Promise<{ noticed: number; started: number; advanced: number }> {
    let noticed = 0;
    let started = 0;
    let advanced = 0;
    const live = await this.db
      .select()
      .from(employeeCertificates)
      .where(and(isNull(employeeCertificates.revokedAt), isNull(employeeCertificates.replacedById), gt(employeeCertificates.validTo, now)));
    for (const certificate of live) {
      if (await this.notices.noticeExpiry(certificate, now).catch((error) => this.logger.warn({ err: error, certificateId: certificate.id }, 'expiry notice failed'))) noticed++;
    }
    const [policyRows, renewalRows, dismissed] = await Promise.all([
      this.db.select().from(renewalPolicies),
      this.db.select().from(certificateRenewals),
      this.db.select({ id: employees.id }).from(employees).where(eq(employees.state, 'dismissed')),
    ]);
    const renewals = new Map(renewalRows.map((row) => [row.certificateId, row]));
    const gone = new Set(dismissed.map((row) => row.id));
    const templates = policyRows.length ? await this.templatesOf(live) : new Map<string, string>();
    const policy = new Map(policyRows.map((row) => [row.certificateTemplate, row.daysBeforeExpiry]));
    for (const certificate of live) {
      if (certificate.source !== 'kcr' || !certificate.issueId || gone.has(certificate.employeeId) || renewals.has(certificate.id)) continue;
      const days = policy.get(templates.get(certificate.id) ?? '') ?? DEFAULT_RENEWAL_DAYS;
      if (conditionOf(certificate, undefined, days, now).type !== 'RenewalDue') continue;
      if (await this.claim(certificate.id, 'system', false)) {
        started++;
        await this.advance(certificate.id);
      }
    }
    const running = await this.db.select({ certificateId: certificateRenewals.certificateId }).from(certificateRenewals).where(eq(certificateRenewals.state, 'renewing'));
    for (const { certificateId } of running) if (await this.advance(certificateId)) advanced++;
    return { noticed, started, advanced };
  }

  private async templatesOf(certificates: CertificateRow[]): Promise<Map<string, string>> {
    const rows = await this.db
      .select({ id: employeeCertificates.id, template: sql<string | null>`${issueRows.snapshot}->'certificateTemplateInfo'->>'type'` })
      .from(employeeCertificates)
      .innerJoin(issueRows, eq(issueRows.id, employeeCertificates.issueId));
    const wanted = new Set(certificates.map((c) => c.id));
    return new Map(rows.filter((row) => wanted.has(row.id) && row.template).map((row) => [row.id, row.template!]));
  }

  /** Takes one step of a renewal under its lease; false when another worker holds it or it is not running. */
  async advance(certificateId: string): Promise<boolean> {
    const now = new Date();
    const [renewal] = await this.db
      .update(certificateRenewals)
      .set({ leaseOwner: this.owner, leaseUntil: new Date(now.getTime() + STEP_LEASE_MS) })
      .where(and(eq(certificateRenewals.certificateId, certificateId), eq(certificateRenewals.state, 'renewing'), or(isNull(certificateRenewals.leaseUntil), lt(certificateRenewals.leaseUntil, now))))
      .returning();
    if (!renewal) return false;
    try {
      await withDeadline(this.deadlineMs, () => this.step(renewal));
    } catch (error) {
      const mapped = serviceErrorOf(error);
      const message = mapped instanceof ServiceError ? mapped.message : (error as Error).message;
      this.logger.warn({ err: error, certificateId, step: renewal.step }, 'a renewal step failed; it is tried again');
      await this.update(renewal, renewal.attempts + 1 >= MAX_STEP_ATTEMPTS ? { state: 'failed', reason: `${STEP_NAMES[renewal.step] ?? renewal.step}: ${message}` } : { attempts: renewal.attempts + 1, reason: `${STEP_NAMES[renewal.step]}: ${message} (будет повторено)` });
    } finally {
      await this.db.update(certificateRenewals).set({ leaseOwner: null, leaseUntil: null }).where(and(eq(certificateRenewals.certificateId, certificateId), eq(certificateRenewals.leaseOwner, this.owner)));
    }
    return true;
  }

  private async update(renewal: RenewalRow, change: Partial<{ state: RenewalState; step: string; reason: string; attempts: number; issueId: string }>): Promise<void> {
    const step = change.step ?? renewal.step;
    await this.db
      .update(certificateRenewals)
      .set({ reason: STEP_NAMES[step], ...change, updatedAt: new Date() })
      .where(and(eq(certificateRenewals.certificateId, renewal.certificateId), eq(certificateRenewals.leaseOwner, this.owner)));
  }

  /** The next thing a renewal needs; each is safe to take again after a crash. */
  private async step(renewal: RenewalRow): Promise<void> {
    const [certificate] = await this.db.select().from(employeeCertificates).where(eq(employeeCertificates.id, renewal.certificateId));
    if (!certificate?.issueId) return this.update(renewal, { state: 'failed', reason: 'У сертификата нет заявки KCR' });
    if (certificate.revokedAt) return this.update(renewal, { state: 'failed', reason: 'Сертификат отозван: перевыпуск остановлен' });

    if (!renewal.issueId) {
      const issue = await this.kcr.renew(certificate.issueId, true);
      await this.db.transaction((tx) => this.issues.mirror.insertCreated(tx, issue, { employeeId: certificate.employeeId, creationKey: `renewal:${certificate.id}`, actor: SYSTEM_ACTOR }));
      await this.issues.mirror.record(issue.id, 'renewCertificate', SYSTEM_ACTOR, { baseIssueId: certificate.issueId, certificateId: certificate.id });
      return this.update(renewal, { issueId: issue.id, step: 'scans', attempts: 0 });
    }
    const issueId = renewal.issueId;
    const issue = await this.kcr.getIssue(issueId);
    if (issue.status === 'correction') return this.update(renewal, { state: 'failed', reason: `УЦ вернул заявку на исправление: ${issue.correctionInfo?.comment ?? ''}`.trim() });
    if (issue.status === 'released') return this.finishRelease(renewal, certificate);
    if (['validating', 'approved', 'releasing'].includes(issue.status)) {
      if (renewal.step !== 'release') await this.update(renewal, { step: 'release', attempts: 0 });
      return;
    }
    const expect = <T>(result: { success: true; data: T } | { success: false; error: ServiceError }): T => {
      if (!result.success) throw result.error;
      return result.data;
    };
    switch (renewal.step) {
      case 'scans': {
        const scans = (await this.issues.mirror.scans(certificate.issueId)).filter((scan) => scan.documentType === 'passport');
        const hasPages = (issue.documents.find((d) => d.type === 'passport')?.pages.length ?? 0) > 0;
        if (!hasPages) {
          if (!scans.length) return this.update(renewal, { state: 'failed', reason: 'В прежней заявке нет сканов паспорта: перевыпуск нужно довести вручную' });
          for (const scan of scans) {
            const chunks: Buffer[] = [];
            for await (const chunk of this.blobs.open(scan.blobSha256)) chunks.push(chunk as Buffer);
            expect(await this.issues.sendDocumentScan(SYSTEM_ACTOR, issueId, { name: scan.fileName, data: Buffer.concat(chunks) }, 'passport'));
          }
        }
        return this.update(renewal, { step: 'confirmation', attempts: 0 });
      }
      case 'confirmation':
        expect(await this.issues.sendReleaseStatementWithEsia(SYSTEM_ACTOR, issueId, { employeeId: certificate.employeeId }));
        return this.update(renewal, { step: 'statement', attempts: 0 });
      case 'statement': {
        const signed = await this.issues.signReleaseStatement(SYSTEM_ACTOR, issueId);
        // The applicant has not answered in Госуслуги yet: the next pass asks again.
        if (!signed.success && signed.error.code === 'confirmation-in-progress') return;
        expect(signed);
        return this.update(renewal, { step: 'validation', attempts: 0 });
      }
      case 'validation':
        expect(await this.issues.sendRequestForValidation(SYSTEM_ACTOR, issueId));
        return this.update(renewal, { step: 'release', attempts: 0 });
      default:
        return;
    }
  }

  /** The released certificate goes into the card (as the event poller would put it), the old one is marked replaced. */
  private async finishRelease(renewal: RenewalRow, old: CertificateRow): Promise<void> {
    const attached = await this.issues.downloadCertificateAndAssignToEmployee(SYSTEM_ACTOR, renewal.issueId!, old.employeeId);
    if (!attached.success) throw attached.error;
    const replacement = attached.data;
    await this.db.update(employeeCertificates).set({ replacedById: replacement.id }).where(eq(employeeCertificates.id, old.id));
    await this.update(renewal, { state: 'renewed', step: 'done', attempts: 0 });
    await this.notices.sendCertificateNotice(`certificate:${old.id}:renewed`, {
      type: 'certificate.renewed',
      certificateId: old.id,
      employeeId: old.employeeId,
      thumbprint: old.thumbprint,
      validTo: old.validTo.toISOString(),
      issueId: renewal.issueId,
      replacedByThumbprint: replacement.thumbprint,
      at: new Date().toISOString(),
    });
  }
}
