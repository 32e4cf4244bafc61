// Cloud signing: the manual's IKonturDssService — SignDocument, GetStatus, ConfirmSignOperation,
// GetResult — over a durable state machine in the database. One operation signs one document or
// several (the seed's SignRequest.Parts; Kontur's Sign takes several files): one SMS code, a
// signature per document, and each document's own outcome (a file Kontur failed, or a signature
// that did not verify, fails that document alone):
//   created → waitingUser → inProgress → complete | error
// Sign registers the operation at Kontur (small documents are uploaded, larger ones signed by
// their Streebog hash); Confirm sends the SMS code; once confirmed, the `signing.finish` job
// fetches the signature, verifies it locally (digest, signer, chain) and only then attaches it,
// so the signature is not lost when the browser is closed or the server restarts.
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { DatabaseEvents } from '../store/database-events.ts';
import type { Db } from '../store/db.ts';
import { documents, documentSignatures, employeeCertificates, signOperationDocuments, signOperations, type SignOperationState } from '../store/schema/index.ts';
import type { CloudClient } from '../kontur/cloud-client.ts';
import {
  CloudConflictError,
  CloudNotFoundError,
  CloudProtocolError,
  CloudUnavailableError,
  CloudValidationError,
} from '../kontur/cloud-errors.ts';
import { CLOUD_SIGN_TYPE, type CloudFileResult, type CloudOperationState } from '../kontur/cloud-types.ts';
import { withDeadline } from '../kontur/deadline.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import type { NotificationsService } from './notifications.ts';
import type { SmsLimits } from './sms-limits.ts';
import type { DocumentsService, DocumentRow } from './documents.ts';
import { ConflictError, ForbiddenError, NotFoundError, ServiceError, ValidationError } from './errors.ts';
import { failed, succeeded, type OperationResult } from './operation-result.ts';
import { MAX_WRONG_CODES, cloudFailure, cloudFileFailure, serviceErrorOfCloud, type CloudFailure } from './cloud-failures.ts';
import { DSS_SIGN_STATUS, DSS_STATUS_OF_STATE, FINAL_STATES, dssSignStatusOfCloud, type DssSignStatusName } from './sign-status.ts';
import type { SigningTrust } from './signing-trust.ts';
import { checkSignatureByContent, checkSignatureByDigest, type SignatureCheck } from './signature-verification.ts';
import type { RevocationAnswer, RevocationChecker } from './revocation-check.ts';

export const FINISH_JOB = 'signing.finish';

/** How many documents one operation signs at most (Kontur takes up to 100 files; a page of the list is 20). */
export const MAX_DOCUMENTS_PER_OPERATION = 20;

/** The seed's SignRequest: which document (or documents: its Parts), with which cloud certificate. */
export interface SignRequest {
  /** One document: the original shape of the request. */
  documentId?: string;
  /** Several documents, signed in one operation with one SMS code. Exactly one of `documentId`, `documentIds`. */
  documentIds?: string[];
  /** The cloud certificate (thumbprint) in the signer's employee card. */
  certificateThumbprint: string;
}

/** The seed's KonturSignResponse, with our operation id. */
export interface SignOperationStarted {
  operationId: string;
  /** The first document (the only one of a single-document operation). */
  documentId: string;
  /** Every document of the operation, in the order of the request. */
  documentIds: string[];
  method: 'upload' | 'hash';
  confirmType: number | null;
  phoneLastNumbers: string | null;
  additionalDssInfo: unknown;
  signStatus: number;
  signStatusName: DssSignStatusName;
}

/** One document of an operation and its outcome: `pending` until the operation ends, then `signed` or `error`. */
export interface SignedDocumentStatus {
  documentId: string;
  fileName: string;
  state: 'pending' | 'signed' | 'error';
  signatureId: string | null;
  error: string | null;
}

/** The seed's DssSignStatusResponse, plus what a signing dialog needs. */
export interface DssSignStatusResponse {
  operationId: string;
  /** The first document (the only one of a single-document operation). */
  documentId: string;
  signStatus: number;
  signStatusName: DssSignStatusName;
  /** `complete` when at least one document is signed; each document's outcome is in `fileStatuses`. */
  state: SignOperationState;
  fileStatuses: SignedDocumentStatus[];
  /** Documents signed, of `fileStatuses.length`. */
  signedCount: number;
  method: 'upload' | 'hash';
  certificateThumbprint: string;
  phoneLastNumbers: string | null;
  attemptsLeft: number | null;
  errorCode: string | null;
  message: string;
  signatureId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CloudCertificateView {
  id: string;
  thumbprint: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: Date;
  validTo: Date;
}

export interface SigningOptions {
  /** Documents up to this size are uploaded to Kontur; larger ones are signed by hash. */
  uploadMaxBytes: number;
  /** How long one finishing pass waits for Kontur before it hands over to a later job. */
  finishPassMs?: number;
  /** Lease of one finishing pass, renewed every third of it while the pass runs (JOB_LEASE_SECONDS). */
  leaseMs?: number;
  /** How long after confirmation Kontur may take before the operation is given up (default 30 minutes). */
  maxSigningMs?: number;
  /** The deadline of one operation's calls to Kontur, retries included (KONTUR_DEADLINE_MS; default 60 s). */
  deadlineMs?: number;
}

/** Where an operation's end (complete or error) is announced to every process (LISTEN/NOTIFY). */
export const SIGN_OPERATIONS_CHANNEL = 'kca_sign_operations';

/** How long a Confirm request finishes the operation itself before the job takes over. */
const INLINE_FINISH_MS = 10_000;

/**
 * The wait before asking Kontur's status again: short right after the code (the sandbox signs in
 * tens of milliseconds, the real service in about a second), longer the longer it takes: a fifth
 * of the time waited so far, from 20 ms to 1 s.
 */
function statusPollDelay(waitedMs: number): number {
  return Math.min(1000, Math.max(20, Math.round(waitedMs / 5)));
}

/** Queues the finishing job (pg-boss in the server). */
export type FinishScheduler = (operationId: string, startAfterSeconds?: number) => Promise<void>;

type Operation = typeof signOperations.$inferSelect;
type OperationDocument = typeof signOperationDocuments.$inferSelect;
const SYSTEM: Actor = { userId: null, name: 'system', role: 'system', employeeId: null };


/**
 * Which of Kontur's FileStatuses belongs to which document: by FileId for an uploaded document, by
 * hash for one signed by hash, else by position (Kontur lists the files in the order they were sent).
 */
function matchFiles(parts: OperationDocument[], files: CloudFileResult[], digests: Map<string, string>): (CloudFileResult | undefined)[] {
  const used = new Set<number>();
  const take = (found: number) => {
    if (found < 0) return undefined;
    used.add(found);
    return files[found];
  };
  return parts.map((part, position) => {
    const byId = part.konturFileId ? files.findIndex((file, index) => !used.has(index) && file.fileId === part.konturFileId) : -1;
    if (byId >= 0) return take(byId);
    const digest = digests.get(part.documentId);
    const byHash = digest ? files.findIndex((file, index) => !used.has(index) && file.hash?.toLowerCase() === digest) : -1;
    if (byHash >= 0) return take(byHash);
    return files.length === parts.length && !used.has(position) ? take(position) : undefined;
  });
}

/** Kontur's refusals of a code, when its status could not be read to say why. */
const CONFIRM_REFUSALS: Record<string, CloudFailure> = {
  ConfirmationAttemptsExceeded: cloudFailure('ExceededConfirmationAttemptsCount'),
  OperationExpired: cloudFailure('Timeout'),
  OperationCanceled: cloudFailure('CanceledByUser'),
  UserHasUnconfirmedOperation: cloudFailure('UserHasUnconfirmedOperation'),
  StartConfirmationFailed: cloudFailure('StartConfirmationFailed'),
};
const isStaff = (actor: Actor) => actor.role === 'admin' || actor.role === 'operator' || actor.role === 'system';

function statusMessage(operation: Operation, signed: number, total: number): string {
  switch (operation.state) {
    case 'created':
      return 'Операция подписания регистрируется в УЦ Контур';
    case 'waitingUser':
      return `Введите код из СМС, отправленного на номер, оканчивающийся на ${operation.phoneLastNumbers ?? '…'}`;
    case 'inProgress':
      return 'Код подтверждён: подпись формируется';
    case 'complete':
      if (total > 1) return signed === total ? `Электронные подписи сформированы и прикреплены ко всем документам (${total})` : `Подписано документов: ${signed} из ${total}; у остальных причина указана рядом с документом`;
      return 'Электронная подпись сформирована и прикреплена к документу';
    case 'error':
      return operation.errorMessage ?? 'Операция подписания завершилась ошибкой';
  }
}

export class SigningService {
  private scheduleFinish: FinishScheduler = async () => undefined;
  private readonly finishPassMs: number;
  readonly leaseMs: number;
  private readonly maxSigningMs: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly db: Db,
    private readonly documents: DocumentsService,
    private readonly cloud: CloudClient,
    private readonly trust: SigningTrust,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly options: SigningOptions,
    /** The database's notifications: long-polls wake when an operation ends. */
    private readonly events: DatabaseEvents,
    /** How many operations (each an SMS) a signer and a document may have. */
    private readonly smsLimits: SmsLimits,
    /** E-mail notices (an operation waiting for its code). */
    private readonly mail?: NotificationsService,
  ) {
    this.finishPassMs = options.finishPassMs ?? 20_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.maxSigningMs = options.maxSigningMs ?? 30 * 60_000;
    this.deadlineMs = options.deadlineMs ?? 60_000;
  }

  private revocation: RevocationChecker | undefined;

  /** Wires the revocation check (OCSP, CRL) of signers' certificates. */
  useRevocationChecker(checker: RevocationChecker): void {
    this.revocation = checker;
  }

  /** Wires the job queue (the composition root does it once the queue exists). */
  useScheduler(scheduler: FinishScheduler): void {
    this.scheduleFinish = scheduler;
  }

  /** "Find a certificate in the cloud": the cloud (DSS) certificates of an employee card that are valid now. */
  async findCloudCertificates(employeeId: string | null): Promise<CloudCertificateView[]> {
    if (!employeeId) return [];
    const rows = await this.db
      .select()
      .from(employeeCertificates)
      .where(and(eq(employeeCertificates.employeeId, employeeId), eq(employeeCertificates.cspType, 'dss')))
      .orderBy(employeeCertificates.validTo);
    const now = new Date();
    return rows
      .filter((row) => row.validFrom <= now && row.validTo > now)
      .map((row) => ({ id: row.id, thumbprint: row.thumbprint, subject: row.subject, issuer: row.issuer, serialNumber: row.serialNumber, validFrom: row.validFrom, validTo: row.validTo }));
  }

  /** SignDocument(SignRequest, StaffEmployee): `employeeId` is the signer, who must be the acting user. */
  signDocument(actor: Actor, request: SignRequest, employeeId: string | null): Promise<OperationResult<SignOperationStarted>> {
    const firstDocument = request.documentId ?? (Array.isArray(request.documentIds) && typeof request.documentIds[0] === 'string' ? request.documentIds[0] : null);
    const audited = {
      action: 'signDocument',
      targetType: 'document',
      targetId: firstDocument,
      describe: (started: SignOperationStarted) => ({ details: { signOperationId: started.operationId, documentIds: started.documentIds, thumbprint: request.certificateThumbprint, method: started.method } }),
    };
    return this.audit.operation(actor, audited, async () => {
      try {
        const started = await withDeadline(this.deadlineMs, () => this.start(actor, request, employeeId));
        return succeeded(started, started.documentIds.length > 1 ? `Код подтверждения подписания документов (${started.documentIds.length}) отправлен по СМС` : 'Код подтверждения отправлен по СМС');
      } catch (error) {
        const serviceError = serviceErrorOfCloud(error);
        if (serviceError instanceof ServiceError) return failed(serviceError);
        throw serviceError;
      }
    });
  }

  private async start(actor: Actor, request: SignRequest, employeeId: string | null): Promise<SignOperationStarted> {
    const thumbprint = (request.certificateThumbprint ?? '').replace(/[\s:]/g, '').toUpperCase();
    if (!/^[0-9A-F]{40}$/.test(thumbprint)) throw new ValidationError([{ field: 'certificateThumbprint', message: 'Отпечаток сертификата: 40 шестнадцатеричных символов' }]);
    const chosen = await this.requestedDocuments(actor, request);
    if (!employeeId || (actor.role !== 'system' && actor.employeeId !== employeeId)) {
      throw new ForbiddenError('Подписывать облачным сертификатом может только его владелец');
    }
    const [certificate] = await this.db.select().from(employeeCertificates).where(eq(employeeCertificates.thumbprint, thumbprint));
    const own = certificate?.employeeId === employeeId ? certificate : (await this.db.select().from(employeeCertificates).where(and(eq(employeeCertificates.thumbprint, thumbprint), eq(employeeCertificates.employeeId, employeeId))))[0];
    if (!own) {
      if (certificate) throw new ForbiddenError('Подписывать облачным сертификатом может только его владелец');
      throw new ValidationError([{ field: 'certificateThumbprint', message: 'Такого сертификата нет в карточке сотрудника' }]);
    }
    if (own.cspType !== 'dss') throw new ValidationError([{ field: 'certificateThumbprint', message: 'Это не облачный сертификат: ключ хранится не в УЦ Контур' }]);
    const now = new Date();
    // A revoked or expired certificate can no longer start an operation (each one sends an SMS).
    if (own.validTo <= now) throw new ConflictError(`Срок действия сертификата истёк ${own.validTo.toISOString().slice(0, 10)}: подписывать им нельзя`, [{ field: 'certificateThumbprint', message: 'Срок действия сертификата истёк' }]);
    if (own.validFrom > now) throw new ConflictError('Сертификат ещё не начал действовать', [{ field: 'certificateThumbprint', message: 'Сертификат ещё не действует' }]);
    const revocation = await this.revocation?.check(own.id);
    if (revocation?.status === 'revoked') throw new ConflictError(`Сертификат отозван: подписывать им нельзя (${revocation.message})`, [{ field: 'certificateThumbprint', message: revocation.message }]);

    const documentIds = chosen.map((document) => document.id);
    await this.refuseWhileAnotherWaits(thumbprint, employeeId, documentIds);
    // Kontur's Sign takes one kind of file list: all uploaded, or all by hash when any is too big to upload.
    const method = chosen.every((document) => document.size <= this.options.uploadMaxBytes) ? 'upload' : 'hash';
    // Each operation sends one SMS and brings fresh tries for the code, however many documents it
    // signs: the limits decide first, counting it once for the signer and once for each document.
    const operation = await this.smsLimits.admitSignOperation(employeeId, documentIds, async (tx) => {
      const [row] = await tx
        .insert(signOperations)
        .values({ documentId: documentIds[0], employeeId, certificateThumbprint: thumbprint, requestedBy: actor.userId, method })
        .returning();
      await tx.insert(signOperationDocuments).values(documentIds.map((documentId, position) => ({ operationId: row.id, position, documentId })));
      return row;
    });
    try {
      const fileIds: string[] = [];
      if (method === 'upload') {
        for (const [position, document] of chosen.entries()) {
          const fileId = await this.upload(document);
          fileIds.push(fileId);
          await this.db
            .update(signOperationDocuments)
            .set({ konturFileId: fileId })
            .where(and(eq(signOperationDocuments.operationId, operation.id), eq(signOperationDocuments.position, position)));
        }
      }
      const response = await this.cloud.sign({
        Thumbprint: thumbprint,
        ...(method === 'upload' ? { FileIds: fileIds } : { FileHashes: chosen.map((document) => ({ FileName: document.fileName, HashContent: document.streebog256 })) }),
        ConfirmMessage: { Template: 0 },
        SignType: CLOUD_SIGN_TYPE.DetachedCMS,
      });
      const [updated] = await this.db
        .update(signOperations)
        .set({
          state: 'waitingUser',
          konturFileId: fileIds[0] ?? null,
          konturOperationId: response.OperationId,
          confirmType: response.ConfirmType,
          phoneLastNumbers: response.PhoneLastNumbers ?? null,
          attemptsLeft: MAX_WRONG_CODES,
          updatedAt: new Date(),
        })
        .where(eq(signOperations.id, operation.id))
        .returning();
      // Kontur registers an operation it will not run (the owner has another one waiting for a
      // code, or no SMS could be sent) with a final status at once: tell the user now, not after
      // a code that never comes.
      const started = await this.cloud.getStatus(response.OperationId).catch((error) => {
        this.logger.debug({ err: error, operationId: operation.id }, 'could not read the new operation\'s status at Kontur');
        return undefined;
      });
      if (started && dssSignStatusOfCloud(started.status) === 'Error') {
        const failure = cloudFailure(started.status, started.rawStatus);
        await this.fail(operation.id, ['waitingUser'], failure.code, failure.message);
        throw new ServiceError(started.status === 'UserHasUnconfirmedOperation' ? 409 : 422, `sign-${failure.code}`, failure.message);
      }
      // The signer is told by mail too (recorded here, sent by the mail job); a failure to record it does not stop the signing.
      await this.mail
        ?.signingCodeWaiting({
          operationId: updated.id,
          documentId: chosen[0].id,
          documentName: chosen.length === 1 ? chosen[0].fileName : `${chosen[0].fileName} и ещё документов: ${chosen.length - 1}`,
          employeeId,
          phoneLastNumbers: response.PhoneLastNumbers ?? null,
        })
        .catch((error) => this.logger.warn({ err: error, operationId: updated.id }, 'could not record the mail notice'));
      return {
        operationId: updated.id,
        documentId: documentIds[0],
        documentIds,
        method,
        confirmType: response.ConfirmType,
        phoneLastNumbers: response.PhoneLastNumbers ?? null,
        additionalDssInfo: response.AdditionalDssInfo ?? null,
        signStatus: DSS_SIGN_STATUS.WaitingUser,
        signStatusName: 'WaitingUser',
      };
    } catch (error) {
      const serviceError = serviceErrorOfCloud(error);
      const message = serviceError instanceof ServiceError ? serviceError.message : 'Внутренняя ошибка при регистрации операции подписания';
      await this.fail(operation.id, ['created'], 'sign-failed', message);
      throw serviceError;
    }
  }

  /**
   * Kontur runs one operation per certificate owner waiting for a code at a time (a second one
   * ends as UserHasUnconfirmedOperation). An operation of this certificate the bridge still sees
   * waiting is checked at Kontur first: if it is still waiting, the user is told to finish it.
   * The signer's and the document's other waiting operations of the last hour are checked too, so
   * that the SMS limits count only those still waiting for a code.
   */
  private async refuseWhileAnotherWaits(thumbprint: string, employeeId: string, documentIds: string[]): Promise<void> {
    const waiting = await this.db
      .select()
      .from(signOperations)
      .where(
        and(
          eq(signOperations.state, 'waitingUser'),
          or(
            eq(signOperations.certificateThumbprint, thumbprint),
            and(
              or(
                eq(signOperations.employeeId, employeeId),
                inArray(signOperations.documentId, documentIds),
                inArray(signOperations.id, this.db.select({ id: signOperationDocuments.operationId }).from(signOperationDocuments).where(inArray(signOperationDocuments.documentId, documentIds))),
              ),
              gt(signOperations.createdAt, new Date(Date.now() - 3600_000)),
            ),
          ),
        ),
      );
    for (const operation of waiting) {
      // Kontur unreachable: its answer to Sign will tell (an outage, or 6 for a waiting operation).
      const status = await this.readStatus(operation);
      if (!status) continue;
      const current = await this.applyWaitingStatus(operation, status);
      if (current.state !== 'waitingUser' || current.certificateThumbprint !== thumbprint) continue;
      const [document] = await this.db.select({ fileName: documents.fileName }).from(documents).where(eq(documents.id, operation.documentId));
      const message = `Этим сертификатом уже начато подписание${document ? ` документа «${document.fileName}»` : ''}, ожидающее кода из СМС: введите код для той операции или дождитесь, пока время на ввод кода истечёт`;
      throw new ConflictError(message, [{ field: 'certificateThumbprint', message }]);
    }
  }

  /**
   * The documents a request names, each visible to the actor: `documentId` (one) or `documentIds`
   * (1 to MAX_DOCUMENTS_PER_OPERATION, no repeats). A document not found is named by its field.
   */
  private async requestedDocuments(actor: Actor, request: SignRequest): Promise<DocumentRow[]> {
    const single = request.documentId;
    const several = request.documentIds;
    if ((single === undefined) === (several === undefined)) {
      throw new ValidationError([{ field: 'documentIds', message: 'Укажите документ (documentId) или документы (documentIds), что-то одно' }]);
    }
    if (single !== undefined) return [await this.documents.visible(actor, single)];
    const ids = several ?? [];
    if (ids.length === 0 || ids.length > MAX_DOCUMENTS_PER_OPERATION) {
      throw new ValidationError([{ field: 'documentIds', message: `За одну операцию подписывается от 1 до ${MAX_DOCUMENTS_PER_OPERATION} документов` }]);
    }
    const problems = ids.flatMap((id, index) => (ids.indexOf(id) !== index ? [{ field: `documentIds[${index}]`, message: 'Документ указан дважды' }] : []));
    if (problems.length) throw new ValidationError(problems);
    const chosen: DocumentRow[] = [];
    for (const [index, id] of ids.entries()) {
      try {
        chosen.push(await this.documents.visible(actor, id));
      } catch (error) {
        if (error instanceof NotFoundError) throw new ValidationError([{ field: `documentIds[${index}]`, message: 'Документ не найден' }], `Документ ${index + 1} из ${ids.length} не найден`);
        throw error;
      }
    }
    return chosen;
  }

  /** Uploads the document to Kontur chunk by chunk (resuming what Kontur already has). */
  private async upload(document: DocumentRow): Promise<string> {
    const md5 = createHash('md5');
    for await (const chunk of this.documents.openBlob(document)) md5.update(chunk as Buffer);
    return this.cloud.uploadFile({
      fileName: document.fileName,
      length: document.size,
      md5Hex: md5.digest('hex'),
      read: (offset, size) => this.documents.readRange(document, offset, size),
    });
  }

  private async load(actor: Actor, operationId: string, forChange: boolean): Promise<Operation> {
    const [operation] = await this.db.select().from(signOperations).where(eq(signOperations.id, operationId));
    if (!operation) throw new NotFoundError('Операция подписания не найдена');
    const own = actor.role === 'system' || (actor.employeeId !== null && actor.employeeId === operation.employeeId);
    if (!own && !(isStaff(actor) && !forChange)) {
      if (isStaff(actor)) throw new ForbiddenError('Подтвердить подписание может только владелец сертификата');
      throw new NotFoundError('Операция подписания не найдена');
    }
    return operation;
  }

  /** ConfirmSignOperation(Guid, string): the SMS code. A wrong code answers 400 with the tries left. */
  confirmSignOperation(actor: Actor, operationId: string, code: string): Promise<OperationResult<DssSignStatusResponse>> {
    return this.audit.operation(actor, { action: 'confirmSignOperation', targetType: 'signOperation', targetId: operationId, describe: (status) => ({ details: { signStatus: status.signStatusName } }) }, async () => {
      try {
        return succeeded(await withDeadline(this.deadlineMs, () => this.confirm(actor, operationId, code)), 'Код подтверждён: подпись формируется');
      } catch (error) {
        const serviceError = serviceErrorOfCloud(error);
        if (serviceError instanceof ServiceError) return failed(serviceError);
        throw serviceError;
      }
    });
  }

  private async confirm(actor: Actor, operationId: string, rawCode: string): Promise<DssSignStatusResponse> {
    const code = (rawCode ?? '').trim();
    if (!/^\d{4,8}$/.test(code)) throw new ValidationError([{ field: 'code', message: 'Код из СМС: от 4 до 8 цифр' }]);
    let operation = await this.load(actor, operationId, true);
    if (operation.state !== 'waitingUser') throw this.notWaiting(operation);
    const konturId = operation.konturOperationId!;
    // One Confirm: the transport repeats it only when Kontur's answer proves it was not carried
    // out (503, 429, a connection refused), since a repeated wrong code would count twice.
    try {
      await this.cloud.confirm(konturId, code);
    } catch (error) {
      if (error instanceof CloudValidationError && error.code === 'InvalidConfirmationCode') {
        const left = error.extra.attemptsLeft ?? null;
        await this.db.update(signOperations).set({ attemptsLeft: left, updatedAt: new Date() }).where(eq(signOperations.id, operation.id));
        const message = left === null ? 'Неверный код из СМС' : `Неверный код из СМС. Осталось попыток: ${left}`;
        throw new ValidationError([{ field: 'code', message }], message);
      }
      if (error instanceof CloudValidationError) {
        // Kontur refused the code for the operation's state (ended, expired, too many wrong
        // codes, never started): its status says why, in the same words as everywhere.
        const status = await this.cloud.getStatus(konturId).catch(() => undefined);
        const failure = status && dssSignStatusOfCloud(status.status) === 'Error' ? cloudFailure(status.status, status.rawStatus) : CONFIRM_REFUSALS[error.code];
        if (failure) {
          await this.fail(operation.id, ['waitingUser'], failure.code, failure.message, failure.code === 'wrong-code-limit' ? { attemptsLeft: 0 } : {});
          if (failure.code === 'wrong-code-limit') throw new ValidationError([{ field: 'code', message: failure.message }], failure.message);
          throw new ServiceError(422, `sign-${failure.code}`, failure.message);
        }
        throw error;
      }
      // The answer was lost (timeout, 502/504) or Kontur says it is confirmed already: the
      // code is not sent again blindly — the operation's state at Kontur decides.
      if ((error instanceof CloudUnavailableError && error.outcomeUnknown) || error instanceof CloudConflictError) {
        const status = await this.cloud.getStatus(konturId).catch(() => undefined);
        const dss = status ? dssSignStatusOfCloud(status.status) : 'Unknown';
        if (status && dss === 'Error') {
          const failure = cloudFailure(status.status, status.rawStatus);
          await this.fail(operation.id, ['waitingUser'], failure.code, failure.message);
          throw new ServiceError(422, `sign-${failure.code}`, failure.message);
        }
        if (dss !== 'InProgress' && dss !== 'Complete') throw new ServiceError(504, 'kontur-timeout', 'УЦ Контур не подтвердил получение кода: введите код ещё раз');
      } else {
        throw error;
      }
    }
    const [confirmed] = await this.db
      .update(signOperations)
      .set({ state: 'inProgress', confirmedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(signOperations.id, operation.id), eq(signOperations.state, 'waitingUser')))
      .returning();
    operation = confirmed ?? (await this.load(actor, operationId, false));
    // The job is the safety net (a crash, a lost answer); this request finishes the operation
    // itself when Kontur is quick, so the caller gets the signature in the answer. Whichever
    // comes second finds the operation finished (the lease and the final states keep it once).
    await this.scheduleFinish(operation.id);
    if (operation.state === 'inProgress') {
      // A job that found this request's lease has left the operation to it: if Kontur is slow or
      // fails, a job is sent again, as the job itself does.
      const outcome = await this.finish(operation.id, INLINE_FINISH_MS).catch((error) => {
        this.logger.warn({ err: error, operationId: operation.id }, 'finishing in the request failed; a job goes on');
        return 'failed' as const;
      });
      if (outcome !== 'done') await this.scheduleFinish(operation.id, outcome === 'later' ? 1 : 2);
      operation = await this.load(actor, operationId, false);
    }
    return await this.statusOf(operation);
  }

  private notWaiting(operation: Operation): ServiceError {
    if (operation.state === 'error') return new ConflictError(`Операция подписания уже завершилась ошибкой: ${operation.errorMessage ?? ''}`.trim());
    if (operation.state === 'created') return new ConflictError('Операция ещё регистрируется в УЦ Контур: подождите СМС');
    return new ConflictError('Операция подписания уже подтверждена');
  }

  /**
   * GetStatus(Guid). With `waitMs`, waits while the operation is being finished: woken by the
   * database's notification when it ends (whichever process ends it), and checking again every
   * second in case a notification was missed (the listening connection reconnecting).
   */
  getStatus(actor: Actor, operationId: string, options: { waitMs?: number } = {}): Promise<OperationResult<DssSignStatusResponse>> {
    return this.audit.operation(actor, { action: 'getStatus', targetType: 'signOperation', targetId: operationId, read: true, describe: (status) => ({ details: { signStatus: status.signStatusName } }) }, async () => {
      try {
        let operation = await this.load(actor, operationId, false);
        if (operation.state === 'waitingUser') operation = await this.reconcileWaiting(operation);
        const deadline = Date.now() + Math.min(options.waitMs ?? 0, 60_000);
        while ((operation.state === 'inProgress' || operation.state === 'created') && Date.now() < deadline) {
          await this.events.waitFor(SIGN_OPERATIONS_CHANNEL, operation.id, Math.min(1000, deadline - Date.now()));
          operation = await this.load(actor, operationId, false);
        }
        const status = await this.statusOf(operation);
        return succeeded(status, status.message);
      } catch (error) {
        if (error instanceof ServiceError) return failed(error);
        throw error;
      }
    });
  }

  /** A waiting operation may have expired, been declined, or been confirmed by a request whose answer was lost. */
  private async reconcileWaiting(operation: Operation): Promise<Operation> {
    const status = await this.readStatus(operation);
    return status ? this.applyWaitingStatus(operation, status) : operation;
  }

  /** The operation's status at Kontur, or undefined when it cannot be read now. */
  private async readStatus(operation: Operation): Promise<CloudOperationState | undefined> {
    try {
      return await withDeadline(this.deadlineMs, () => this.cloud.getStatus(operation.konturOperationId!));
    } catch (error) {
      this.logger.debug({ err: error, operationId: operation.id }, 'could not read the operation status at Kontur');
      return undefined;
    }
  }

  /** Moves a waiting operation as Kontur's status says: on to the finishing job, or to its failure. */
  private async applyWaitingStatus(operation: Operation, status: CloudOperationState): Promise<Operation> {
    const dss = dssSignStatusOfCloud(status.status);
    if (dss === 'WaitingUser' || dss === 'Unknown') return operation;
    if (dss === 'InProgress' || dss === 'Complete') {
      const [moved] = await this.db
        .update(signOperations)
        .set({ state: 'inProgress', confirmedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(signOperations.id, operation.id), eq(signOperations.state, 'waitingUser')))
        .returning();
      if (moved) await this.scheduleFinish(moved.id);
      return moved ?? operation;
    }
    const failure = cloudFailure(status.status, status.rawStatus);
    return (await this.fail(operation.id, ['waitingUser'], failure.code, failure.message)) ?? operation;
  }

  /** GetResult(Guid): the signature (CMS, DER) of a completed operation. */
  getResult(actor: Actor, operationId: string): Promise<OperationResult<Buffer>> {
    return this.audit.operation(actor, { action: 'getResult', targetType: 'signOperation', targetId: operationId, read: true }, async () => {
      try {
        const operation = await this.load(actor, operationId, false);
        if (operation.state !== 'complete' || !operation.signatureId) {
          throw operation.state === 'error' ? new ConflictError(`Подписи нет: ${operation.errorMessage ?? 'операция завершилась ошибкой'}`) : new ConflictError('Подпись ещё не готова');
        }
        const [signature] = await this.db.select({ cms: documentSignatures.cms }).from(documentSignatures).where(eq(documentSignatures.id, operation.signatureId));
        return succeeded(signature.cms, 'Подпись сформирована');
      } catch (error) {
        if (error instanceof ServiceError) return failed(error);
        throw error;
      }
    });
  }

  /** Re-runs the verification of an attached signature against the document's bytes (hashed again). */
  async verifySignature(actor: Actor, documentId: string, signatureId: string): Promise<SignatureCheck & { verifiedAt: Date; documentId: string; signatureId: string; revocation: RevocationAnswer | null }> {
    const { document, signature } = await this.documents.signature(actor, documentId, signatureId);
    const check = await checkSignatureByContent(signature.cms, this.documents.openBlob(document), await this.trust.roots(), signature.certificateThumbprint);
    const { check: checked, revocation } = await this.withRevocation(check, signature.certificateThumbprint);
    return { ...checked, verifiedAt: new Date(), documentId, signatureId, revocation };
  }

  /**
   * The signer's certificate asked of its CA (OCSP, else the CRL; cached): a signature made after
   * the certificate was revoked is not valid. One made before stays valid, with the revocation shown.
   */
  private async withRevocation(check: SignatureCheck, thumbprint: string): Promise<{ check: SignatureCheck; revocation: RevocationAnswer | null }> {
    if (!this.revocation || !check.valid) return { check, revocation: null };
    const [card] = await this.db.select({ id: employeeCertificates.id }).from(employeeCertificates).where(eq(employeeCertificates.thumbprint, thumbprint.toUpperCase())).limit(1);
    if (!card) return { check, revocation: null };
    const revocation = await this.revocation.check(card.id);
    const signedAt = check.timeStamp ?? check.signingTime ?? new Date();
    if (revocation.status === 'revoked' && revocation.revokedAt && Date.parse(revocation.revokedAt) <= signedAt.getTime()) {
      return { check: { ...check, valid: false, reason: 'certificate-revoked', message: `Подпись недействительна: сертификат подписанта отозван ${revocation.revokedAt.slice(0, 10)}, до подписания` }, revocation };
    }
    return { check, revocation };
  }

  /** The status response: each document of the operation, named as it was uploaded, with its outcome. */
  async statusOf(operation: Operation): Promise<DssSignStatusResponse> {
    const name = DSS_STATUS_OF_STATE[operation.state];
    const parts = await this.db
      .select({ part: signOperationDocuments, fileName: documents.fileName })
      .from(signOperationDocuments)
      .innerJoin(documents, eq(documents.id, signOperationDocuments.documentId))
      .where(eq(signOperationDocuments.operationId, operation.id))
      .orderBy(signOperationDocuments.position);
    const fileStatuses: SignedDocumentStatus[] = parts.map(({ part, fileName }) => {
      if (part.signatureId) return { documentId: part.documentId, fileName, state: 'signed', signatureId: part.signatureId, error: null };
      const error = part.errorMessage ?? (operation.state === 'error' ? operation.errorMessage ?? 'Операция подписания завершилась ошибкой' : null);
      return { documentId: part.documentId, fileName, state: error ? 'error' : 'pending', signatureId: null, error };
    });
    const signedCount = fileStatuses.filter((file) => file.state === 'signed').length;
    return {
      operationId: operation.id,
      documentId: operation.documentId,
      signStatus: DSS_SIGN_STATUS[name],
      signStatusName: name,
      state: operation.state,
      fileStatuses,
      signedCount,
      method: operation.method,
      certificateThumbprint: operation.certificateThumbprint,
      phoneLastNumbers: operation.phoneLastNumbers,
      attemptsLeft: operation.attemptsLeft,
      errorCode: operation.errorCode,
      message: statusMessage(operation, signedCount, fileStatuses.length),
      signatureId: operation.signatureId,
      createdAt: operation.createdAt,
      updatedAt: operation.updatedAt,
    };
  }

  private async fail(id: string, from: SignOperationState[], code: string, message: string, extra: Partial<Operation> = {}): Promise<Operation | undefined> {
    const [row] = await this.db
      .update(signOperations)
      .set({ ...extra, state: 'error', errorCode: code, errorMessage: message, finishedAt: new Date(), leaseUntil: null, updatedAt: new Date() })
      .where(and(eq(signOperations.id, id), inArray(signOperations.state, from)))
      .returning();
    if (row) {
      this.logger.info({ operationId: id, errorCode: code }, 'signing operation failed');
      await this.announceEnd(id);
    }
    return row;
  }

  /** Wakes the long-polls of every process waiting for this operation. */
  private async announceEnd(operationId: string): Promise<void> {
    await this.db.execute(sql`select pg_notify(${SIGN_OPERATIONS_CHANNEL}, ${operationId})`).catch((error) => this.logger.warn({ err: error, operationId }, 'could not announce the end of a signing operation'));
  }

  // ---- the finishing job -------------------------------------------------------------

  /**
   * One pass of the `signing.finish` job: waits for Kontur to finish, fetches the signature,
   * verifies it and attaches it. Returns 'later' when Kontur is still working (the job is sent
   * again), 'held' when another pass holds the operation's lease (the job is sent again for when
   * that lease ends: if its holder died, this one takes over). Throws on outages so that pg-boss
   * retries. Safe to run twice: a lease, renewed every third of its length while the pass runs,
   * keeps a second worker out, and the signature is unique per operation.
   */
  finish(operationId: string, passMs = this.finishPassMs, cancel?: AbortSignal): Promise<'done' | 'later' | 'held'> {
    // One deadline for the pass's calls to Kontur; a job that lost its lease cancels it.
    return withDeadline(Math.max(this.deadlineMs, passMs), () => this.finishPass(operationId, passMs), cancel);
  }

  private async finishPass(operationId: string, passMs: number): Promise<'done' | 'later' | 'held'> {
    let leaseUntil = new Date(Date.now() + this.leaseMs);
    const [operation] = await this.db
      .update(signOperations)
      .set({ leaseUntil })
      .where(and(eq(signOperations.id, operationId), eq(signOperations.state, 'inProgress'), or(isNull(signOperations.leaseUntil), lt(signOperations.leaseUntil, new Date()))))
      .returning();
    if (!operation) {
      const [current] = await this.db.select({ state: signOperations.state }).from(signOperations).where(eq(signOperations.id, operationId));
      return current?.state === 'inProgress' ? 'held' : 'done';
    }
    let renewing: Promise<unknown> = Promise.resolve();
    const heartbeat = setInterval(() => {
      const next = new Date(Date.now() + this.leaseMs);
      renewing = this.db
        .update(signOperations)
        .set({ leaseUntil: next })
        .where(and(eq(signOperations.id, operationId), eq(signOperations.leaseUntil, leaseUntil)))
        .returning({ id: signOperations.id })
        .then((rows) => {
          if (rows.length) leaseUntil = next;
        })
        .catch((error) => this.logger.warn({ err: error, operationId }, 'could not renew the finishing lease'));
    }, this.leaseMs / 3);
    try {
      const deadline = Date.now() + passMs;
      const since = operation.confirmedAt?.getTime() ?? Date.now();
      let status: CloudOperationState;
      for (;;) {
        try {
          status = await this.cloud.getStatus(operation.konturOperationId!);
        } catch (error) {
          if (error instanceof CloudNotFoundError) {
            await this.fail(operation.id, ['inProgress'], 'kontur-lost', 'УЦ Контур не нашёл операцию подписания: начните подписание заново');
            return 'done';
          }
          throw error;
        }
        const dss = dssSignStatusOfCloud(status.status);
        if (dss === 'Complete' || dss === 'Error') break;
        // Queued or signing (or a value this client does not know): wait, but not for ever.
        if (operation.confirmedAt && Date.now() - operation.confirmedAt.getTime() > this.maxSigningMs) {
          this.logger.warn({ operationId: operation.id, status: status.rawStatus }, 'Kontur did not finish the signing operation in time');
          await this.fail(operation.id, ['inProgress'], 'kontur-stuck', `УЦ Контур не завершил подписание за ${Math.round(this.maxSigningMs / 60_000)} мин.: начните подписание заново`);
          return 'done';
        }
        const delay = statusPollDelay(Date.now() - since);
        if (Date.now() + delay > deadline) return 'later';
        await sleep(delay);
      }
      if (status.status !== 'Completed') {
        const failure = cloudFailure(status.status, status.rawStatus);
        await this.fail(operation.id, ['inProgress'], failure.code, failure.message);
        return 'done';
      }
      const parts = await this.partsOf(operation.id);
      const files = matchFiles(parts, status.files, await this.digestsOf(parts));
      // Each document on its own: a failed file or a signature that does not verify fails that
      // document alone. Documents signed by an earlier, interrupted pass are not fetched again.
      for (const [index, part] of parts.entries()) {
        if (part.signatureId || part.errorCode) continue;
        const file = files[index];
        if (!file || file.status === 'Error' || !file.resultId) {
          const failure: CloudFailure = file ? cloudFileFailure(file) : { code: 'kontur-failed', message: 'УЦ Контур завершил операцию без подписи этого документа' };
          await this.failDocument(part, failure);
          continue;
        }
        let cms: Buffer;
        try {
          cms = await this.cloud.getResult(file.resultId, file.resultSize, file.resultMd5);
        } catch (error) {
          if (error instanceof CloudNotFoundError || error instanceof CloudProtocolError) {
            await this.failDocument(part, { code: 'kontur-failed', message: 'УЦ Контур не отдал сформированную подпись' });
            continue;
          }
          throw error;
        }
        await this.attach(operation, part, cms);
      }
      await this.settle(operation);
      return 'done';
    } finally {
      clearInterval(heartbeat);
      await renewing;
      await this.db.update(signOperations).set({ leaseUntil: null }).where(and(eq(signOperations.id, operationId), eq(signOperations.leaseUntil, leaseUntil)));
    }
  }

  /** The documents of an operation, in the order of the request. */
  private partsOf(operationId: string): Promise<OperationDocument[]> {
    return this.db.select().from(signOperationDocuments).where(eq(signOperationDocuments.operationId, operationId)).orderBy(signOperationDocuments.position);
  }

  private async digestsOf(parts: OperationDocument[]): Promise<Map<string, string>> {
    const rows = parts.length ? await this.db.select({ id: documents.id, streebog256: documents.streebog256 }).from(documents).where(inArray(documents.id, parts.map((part) => part.documentId))) : [];
    return new Map(rows.map((row) => [row.id, row.streebog256.toLowerCase()]));
  }

  private async failDocument(part: OperationDocument, failure: CloudFailure): Promise<void> {
    this.logger.info({ operationId: part.operationId, documentId: part.documentId, errorCode: failure.code }, 'a document of a signing operation got no signature');
    await this.db
      .update(signOperationDocuments)
      .set({ errorCode: failure.code, errorMessage: failure.message })
      .where(and(eq(signOperationDocuments.operationId, part.operationId), eq(signOperationDocuments.position, part.position), isNull(signOperationDocuments.signatureId)));
  }

  /** Verifies one document's CMS and attaches it, or fails that document with the reason. */
  private async attach(operation: Operation, part: OperationDocument, cms: Buffer): Promise<void> {
    const document = await this.documents.visible(SYSTEM, part.documentId);
    const { check } = await this.withRevocation(checkSignatureByDigest(cms, document.streebog256, await this.trust.roots(), operation.certificateThumbprint), operation.certificateThumbprint);
    if (!check.valid || !check.signer) {
      this.logger.warn({ operationId: operation.id, documentId: part.documentId, reason: check.reason }, 'the signature from Kontur failed verification and was not attached');
      await this.failDocument(part, { code: 'verification-failed', message: `Подпись, полученная от УЦ Контур, не прошла проверку и не прикреплена: ${check.message.replace(/^Подпись недействительна: /, '')}` });
      return;
    }
    const signer = check.signer;
    await this.db.transaction(async (tx) => {
      await tx
        .insert(documentSignatures)
        .values({
          documentId: part.documentId,
          operationId: operation.id,
          employeeId: operation.employeeId,
          certificateThumbprint: signer.thumbprint,
          certificateSubject: signer.subject,
          certificateSerialNumber: signer.serialNumber,
          signingTime: check.signingTime,
          cms,
          verifiedAt: new Date(),
        })
        .onConflictDoNothing({ target: [documentSignatures.operationId, documentSignatures.documentId] });
      const [signature] = await tx
        .select({ id: documentSignatures.id })
        .from(documentSignatures)
        .where(and(eq(documentSignatures.operationId, operation.id), eq(documentSignatures.documentId, part.documentId)));
      await tx
        .update(signOperationDocuments)
        .set({ signatureId: signature.id, errorCode: null, errorMessage: null })
        .where(and(eq(signOperationDocuments.operationId, operation.id), eq(signOperationDocuments.position, part.position)));
      await this.audit.record(
        SYSTEM,
        { action: 'signOperation.signatureAttached', targetType: 'document', targetId: part.documentId, details: { signOperationId: operation.id, signatureId: signature.id, thumbprint: signer.thumbprint } },
        tx,
      );
    });
  }

  /**
   * Ends an operation whose documents all have an outcome: complete when at least one is signed
   * (its `signatureId` is the first signature), in error with the first document's reason otherwise.
   */
  private async settle(operation: Operation): Promise<void> {
    const parts = await this.partsOf(operation.id);
    const signed = parts.filter((part) => part.signatureId);
    if (signed.length === 0) {
      const first = parts.find((part) => part.errorCode);
      await this.fail(operation.id, ['inProgress'], first?.errorCode ?? 'kontur-failed', first?.errorMessage ?? 'УЦ Контур завершил операцию без подписи: начните подписание заново');
      return;
    }
    const [ended] = await this.db
      .update(signOperations)
      .set({ state: 'complete', signatureId: signed[0].signatureId, finishedAt: new Date(), leaseUntil: null, updatedAt: new Date() })
      .where(and(eq(signOperations.id, operation.id), eq(signOperations.state, 'inProgress')))
      .returning({ id: signOperations.id });
    if (ended) await this.announceEnd(operation.id);
  }

  /**
   * After a start or a crash: every confirmed operation gets a finishing job again (at the end
   * of its lease if a stopped process held one). The job is idempotent, so a duplicate is harmless.
   */
  async resumeUnfinished(): Promise<number> {
    const rows = await this.db.select({ id: signOperations.id, leaseUntil: signOperations.leaseUntil }).from(signOperations).where(eq(signOperations.state, 'inProgress'));
    for (const row of rows) {
      const wait = row.leaseUntil ? Math.max(0, Math.ceil((row.leaseUntil.getTime() - Date.now()) / 1000)) : 0;
      await this.scheduleFinish(row.id, wait);
    }
    return rows.length;
  }

  isFinal(state: SignOperationState): boolean {
    return FINAL_STATES.includes(state);
  }
}

