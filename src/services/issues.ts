// Certificate issuance at the Kontur CA: every method of the manual's IKonturIssuesService,
// returning OperationResult<T>. Applicant data comes from the employee card; each method waits
// for actualization itself and survives Kontur's timeouts, 5xx, 409 and 429 (kcr-calls.ts).
import type { BlobStore } from '../store/blobs.ts';
import type { Db } from '../store/db.ts';
import {
  checkCyrillicName,
  checkDate,
  checkIssueDate,
  checkEmail,
  checkInn,
  checkIssuerCode,
  checkMobilePhone,
  checkPassportNumber,
  checkPassportSeries,
  checkSnils,
  toKonturDate,
  type Checked,
} from '../domain/identifiers.ts';
import { fullName } from '../domain/employee.ts';
import {
  DOCUMENT_TYPES,
  MAX_PAGE_BYTES,
  TEMPLATE_TYPES,
  sniffContentType,
  type DocumentType,
  type TemplateType,
} from '../domain/issue.ts';
import type { KcrClient } from '../kontur/kcr-client.ts';
import { KcrNotFoundError } from '../kontur/kcr-errors.ts';
import type { KcrCreateIssueRequest, KcrIssue, KcrIssueEvents, KcrSubjectInfo } from '../kontur/kcr-types.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import type { AuditedOperation, AuditService } from './audit.ts';
import type { SmsLimits } from './sms-limits.ts';
import type { EmployeesService, Employee, EmployeeCertificate } from './employees.ts';
import { ConflictError, NotFoundError, ServiceError, ValidationError, type FieldProblem } from './errors.ts';
import { applicantIdentity, esiaConfirmationValues, selfIdentificationProblem } from './applicant-identity.ts';
import { IssueCreator } from './issue-creation.ts';
import { IssueMirror, type IssueHistoryEntry, type IssueListFilter, type IssueScan, type MirroredIssue } from './issue-mirror.ts';
import type { IssueNotifications } from './issue-notifications.ts';
import type { NotificationsService } from './notifications.ts';
import { KcrCalls } from './kcr-calls.ts';
import { withDeadline } from '../kontur/deadline.ts';
import { serviceErrorOf } from './kcr-failures.ts';
import { failed, succeeded, type OperationResult } from './operation-result.ts';

/** CertificateApplicantInfo / CertificateUpdateApplicantInfo of the manual. */
export interface CertificateApplicantInfo {
  lastName?: string;
  firstName?: string;
  middleName?: string | null;
  email?: string;
  mobilePhone?: string;
  inn?: string;
}

/** IdentityDocument of the manual, plus the requisites Kontur's passport also has. */
export interface IdentityDocument {
  documentType: DocumentType;
  series?: string;
  number?: string;
  issuerName?: string;
  issuerCode?: string;
  issueDate?: string;
  birthDate?: string;
  birthPlace?: string;
}

/** SendingFileInfo of the manual. */
export interface SendingFileInfo {
  fileId?: string;
  name: string;
  longSize?: number;
  data: Buffer;
}

export interface CreateIssueInput {
  /** CreateCertificateIssue(StaffEmployee, inn): the applicant is the employee card. */
  employeeId?: string;
  inn?: string;
  /** CreateCertificateIssue(CertificateApplicantInfo). */
  applicant?: CertificateApplicantInfo;
  cspType?: 'dss' | 'cryptoPro';
  certificateType?: 'notQualified' | 'qualified';
  idempotencyKey?: string;
}

export interface EsiaConfirmationInput {
  /** SendReleaseStatementWithEsia(issueId, employee, snils): birth date from the card. */
  employeeId?: string;
  snils?: string;
  /** CertificateConfirmationApplicantInfo.BirthDate. */
  birthDate?: string;
}

export interface IssuesOptions {
  /** The deadline of one operation: every call to Kontur, retry and wait for actualization included (KONTUR_DEADLINE_MS). */
  operationBudgetMs: number;
}

function collect(problems: FieldProblem[], field: string, raw: string | null | undefined, check: (value: string) => Checked, required = false): string | undefined {
  if (raw === undefined || raw === null || raw.trim() === '') {
    if (required) problems.push({ field, message: 'Обязательное поле' });
    return undefined;
  }
  const checked = check(raw);
  if (!checked.ok) {
    problems.push({ field, message: checked.message });
    return undefined;
  }
  return checked.value;
}

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `+7 *** ***-${digits.slice(-4, -2)}-${digits.slice(-2)}`;
}

/** The operations that change nothing at Kontur (the others leave the issue being actualized). */
const READ_ACTIONS = new Set(['generateRequestTemplate', 'downloadCertificate', 'downloadCertificateAndAssignToEmployee']);

export class IssuesService {
  readonly mirror: IssueMirror;
  private readonly calls: KcrCalls;
  private readonly creator: IssueCreator;
  private readonly deadlineMs: number;

  constructor(
    private readonly db: Db,
    private readonly blobs: BlobStore,
    private readonly kcr: KcrClient,
    private readonly employees: EmployeesService,
    private readonly audit: AuditService,
    readonly notifications: IssueNotifications,
    options: IssuesOptions,
    /** How many release-statement codes an issue may be sent. */
    private readonly smsLimits: SmsLimits,
    /** E-mail notices (the certificate released). */
    private readonly mail?: NotificationsService,
  ) {
    this.mirror = new IssueMirror(db);
    this.deadlineMs = options.operationBudgetMs;
    this.calls = new KcrCalls(kcr, options.operationBudgetMs);
    this.creator = new IssueCreator(db, kcr, this.mirror, options.operationBudgetMs);
  }

  /**
   * Runs one method under one deadline for all its calls to Kontur: expected failures become `success: false`, the rest is thrown (as the manual
   * says). Every outcome goes into the audit log under the method's operationId (audit.operation);
   * `history: false` keeps a read out of the issue's own history.
   */
  private run<T>(
    actor: Actor,
    action: string,
    issueId: string | null,
    success: string,
    work: () => Promise<T>,
    options: { history?: boolean; read?: boolean; describe?: AuditedOperation<T>['describe'] } = {},
  ): Promise<OperationResult<T>> {
    const history = options.history ?? true;
    return this.audit.operation(actor, { action, targetType: issueId || options.describe ? 'issue' : null, targetId: issueId, describe: options.describe, read: options.read }, async () => {
      try {
        const data = await withDeadline(this.deadlineMs, work);
        if (issueId && history) await this.mirror.record(issueId, action, actor).catch(() => undefined);
        if (issueId && history && !READ_ACTIONS.has(action)) await this.mirror.markChanged(issueId);
        return succeeded(data, success);
      } catch (error) {
        const mapped = serviceErrorOf(error);
        if (!(mapped instanceof ServiceError)) throw error;
        if (issueId && history && mapped.status !== 404) {
          await this.mirror.record(issueId, `${action}.failed`, actor, { code: mapped.code, message: mapped.message }).catch(() => undefined);
        }
        return failed(mapped);
      }
    });
  }

  private applicantOfEmployee(employee: Employee, inn: string | undefined): CertificateApplicantInfo {
    return { lastName: employee.lastName, firstName: employee.firstName, middleName: employee.middleName, email: employee.email ?? undefined, mobilePhone: employee.phone, inn: inn ?? employee.inn ?? undefined };
  }

  /** Checks applicant data the way Kontur will, so the caller learns the bad field at once. */
  private subjectInfo(applicant: CertificateApplicantInfo, partial: boolean, prefix = ''): Partial<KcrSubjectInfo> {
    const problems: FieldProblem[] = [];
    const f = (name: string) => `${prefix}${name}`;
    const subject: Partial<KcrSubjectInfo> = {
      lastname: collect(problems, f('lastName'), applicant.lastName, checkCyrillicName, !partial),
      firstname: collect(problems, f('firstName'), applicant.firstName, checkCyrillicName, !partial),
      middlename: collect(problems, f('middleName'), applicant.middleName, checkCyrillicName),
      email: collect(problems, f('email'), applicant.email, checkEmail, !partial),
      phone: collect(problems, f('mobilePhone'), applicant.mobilePhone, checkMobilePhone, !partial),
      inn: collect(problems, f('inn'), applicant.inn, (v) => checkInn(v, 'person'), !partial),
    };
    if (problems.length) throw new ValidationError(problems, 'Проверьте данные заявителя');
    return Object.fromEntries(Object.entries(subject).filter(([, value]) => value !== undefined));
  }

  // ---- IKonturIssuesService ------------------------------------------------------------

  /** CreateCertificateIssue (both overloads): by employee card (+ INN) or by applicant data. */
  createCertificateIssue(actor: Actor, input: CreateIssueInput): Promise<OperationResult<KcrIssue>> {
    let reusedKey = false;
    return this.run(actor, 'createCertificateIssue', null, 'Заявка на выпуск сертификата создана', async () => {
      let applicant: CertificateApplicantInfo;
      let employee: Employee | undefined;
      if (input.employeeId) {
        employee = await this.employees.get(input.employeeId);
        // The applicant is the card: an INN other than the card's would put someone else's INN into the certificate.
        const givenInn = input.applicant?.inn ?? input.inn;
        if (employee.inn && givenInn?.trim() && givenInn.replace(/\D/g, '') !== employee.inn) {
          throw new ConflictError('ИНН не совпадает с ИНН в карточке сотрудника', [{ field: input.applicant?.inn ? 'applicant.inn' : 'inn', message: `В карточке сотрудника ИНН ${employee.inn}: заявка создаётся на владельца карточки` }]);
        }
        applicant = { ...this.applicantOfEmployee(employee, input.inn), ...(input.applicant ?? {}) };
      } else if (input.applicant) {
        applicant = input.applicant;
      } else {
        throw new ValidationError([{ field: 'employeeId', message: 'Укажите сотрудника или данные заявителя (applicant)' }]);
      }
      const subject = this.subjectInfo(applicant, false, employee ? '' : 'applicant.');
      const request: KcrCreateIssueRequest = {
        certificateTemplateInfo: { type: input.certificateType ?? 'notQualified', useAreas: [], nonExportable: false },
        subjectInfo: { type: 'naturalPerson', ...subject },
        cspInfo: input.cspType === 'cryptoPro' ? { type: 'cryptoPro', addCryptoProLicense: false } : { type: 'dss', dssApplication: 'myDss' },
      };
      const { issue, reused } = await this.creator.create(actor, request, { key: input.idempotencyKey, employeeId: employee?.id ?? null });
      reusedKey = reused;
      if (!reused) {
        // The SNILS goes into the issue as its document, so that it is checked and lands in the certificate.
        if (employee?.snils) {
          const number = employee.snils.replace(/\D/g, '');
          await this.calls.change(issue.id, () => this.kcr.putDocument(issue.id, 'snils', { requisitesToAddOrUpdate: [{ type: 'number', value: number }] }), { harmlessToRepeat: true });
        }
        await this.notifications.publish({ type: 'issue.created', issueId: issue.id, employeeId: employee?.id ?? null, status: issue.status, at: new Date().toISOString() }).catch(() => undefined);
      }
      return issue;
    }, { describe: (issue) => ({ targetId: issue.id, details: { employeeId: input.employeeId ?? null, ...(reusedKey ? { reused: true } : {}) } }) });
  }

  /** EditCertificateIssueRequest (both overloads): new applicant data, or the employee card again. */
  editCertificateIssueRequest(actor: Actor, issueId: string, input: { employeeId?: string; applicant?: CertificateApplicantInfo }): Promise<OperationResult<null>> {
    return this.run(actor, 'editCertificateIssueRequest', issueId, 'Данные заявки изменены', async () => {
      let applicant = input.applicant ?? {};
      if (input.employeeId) applicant = { ...this.applicantOfEmployee(await this.employees.get(input.employeeId), undefined), ...applicant };
      const subject = this.subjectInfo(applicant, true);
      if (Object.keys(subject).length === 0) throw new ValidationError([{ field: 'applicant', message: 'Нет изменений: укажите хотя бы одно поле' }]);
      await this.calls.change(issueId, () => this.kcr.patchIssue(issueId, { subjectInfo: subject }), { harmlessToRepeat: true });
      return null;
    });
  }

  /** AddDocumentRequisites: passport (series, number, issuer code, dates), SNILS, INN, or an empty document such as releaseStatement. */
  addDocumentRequisites(actor: Actor, issueId: string, document: IdentityDocument): Promise<OperationResult<null>> {
    return this.run(actor, 'addDocumentRequisites', issueId, 'Реквизиты документа сохранены', async () => {
      if (!(DOCUMENT_TYPES as readonly string[]).includes(document.documentType)) {
        throw new ValidationError([{ field: 'documentType', message: `Допустимые типы: ${DOCUMENT_TYPES.join(', ')}` }]);
      }
      const problems: FieldProblem[] = [];
      const requisites: { type: string; value: string }[] = [];
      const add = (type: string, value: string | undefined) => value !== undefined && requisites.push({ type, value });
      const date = (field: string, raw: string | undefined, required: boolean) => {
        const value = collect(problems, field, raw, field === 'issueDate' ? (v) => checkIssueDate(v) : checkDate, required);
        return value && toKonturDate(value);
      };
      switch (document.documentType) {
        case 'passport':
          add('series', collect(problems, 'series', document.series, checkPassportSeries, true));
          add('number', collect(problems, 'number', document.number, checkPassportNumber, true));
          add('issueDate', date('issueDate', document.issueDate, true));
          add('issueOrganizationId', collect(problems, 'issuerCode', document.issuerCode, checkIssuerCode, true));
          add('birthDate', date('birthDate', document.birthDate, false));
          add('birthPlace', document.birthPlace?.trim() || undefined);
          add('issueOrganizationName', document.issuerName?.trim() || undefined);
          break;
        case 'snils':
          add('number', collect(problems, 'number', document.number, checkSnils, true)?.replace(/\D/g, ''));
          break;
        case 'naturalPersonInn':
          add('number', collect(problems, 'number', document.number, (v) => checkInn(v, 'person'), true));
          break;
        case 'otherIdentity':
          add('series', document.series?.trim() || undefined);
          add('number', document.number?.trim() || (problems.push({ field: 'number', message: 'Обязательное поле' }), undefined));
          add('issueDate', date('issueDate', document.issueDate, true));
          add('issueOrganizationName', document.issuerName?.trim() || undefined);
          break;
        default:
          // Documents without requisites (release statement, warrants, photo): the PUT creates them.
          break;
      }
      if (problems.length) throw new ValidationError(problems, 'Проверьте реквизиты документа');
      if (document.documentType === 'snils' || document.documentType === 'naturalPersonInn') {
        // An issue made for a card carries that person's SNILS and INN, not anyone else's.
        const owner = (await this.mirror.find(issueId))?.employeeId;
        const card = owner ? await this.employees.get(owner) : undefined;
        const cardValue = document.documentType === 'snils' ? card?.snils?.replace(/\D/g, '') : card?.inn;
        const given = requisites.find((r) => r.type === 'number')?.value;
        if (card && cardValue && given && given !== cardValue) {
          throw new ConflictError('Номер не совпадает с карточкой заявителя', [{ field: 'number', message: `${document.documentType === 'snils' ? 'СНИЛС' : 'ИНН'} не совпадает с карточкой сотрудника ${fullName(card)}, для которого создана заявка` }]);
        }
      }
      await this.calls.change(issueId, () => this.kcr.putDocument(issueId, document.documentType, { requisitesToAddOrUpdate: requisites }), { harmlessToRepeat: true });
      return null;
    });
  }

  /** SendDocumentScan: stores the scan locally (blob) and adds it as a page of the document at Kontur. */
  sendDocumentScan(actor: Actor, issueId: string, file: SendingFileInfo, documentType: DocumentType): Promise<OperationResult<IssueScan>> {
    return this.run(actor, 'sendDocumentScan', issueId, 'Скан документа отправлен', async () => {
      if (!(DOCUMENT_TYPES as readonly string[]).includes(documentType)) throw new ValidationError([{ field: 'documentType', message: `Допустимые типы: ${DOCUMENT_TYPES.join(', ')}` }]);
      if (file.data.length === 0) throw new ValidationError([{ field: 'data', message: 'Файл пуст' }]);
      if (file.data.length > MAX_PAGE_BYTES) throw new ValidationError([{ field: 'data', message: `Файл больше ${MAX_PAGE_BYTES / 1024 / 1024} МБ` }]);
      if (file.longSize !== undefined && file.longSize !== file.data.length) throw new ValidationError([{ field: 'longSize', message: `Размер не совпадает с данными (${file.data.length} байт)` }]);
      const contentType = sniffContentType(file.data);
      if (!contentType) throw new ValidationError([{ field: 'data', message: 'Скан должен быть в формате JPEG, PNG, GIF или PDF' }]);
      await this.mirror.get(issueId);
      const stored = await this.blobs.put(file.data, contentType);
      // Adding a page is not safe to repeat: after an unknown outcome, count the pages first.
      const before = await this.calls.actualized(issueId);
      const pagesOf = (issue: KcrIssue) => issue.documents.find((d) => d.type === documentType)?.pages.length ?? 0;
      const count = pagesOf(before);
      await this.calls.change(issueId, () => this.kcr.addPage(issueId, documentType, file.data, contentType), { applied: (issue) => pagesOf(issue) > count });
      return this.mirror.addScan({ issueId, documentType, fileName: file.name || 'scan', contentType, size: file.data.length, blobSha256: stored.sha256, createdBy: actor.name });
    });
  }

  /** Removes one page (a scan) of a document at Kontur: one the CA operator rejected, or one sent by mistake. */
  deleteDocumentPage(actor: Actor, issueId: string, documentType: DocumentType, pageId: string): Promise<OperationResult<null>> {
    return this.run(actor, 'deleteDocumentPage', issueId, 'Скан удалён', async () => {
      if (!(DOCUMENT_TYPES as readonly string[]).includes(documentType)) throw new ValidationError([{ field: 'documentType', message: `Допустимые типы: ${DOCUMENT_TYPES.join(', ')}` }]);
      const issue = await this.calls.actualized(issueId);
      const hasPage = (current: KcrIssue) => current.documents.find((d) => d.type === documentType)?.pages.some((page) => page.id === pageId) ?? false;
      if (!hasPage(issue)) throw new ValidationError([{ field: 'pageId', message: 'Такого скана в заявке нет' }]);
      // Repeating the DELETE after an unknown outcome would answer 404: look whether the page is gone instead.
      await this.calls.change(issueId, () => this.kcr.deletePage(issueId, documentType, pageId), { applied: (current) => !hasPage(current) });
      return null;
    });
  }

  /** SendReleaseStatement: asks Kontur to send the SMS code for signing the release statement; data is the masked phone. */
  sendReleaseStatement(actor: Actor, issueId: string): Promise<OperationResult<string>> {
    return this.run(actor, 'sendReleaseStatement', issueId, 'Код подтверждения отправлен в СМС', async () => {
      // Each request sends an SMS: at most so many per issue and hour.
      await this.smsLimits.admitStatementCode(issueId, actor.userId);
      // A repeated request only sends a fresh code (the newest one is valid), so it may be repeated.
      await this.calls.change(issueId, () => this.kcr.requestConfirmation(issueId, { operationToConfirm: 'signingReleaseStatement' }), { harmlessToRepeat: true });
      const issue = await this.kcr.getIssue(issueId);
      return maskPhone(issue.subjectInfo.phone ?? '');
    });
  }

  /** SendReleaseStatementWithEsia (both overloads): SNILS and birth date given, or taken from the employee card. */
  sendReleaseStatementWithEsia(actor: Actor, issueId: string, input: EsiaConfirmationInput): Promise<OperationResult<string>> {
    return this.run(actor, 'sendReleaseStatementWithEsia', issueId, 'Запрос на подтверждение отправлен в Госуслуги', async () => {
      // The applicant confirms in ESIA with her own SNILS and birth date: the card the issue was made
      // for, completed from the issue's own documents. Explicit values must be hers.
      const { employee, issue } = await this.applicantOf(issueId, input.employeeId);
      const values = esiaConfirmationValues(applicantIdentity(employee, issue), input);
      if ('invalid' in values) {
        if (values.invalid.length) throw new ValidationError([...values.invalid, ...values.mismatches], employee ? 'Заполните СНИЛС и дату рождения в карточке сотрудника' : 'Укажите СНИЛС и дату рождения заявителя');
        throw new ConflictError('Данные не совпадают с данными заявителя: подтвердить выпуск может только сам заявитель', values.mismatches);
      }
      await this.calls.change(
        issueId,
        () => this.kcr.requestConfirmation(issueId, { operationToConfirm: 'signingReleaseStatementWithEsia', parameters: { snilsNumber: values.snils, birthDate: toKonturDate(values.birthDate) } }),
        { harmlessToRepeat: true },
      );
      return 'Заявитель должен подтвердить выпуск сертификата в личном кабинете Госуслуг';
    });
  }

  /** SignReleaseStatement (both overloads): with the SMS code, or (without it) by the ESIA confirmation. */
  signReleaseStatement(actor: Actor, issueId: string, smsCode?: string): Promise<OperationResult<null>> {
    return this.run(actor, 'signReleaseStatement', issueId, 'Заявление на выпуск подписано', async () => {
      if (smsCode !== undefined && !/^\d{4,8}$/.test(smsCode.trim())) throw new ValidationError([{ field: 'smsCode', message: 'Код из СМС: от 4 до 8 цифр' }]);
      await this.calls.change(issueId, () => this.kcr.signReleaseStatement(issueId, smsCode ? { confirmationInfo: { smsCode: smsCode.trim() } } : {}), {
        applied: (issue) => issue.releaseStatementSigned === true,
        alreadyDoneCodes: ['ReleaseStatementAlreadySigned'],
      });
      return null;
    });
  }

  /** SendRequestForValidation: hands the issue to the CA operator. */
  sendRequestForValidation(actor: Actor, issueId: string): Promise<OperationResult<null>> {
    return this.run(actor, 'sendRequestForValidation', issueId, 'Заявка отправлена на проверку', async () => {
      await this.calls.change(issueId, () => this.kcr.validate(issueId), {
        applied: (issue) => ['validating', 'approved', 'releasing', 'released'].includes(issue.status),
        alreadyDoneCodes: ['InvalidIssueStatus'],
      });
      return null;
    });
  }

  /** DeleteCertificateIssueRequest: only in preparing, correction, approved. */
  deleteCertificateIssueRequest(actor: Actor, issueId: string): Promise<OperationResult<null>> {
    return this.run(actor, 'deleteCertificateIssueRequest', issueId, 'Заявка удалена', async () => {
      const known = await this.mirror.find(issueId);
      try {
        await this.calls.change(issueId, () => this.kcr.deleteIssue(issueId), { harmlessToRepeat: true });
      } catch (error) {
        // A repeated DELETE whose first try worked answers 404: the issue is gone, as asked.
        if (!(error instanceof KcrNotFoundError && known && !known.deletedAt)) throw error;
      }
      const row = await this.mirrorTransaction((tx) => this.mirror.markDeleted(tx, issueId, actor.name));
      await this.notifications.publish({ type: 'issue.deleted', issueId, employeeId: row?.employeeId ?? known?.employeeId ?? null, status: row?.status ?? null, at: new Date().toISOString() }).catch(() => undefined);
      return null;
    });
  }

  /** DownloadCertificate: the released certificate, DER. */
  downloadCertificate(actor: Actor, issueId: string): Promise<OperationResult<Buffer>> {
    return this.run(actor, 'downloadCertificate', issueId, 'Сертификат получен', () => this.calls.read(issueId, () => this.kcr.downloadCertificate(issueId)));
  }

  /** DownloadCertificateAndAssignToEmployee: the certificate into the card (the issue's employee unless another is given). */
  downloadCertificateAndAssignToEmployee(actor: Actor, issueId: string, employeeId?: string): Promise<OperationResult<EmployeeCertificate>> {
    return this.run(actor, 'downloadCertificateAndAssignToEmployee', issueId, 'Сертификат загружен в карточку сотрудника', async () => {
      const mirrored = await this.mirror.find(issueId);
      const target = employeeId ?? mirrored?.employeeId;
      if (!target) throw new ValidationError([{ field: 'employeeId', message: 'Укажите сотрудника: заявка создана не по карточке сотрудника' }]);
      if (mirrored?.employeeId && employeeId && employeeId !== mirrored.employeeId) {
        const owner = await this.employees.get(mirrored.employeeId);
        throw new ConflictError('Заявка создана для другого сотрудника', [{ field: 'employeeId', message: `Сертификат выпущен по заявке сотрудника ${fullName(owner)}: его нельзя загрузить в чужую карточку` }]);
      }
      const der = await this.calls.read(issueId, () => this.kcr.downloadCertificate(issueId));
      const { certificate, created } = await this.employees.attachCertificate(target, der, { source: 'kcr', cspType: mirrored?.cspType ?? null, issueId });
      if (mirrored) {
        if (!mirrored.employeeId) await this.mirror.setEmployee(issueId, target);
        await this.mirror.setCertificate(issueId, { thumbprint: certificate.thumbprint, error: null });
      }
      if (created) {
        // The notice is only recorded here (the mail job sends it); a failure to record it does not undo the attachment.
        await this.mail
          ?.certificateReleased({ issueId, employeeId: target, createdBy: mirrored?.createdBy ?? null, certificate })
          .catch((error) => this.audit.record(SYSTEM_ACTOR, { action: 'mail.notRecorded', targetType: 'issue', targetId: issueId, outcome: 'failure', details: { kind: 'certificateReleased', error: (error as Error).message } }).catch(() => undefined));
        await this.notifications.publish({ type: 'issue.certificateAttached', issueId, employeeId: target, status: 'released', thumbprint: certificate.thumbprint, at: new Date().toISOString() }).catch(() => undefined);
      }
      return certificate;
    });
  }

  /**
   * GetIssue: the issue as Kontur last answered it. An actualized issue comes from the mirror,
   * which Kontur's event feed keeps current (a read costs no call to Kontur); one that is still
   * being actualized, one the mirror does not know, and any with `fresh` are read from Kontur
   * (the manual's callers poll GetIssue until Actualized) and mirrored on the way.
   */
  getIssue(actor: Actor, issueId: string, options: { fresh?: boolean } = {}): Promise<OperationResult<KcrIssue>> {
    return this.run(actor, 'getIssue', issueId, 'Заявка получена', async () => {
      if (!options.fresh) {
        const mirrored = await this.mirror.find(issueId);
        if (mirrored?.deletedAt) throw new NotFoundError('Заявка удалена');
        if (mirrored?.actualized) return mirrored.snapshot as unknown as KcrIssue;
      }
      const issue = await this.kcr.getIssue(issueId);
      await this.mirrorTransaction((tx) => this.mirror.applyState(tx, issue));
      return issue;
    }, { history: false, read: true });
  }

  /** GenerateRequestTemplate: the printable PDF (release statement, receipt, ...). */
  generateRequestTemplate(actor: Actor, issueId: string, templateType: TemplateType): Promise<OperationResult<Buffer>> {
    return this.run(actor, 'generateRequestTemplate', issueId, 'Документ сформирован', async () => {
      if (!(TEMPLATE_TYPES as readonly string[]).includes(templateType)) throw new ValidationError([{ field: 'templateType', message: `Допустимые типы: ${TEMPLATE_TYPES.join(', ')}` }]);
      return this.calls.read(issueId, () => this.kcr.generateTemplate(issueId, templateType));
    });
  }

  /** GetEventList (both overloads): Kontur's event feed after `lastId`. */
  getEventList(actor: Actor, limit: number, lastId?: string): Promise<OperationResult<KcrIssueEvents>> {
    return this.run(actor, 'getEventList', null, 'Лента событий получена', async () => {
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ValidationError([{ field: 'limit', message: 'От 1 до 1000' }]);
      if (lastId !== undefined && !/^[\w-]{1,64}$/.test(lastId)) throw new ValidationError([{ field: 'lastId', message: 'Идентификатор события из ленты' }]);
      return this.kcr.issueEvents(lastId, limit);
    });
  }

  /** SubjectIdentification: who (an employee) confirmed the applicant's identity in person. */
  subjectIdentification(actor: Actor, issueId: string, identifiedByEmployeeId: string): Promise<OperationResult<null>> {
    return this.run(actor, 'subjectIdentification', issueId, 'Удостоверение личности сохранено', async () => {
      const identifiedBy = await this.employees.get(identifiedByEmployeeId);
      const { employee, issue } = await this.applicantOf(issueId);
      const self = selfIdentificationProblem(applicantIdentity(employee, issue), identifiedBy);
      if (self) throw new ConflictError('Заявитель не может удостоверить свою личность сам', [self]);
      const name = [fullName(identifiedBy), identifiedBy.position].filter(Boolean).join(', ');
      await this.calls.change(issueId, () => this.kcr.putSubjectIdentification(issueId, { identificationSubjectType: 'employee', identifiedBy: name }), { harmlessToRepeat: true });
      return null;
    });
  }

  /** ForwardToCabinet: the applicant finishes the release in the personal cabinet. */
  forwardToCabinet(actor: Actor, issueId: string): Promise<OperationResult<null>> {
    return this.run(actor, 'forwardToCabinet', issueId, 'Заявка перенаправлена в личный кабинет', async () => {
      await this.calls.change(issueId, () => this.kcr.forwardToCabinet(issueId), { applied: (issue) => issue.forwardedStatus === 'forwardedToCabinet' });
      return null;
    });
  }

  /**
   * The applicant of an issue: the card it was created for (a card named in the request must be
   * that one), and the issue as Kontur has it now (its SNILS document, the passport's birth date).
   */
  private async applicantOf(issueId: string, namedEmployeeId?: string): Promise<{ employee: Employee | undefined; issue: KcrIssue }> {
    const mirrored = await this.mirror.find(issueId);
    if (namedEmployeeId && mirrored?.employeeId && namedEmployeeId !== mirrored.employeeId) {
      const owner = await this.employees.get(mirrored.employeeId);
      throw new ConflictError('Заявка создана для другого сотрудника', [{ field: 'employeeId', message: `Заявитель по этой заявке — ${fullName(owner)}` }]);
    }
    const employeeId = mirrored?.employeeId ?? namedEmployeeId;
    const employee = employeeId ? await this.employees.get(employeeId) : undefined;
    const issue = await this.calls.actualized(issueId);
    const issueSnils = applicantIdentity(undefined, issue).snils;
    if (employee?.snils && issueSnils && employee.snils.replace(/\D/g, '') !== issueSnils) {
      throw new ConflictError('СНИЛС в заявке не совпадает со СНИЛС в карточке сотрудника', [{ field: mirrored?.employeeId ? 'snils' : 'employeeId', message: `В заявке СНИЛС другого человека, чем у сотрудника ${fullName(employee)}` }]);
    }
    return { employee, issue };
  }

  // ---- the bridge's own additions ------------------------------------------------------

  listIssues(filter: IssueListFilter): Promise<{ items: MirroredIssue[]; total?: number; nextCursor: string | null }> {
    return this.mirror.list(filter);
  }

  async issueHistory(issueId: string): Promise<{ employeeId: string | null; history: IssueHistoryEntry[]; scans: IssueScan[] }> {
    const issue = await this.mirror.get(issueId);
    return { employeeId: issue.employeeId, history: await this.mirror.history(issueId), scans: await this.mirror.scans(issueId) };
  }

  private mirrorTransaction<T>(work: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}
