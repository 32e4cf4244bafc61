// The life of a certificate after it landed in the card: recall (the KCR recall statement,
// signed with an SMS code like the release statement; the CA revokes it), the dismissal of its
// owner (which offers the recall), and renewal (POST /v1/issues/{id}/renew with baseIssueId,
// then carried forward by the reconciler in certificate-renewals.ts).
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { employeeCertificates, employees, issues } from '../store/schema/index.ts';
import { parseCertificate, summarizeCertificate, type Certificate } from '../crypto/x509.ts';
import type { KcrClient } from '../kontur/kcr-client.ts';
import { withDeadline } from '../kontur/deadline.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import type { CertificateNotices } from './certificate-notices.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { KcrCalls } from './kcr-calls.ts';
import { serviceErrorOf } from './kcr-failures.ts';
import type { RevocationAnswer, RevocationChecker } from './revocation-check.ts';

type CertificateRow = typeof employeeCertificates.$inferSelect;

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `+7 *** ***-${digits.slice(-4, -2)}-${digits.slice(-2)}`;
}

export class CertificateLifecycle {
  private readonly calls: KcrCalls;

  constructor(
    private readonly db: Db,
    private readonly kcr: KcrClient,
    private readonly revocation: RevocationChecker,
    private readonly notices: CertificateNotices,
    private readonly audit: AuditService,
    private readonly deadlineMs: number,
  ) {
    this.calls = new KcrCalls(kcr, deadlineMs);
  }

  async certificate(certificateId: string): Promise<CertificateRow> {
    const [row] = await this.db.select().from(employeeCertificates).where(eq(employeeCertificates.id, certificateId));
    if (!row) throw new NotFoundError('Сертификат не найден');
    return row;
  }

  /** The KCR issue a recall or renewal goes through: only certificates this module issued through KCR have one. */
  private issueOf(row: CertificateRow, what: string): string {
    if (row.source !== 'kcr' || !row.issueId) throw new ConflictError(`${what} возможен только для сертификата, выпущенного через УЦ Контур (KCR) этим модулем`, [{ field: 'certificateId', message: 'У сертификата нет заявки KCR' }]);
    return row.issueId;
  }

  private async kontur<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(this.deadlineMs, work);
    } catch (error) {
      throw serviceErrorOf(error);
    }
  }

  /** The first step of a recall: Kontur sends the owner an SMS code for the recall statement. Answers the masked phone. */
  async requestRecall(actor: Actor, certificateId: string): Promise<{ phone: string }> {
    const row = await this.certificate(certificateId);
    const issueId = this.issueOf(row, 'Отзыв');
    if (row.revokedAt) throw new ConflictError('Сертификат уже отозван');
    const issue = await this.kontur(async () => {
      await this.calls.change(issueId, () => this.kcr.requestConfirmation(issueId, { operationToConfirm: 'signingRecallStatement' }), { harmlessToRepeat: true });
      return this.kcr.getIssue(issueId);
    });
    await this.audit.record(actor, { action: 'requestCertificateRecall', targetType: 'certificate', targetId: certificateId, details: { issueId, thumbprint: row.thumbprint } });
    return { phone: maskPhone(issue.subjectInfo.phone ?? '') };
  }

  /**
   * recallCertificate: signs the recall statement with the SMS code; the CA revokes the
   * certificate. The bridge then asks the CA (OCSP, fresh) and records the revocation it answers.
   */
  async recallCertificate(actor: Actor, certificateId: string, smsCode: string): Promise<{ certificateId: string; revocation: RevocationAnswer }> {
    if (!/^\d{4,8}$/.test((smsCode ?? '').trim())) throw new ValidationError([{ field: 'smsCode', message: 'Код из СМС: от 4 до 8 цифр' }]);
    const row = await this.certificate(certificateId);
    const issueId = this.issueOf(row, 'Отзыв');
    if (row.revokedAt) throw new ConflictError('Сертификат уже отозван');
    await this.kontur(() => this.kcr.signRecallStatement(issueId, { confirmationInfo: { smsCode: smsCode.trim() } }));
    const revocation = await this.revocation.check(certificateId, { fresh: true });
    if (revocation.status !== 'revoked') {
      // Kontur took the statement; its CA has not published the revocation yet. Signing stays refused.
      await this.db.update(employeeCertificates).set({ revokedAt: new Date(), revocationReason: 'cessationOfOperation' }).where(and(eq(employeeCertificates.id, certificateId), isNull(employeeCertificates.revokedAt)));
    }
    await this.audit.record(actor, { action: 'recallCertificate', targetType: 'certificate', targetId: certificateId, details: { issueId, thumbprint: row.thumbprint, ocsp: revocation.status } });
    const updated = await this.certificate(certificateId);
    await this.notices.sendCertificateNotice(`certificate:${certificateId}:revoked`, {
      type: 'certificate.revoked',
      certificateId,
      employeeId: row.employeeId,
      thumbprint: row.thumbprint,
      validTo: row.validTo.toISOString(),
      issueId,
      at: new Date().toISOString(),
    });
    return { certificateId, revocation: revocation.status === 'revoked' ? revocation : await this.revocation.check(updated.id) };
  }

  /**
   * Takes the issue's certificate from KCR again. When the CA signed the same certificate anew
   * (same serial number, issuer and key: the sandbox does so when its clock for the certificate is
   * moved), the card's copy and its validity are replaced; anything else is a 409.
   */
  async refreshCertificate(actor: Actor, certificateId: string): Promise<CertificateRow> {
    const row = await this.certificate(certificateId);
    const issueId = this.issueOf(row, 'Обновление');
    const der = await this.kontur(() => this.calls.read(issueId, () => this.kcr.downloadCertificate(issueId)));
    let fresh: Certificate;
    try {
      fresh = parseCertificate(new Uint8Array(der));
    } catch {
      throw new ConflictError('УЦ Контур вернул не сертификат X.509');
    }
    const old = parseCertificate(new Uint8Array(row.der));
    const same = fresh.serialNumber === old.serialNumber && Buffer.from(fresh.issuerDer).equals(Buffer.from(old.issuerDer)) && Buffer.from(fresh.subjectPublicKeyBits).equals(Buffer.from(old.subjectPublicKeyBits));
    if (!same) throw new ConflictError('В заявке другой сертификат, а не тот, что в карточке', [{ field: 'certificateId', message: 'Серийный номер, издатель или ключ отличаются' }]);
    const summary = summarizeCertificate(fresh);
    if (summary.thumbprint === row.thumbprint) return row;
    const [updated] = await this.db
      .update(employeeCertificates)
      .set({ der: Buffer.from(der), thumbprint: summary.thumbprint, validFrom: new Date(summary.notBefore), validTo: new Date(summary.notAfter) })
      .where(eq(employeeCertificates.id, certificateId))
      .returning();
    await this.db.update(issues).set({ certificateThumbprint: summary.thumbprint }).where(eq(issues.id, issueId));
    await this.audit.record(actor, { action: 'refreshCertificate', targetType: 'certificate', targetId: certificateId, details: { issueId, from: row.thumbprint, to: summary.thumbprint, validTo: summary.notAfter } });
    return updated;
  }

  /** The employee leaves: the card is marked dismissed, and answers the certificates that can still sign (to be recalled). */
  async dismissEmployee(actor: Actor, employeeId: string): Promise<{ employeeId: string; state: 'dismissed'; dismissedAt: Date; recallable: { id: string; thumbprint: string; validTo: Date; recallable: boolean }[] }> {
    const [updated] = await this.db
      .update(employees)
      .set({ state: 'dismissed', dismissedAt: new Date(), updatedAt: new Date() })
      .where(eq(employees.id, employeeId))
      .returning();
    if (!updated) throw new NotFoundError('Сотрудник не найден');
    await this.audit.record(actor, { action: 'dismissEmployee', targetType: 'employee', targetId: employeeId });
    const now = new Date();
    const certificates = await this.db.select().from(employeeCertificates).where(and(eq(employeeCertificates.employeeId, employeeId), isNull(employeeCertificates.revokedAt)));
    return {
      employeeId,
      state: 'dismissed',
      dismissedAt: updated.dismissedAt!,
      recallable: certificates
        .filter((c) => c.validTo > now)
        .map((c) => ({ id: c.id, thumbprint: c.thumbprint, validTo: c.validTo, recallable: c.source === 'kcr' && !!c.issueId })),
    };
  }

  /** Takes a dismissed card back (a mistake, a return). */
  async reinstateEmployee(actor: Actor, employeeId: string): Promise<void> {
    const [updated] = await this.db.update(employees).set({ state: 'active', dismissedAt: null, updatedAt: new Date() }).where(eq(employees.id, employeeId)).returning();
    if (!updated) throw new NotFoundError('Сотрудник не найден');
    await this.audit.record(actor, { action: 'reinstateEmployee', targetType: 'employee', targetId: employeeId });
  }
}
