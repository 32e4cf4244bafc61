// What an employee sees of her own: her issues with what is expected of her next, the release
// statement she signs with the code sent to her phone, and the certificates in her card. Every
// method takes the acting user and answers only about the employee card that user is linked to:
// another employee's issue or certificate is refused (403), whatever id is asked for.
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { employeeCertificates, issues } from '../store/schema/index.ts';
import { ISSUE_STATUS_NAMES, type IssueStatus } from '../domain/issue.ts';
import type { KcrIssue, KcrRemark } from '../kontur/kcr-types.ts';
import type { Actor } from './actor.ts';
import type { EmployeeCertificate, EmployeesService } from './employees.ts';
import { ForbiddenError, NotFoundError, ServiceError } from './errors.ts';
import type { IssuesService } from './issues.ts';
import type { IssueHistoryEntry } from './issue-mirror.ts';
import type { OperationResult } from './operation-result.ts';

/** What the employee is expected to do next on an issue. */
export type MyIssueStep =
  /** Sign the release statement with the code sent to her phone (she asks for it here). */
  | 'signStatement'
  /** Confirm the release in Госуслуги. */
  | 'confirmInEsia'
  /** Come to the HR officer (identity check in person) or finish in Kontur's personal cabinet. */
  | 'visitHr'
  | 'finishInCabinet'
  /** The certificate is in her card: download it. */
  | 'downloadCertificate'
  /** Nothing: others are working on it (HR, the CA operator, the CA). */
  | 'wait';

export interface MyIssue {
  id: string;
  status: string;
  statusName: string;
  createdAt: Date;
  updatedAt: Date;
  next: { step: MyIssueStep; text: string };
  /** A code for the release statement was sent and not used yet: the code field may be shown at once. */
  statementCodeSent: boolean;
  /** The CA operator's remarks while the issue is in correction. */
  correction: { comment: string; remarks: KcrRemark[] } | null;
  certificateThumbprint: string | null;
}

export interface MyCertificate extends EmployeeCertificate {
  /** Whole days until validTo (negative once expired). */
  daysLeft: number;
  state: 'valid' | 'notYetValid' | 'expired';
}

const DAY_MS = 86_400_000;

function hasDocument(issue: KcrIssue, type: string): { requisites: boolean; pages: boolean } {
  const document = issue.documents?.find((d) => d.type === type);
  return { requisites: (document?.requisites?.length ?? 0) > 0, pages: (document?.pages?.length ?? 0) > 0 };
}

/** Where the issue stands for its applicant, from the issue as last read and what was done through the bridge. */
export function nextStepOf(issue: KcrIssue, history: IssueHistoryEntry[], certificateInCard: boolean): { step: MyIssueStep; text: string; statementCodeSent: boolean } {
  const lastIndex = (action: string) => history.findLastIndex((entry) => entry.action === action);
  const lastSms = lastIndex('sendReleaseStatement');
  const lastEsia = lastIndex('sendReleaseStatementWithEsia');
  const lastSigned = lastIndex('signReleaseStatement');
  const statementScanned = hasDocument(issue, 'releaseStatement').pages;
  const passport = hasDocument(issue, 'passport');
  const statementDone = issue.releaseStatementSigned || statementScanned;
  const statementCodeSent = !statementDone && lastSms >= 0 && lastSms > lastSigned && lastSms > lastEsia;

  switch (issue.status) {
    case 'released':
      return certificateInCard
        ? { step: 'downloadCertificate', text: 'Сертификат выпущен: скачайте его в разделе «Мои сертификаты»', statementCodeSent }
        : { step: 'wait', text: 'Сертификат выпущен и загружается в вашу карточку', statementCodeSent };
    case 'releasing':
      return { step: 'wait', text: 'Удостоверяющий центр выпускает сертификат', statementCodeSent };
    case 'validating':
      return { step: 'wait', text: 'Заявку проверяет оператор удостоверяющего центра: от вас ничего не требуется', statementCodeSent };
    case 'correction':
      return { step: 'wait', text: 'Оператор удостоверяющего центра вернул заявку на исправление: отдел кадров исправит её по замечаниям', statementCodeSent };
    case 'approved':
      if (issue.forwardedStatus === 'forwardedToCabinet') return { step: 'finishInCabinet', text: 'Заявка одобрена: завершите выпуск сертификата в личном кабинете Контура', statementCodeSent };
      if (!issue.subjectIdentification && !issue.releaseStatementSigned) return { step: 'visitHr', text: 'Заявка одобрена: подойдите в отдел кадров с паспортом, чтобы удостоверить личность', statementCodeSent };
      return { step: 'wait', text: 'Заявка одобрена: отдел кадров завершает выпуск сертификата', statementCodeSent };
    default:
      break;
  }
  // preparing
  if (!statementDone && lastEsia > lastSms && lastEsia > lastSigned) {
    return { step: 'confirmInEsia', text: 'Подтвердите выпуск сертификата в личном кабинете Госуслуг', statementCodeSent };
  }
  if (!statementDone && passport.requisites && passport.pages) {
    return {
      step: 'signStatement',
      text: statementCodeSent ? 'Введите код из СМС, чтобы подписать заявление на выпуск сертификата' : 'Подпишите заявление на выпуск сертификата кодом из СМС',
      statementCodeSent,
    };
  }
  if (statementDone) return { step: 'wait', text: 'Заявление подписано: отдел кадров отправит заявку на проверку', statementCodeSent };
  return { step: 'wait', text: 'Отдел кадров заполняет заявку: паспортные данные и скан паспорта', statementCodeSent };
}

export class SelfServiceService {
  constructor(
    private readonly db: Db,
    private readonly issues: IssuesService,
    private readonly employees: EmployeesService,
  ) {}

  /** The employee card the user acts as; a user without one has nothing of her own here. */
  private cardOf(actor: Actor): string {
    if (!actor.employeeId) throw new ServiceError(409, 'no-employee-card', 'Учётная запись не связана с карточкой сотрудника: обратитесь к администратору');
    return actor.employeeId;
  }

  /** The issue, if it is the actor's own; another employee's is refused. */
  private async ownIssue(actor: Actor, issueId: string) {
    const employeeId = this.cardOf(actor);
    const issue = await this.issues.mirror.find(issueId);
    if (!issue || issue.deletedAt) throw new NotFoundError('Заявка не найдена');
    if (issue.employeeId !== employeeId) throw new ForbiddenError('Это заявка другого сотрудника');
    return issue;
  }

  async myIssues(actor: Actor): Promise<MyIssue[]> {
    const employeeId = this.cardOf(actor);
    const rows = await this.db
      .select()
      .from(issues)
      .where(and(eq(issues.employeeId, employeeId), isNull(issues.deletedAt)))
      .orderBy(desc(issues.createdAt))
      .limit(50);
    // The certificates in her card, by the issue they were released for.
    const inCard = new Map(
      (await this.db.select({ issueId: employeeCertificates.issueId, thumbprint: employeeCertificates.thumbprint }).from(employeeCertificates).where(eq(employeeCertificates.employeeId, employeeId))).map((row) => [row.issueId, row.thumbprint]),
    );
    const result: MyIssue[] = [];
    for (const row of rows) {
      const snapshot = row.snapshot as unknown as KcrIssue;
      const next = nextStepOf(snapshot, await this.issues.mirror.history(row.id), inCard.has(row.id));
      result.push({
        id: row.id,
        status: row.status,
        statusName: ISSUE_STATUS_NAMES[row.status as IssueStatus] ?? ISSUE_STATUS_NAMES.unknown,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        next: { step: next.step, text: next.text },
        statementCodeSent: next.statementCodeSent,
        correction: row.status === 'correction' ? (snapshot.correctionInfo ?? null) : null,
        certificateThumbprint: inCard.get(row.id) ?? row.certificateThumbprint,
      });
    }
    return result;
  }

  /** Sends the code for the release statement to the employee's own phone (SendReleaseStatement on her own issue). */
  async sendStatementCode(actor: Actor, issueId: string): Promise<OperationResult<string>> {
    await this.ownIssue(actor, issueId);
    return this.issues.sendReleaseStatement(actor, issueId);
  }

  /** Signs the release statement of her own issue with the code (SignReleaseStatement). */
  async signStatement(actor: Actor, issueId: string, smsCode: string): Promise<OperationResult<null>> {
    await this.ownIssue(actor, issueId);
    return this.issues.signReleaseStatement(actor, issueId, smsCode);
  }

  async myCertificates(actor: Actor, now = new Date()): Promise<MyCertificate[]> {
    const certificates = await this.employees.certificates(this.cardOf(actor));
    return certificates
      .map((certificate) => ({
        ...certificate,
        daysLeft: Math.floor((certificate.validTo.getTime() - now.getTime()) / DAY_MS),
        state: certificate.validFrom > now ? ('notYetValid' as const) : certificate.validTo <= now ? ('expired' as const) : ('valid' as const),
      }))
      .sort((a, b) => b.validTo.getTime() - a.validTo.getTime());
  }

  /** The certificate file (DER, .cer) of one of her own certificates. */
  async certificateFile(actor: Actor, thumbprint: string): Promise<{ der: Buffer; fileName: string }> {
    const employeeId = this.cardOf(actor);
    const normalized = thumbprint.replace(/[\s:]/g, '').toUpperCase();
    const rows = await this.db.select().from(employeeCertificates).where(eq(employeeCertificates.thumbprint, normalized));
    if (!rows.length) throw new NotFoundError('Сертификат не найден');
    const own = rows.find((row) => row.employeeId === employeeId);
    if (!own) throw new ForbiddenError('Это сертификат другого сотрудника');
    return { der: own.der, fileName: `${own.serialNumber}.cer` };
  }
}
