// Signing operations of the cloud-signature sandbox, with Kontur's OperationStatus values
// (docs/kontur-api.md §6). Sign registers one: 7 AwaitingForConfirmation once the SMS code is sent
// to the certificate owner's phone, 6 UserHasUnconfirmedOperation when the owner already has an
// operation waiting for a code, 9 StartConfirmationFailed when no SMS could be sent. Confirm
// checks the code: the right one queues the signing (0 Enqueued, then 1 InProgress, then
// 2 Completed or 5 Crashed), three wrong ones end it (8 ExceededConfirmationAttemptsCount), an
// operation nobody confirms in time becomes 4 Timeout, and the owner may decline it (3
// CanceledByUser, the console's action). Signatures are real GOST signatures of every SignType
// made with the owner's kept key, kept for GetResult.
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { SandboxDb } from './store/database.ts';
import { sandboxCloudOperations, sandboxCloudResults, type SandboxCloudOperationFile } from './store/schema.ts';
import { Streebog, toHex } from '../crypto/streebog.ts';
import type { SandboxCa } from './ca.ts';
import { CloudError, cloudBadRequest } from './cloud-error.ts';
import type { CloudFiles } from './cloud-files.ts';
import type { CloudSigners } from './cloud-signers.ts';
import type { SignRequestInput } from './cloud-sign-request.ts';
import { signatureOfType } from './cloud-sign-types.ts';
import { newSmsCode, type SmsOutbox } from './sms-outbox.ts';

/** OperationStatus as Kontur's public clients enumerate it. */
export const OPERATION_STATUS = {
  Enqueued: 0,
  InProgress: 1,
  Completed: 2,
  CanceledByUser: 3,
  Timeout: 4,
  Crashed: 5,
  UserHasUnconfirmedOperation: 6,
  AwaitingForConfirmation: 7,
  ExceededConfirmationAttemptsCount: 8,
  StartConfirmationFailed: 9,
} as const;
export const OPERATION_STATUS_NAMES = Object.keys(OPERATION_STATUS) as (keyof typeof OPERATION_STATUS)[];

/** FileStatuses[].Status and .ErrorCode. */
export const FILE_STATUS = { InProgress: 0, Completed: 1, Error: 2 } as const;
export const FILE_ERROR_CODE = { None: 0, Unknown: 1, BadEncryptedData: 2, EncryptedForOtherRecipient: 3, UnknownCertificate: 4, Declined: 5 } as const;

export const MAX_WRONG_CODES = 3;
const MAX_RESULT_PAGE = 4 * 1024 * 1024;
const CONFIRM_TYPE_SMS = 1;
/** AdditionalDssInfo.DssOperator: 1 Megafon, 2 Kontur, 3 Beeline. The sandbox plays Kontur's own DSS. */
const DSS_OPERATOR_KONTUR = 2;

type Operation = typeof sandboxCloudOperations.$inferSelect;
const S = OPERATION_STATUS;
/** Final statuses in which no signature was made. */
const FAILED: readonly number[] = [S.CanceledByUser, S.Timeout, S.Crashed, S.UserHasUnconfirmedOperation, S.ExceededConfirmationAttemptsCount, S.StartConfirmationFailed];

const operationNotFound = () => new CloudError(404, 'OperationNotFound', 'Operation not found');

/** Files of an operation that ended without signatures: each in error, declined when the owner declined. */
function failedFiles(files: SandboxCloudOperationFile[], status: number, why: string): SandboxCloudOperationFile[] {
  const errorCode = status === S.CanceledByUser ? FILE_ERROR_CODE.Declined : FILE_ERROR_CODE.Unknown;
  return files.map((file) => ({ ...file, error: file.error ?? why, errorCode: file.errorCode ?? errorCode, errorId: file.errorId ?? randomUUID() }));
}

export class CloudOperations {
  /** Operations being signed in this process (a restarted process resumes the others on GetStatus). */
  private readonly signing = new Map<string, Promise<void>>();

  constructor(
    private readonly db: SandboxDb,
    private readonly files: CloudFiles,
    private readonly signers: CloudSigners,
    private readonly sms: SmsOutbox,
    private readonly ca: SandboxCa,
    private readonly confirmationMs: () => number,
    private readonly logger: Logger,
    /**
     * Console faults: the SMS gateway fails a message, signing crashes, signing takes longer, one
     * file of an operation fails while the others are signed (status 2 with that file in error).
     */
    private readonly injected: { smsFails(): boolean; signingFails(): boolean; signingDelayMs(): number; fileFails?(fileName: string): boolean } = { smsFails: () => false, signingFails: () => false, signingDelayMs: () => 0 },
  ) {}

  /** Sign: registers the operation and, unless something stands in the way, sends the SMS code. */
  async create(client: string, request: SignRequestInput) {
    const operationFiles: SandboxCloudOperationFile[] = [];
    for (const [index, item] of request.files.entries()) {
      const base = { resultId: null, resultSize: null, resultMd5: null, error: null, errorCode: null, errorId: null };
      if (item.kind === 'uploaded') {
        const target = `FileIds[${index}]`;
        const file = await this.files.get(client, item.fileId).catch(() => {
          throw cloudBadRequest('FileNotFound', `File ${item.fileId} was not created by this client`, target);
        });
        if (!file.complete) throw cloudBadRequest('FileIncomplete', `File ${item.fileId} has ${file.received} of ${file.length} bytes: finish the upload first`, target);
        operationFiles.push({ ...base, fileId: file.id, fileName: file.fileName, kind: 'uploaded', digestHex: null });
      } else if (item.kind === 'serialized') {
        const content = Buffer.from(item.contentBase64, 'base64');
        const digestHex = toHex(new Streebog('streebog256').update(content).digest());
        operationFiles.push({ ...base, fileId: item.id ?? randomUUID(), fileName: item.fileName, kind: 'serialized', digestHex });
      } else {
        operationFiles.push({ ...base, fileId: randomUUID(), fileName: item.fileName ?? `hash-${index + 1}`, kind: 'hash', digestHex: item.hashHex });
      }
    }

    const signer = await this.signers.find({ thumbprint: request.thumbprint, certificateBase64: request.certificateBase64 });
    const operation = await this.db.transaction(async (tx) => {
      // One signer's Sign calls take turns, so that two of them never both wait for a code.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sandbox-cloud-signer:${signer.thumbprint}`}))`);
      await this.expire(tx);
      const [waiting] = await tx
        .select({ id: sandboxCloudOperations.id })
        .from(sandboxCloudOperations)
        .where(and(eq(sandboxCloudOperations.signerThumbprint, signer.thumbprint), eq(sandboxCloudOperations.status, S.AwaitingForConfirmation)))
        .limit(1);
      const smsFails = !waiting && (!signer.phone || this.injected.smsFails());
      const status = waiting ? S.UserHasUnconfirmedOperation : smsFails ? S.StartConfirmationFailed : S.AwaitingForConfirmation;
      const why = waiting ? `the signer has operation ${waiting.id} waiting for its code` : smsFails ? (signer.phone ? 'the SMS could not be sent' : 'the certificate owner has no phone number') : null;
      const [row] = await tx
        .insert(sandboxCloudOperations)
        .values({
          client,
          signerThumbprint: signer.thumbprint,
          signerIssueId: signer.issueId,
          phone: signer.phone,
          code: status === S.AwaitingForConfirmation ? newSmsCode() : '',
          status,
          signType: request.signType,
          files: why ? failedFiles(operationFiles, status, why) : operationFiles,
          expiresAt: new Date(Date.now() + this.confirmationMs()),
          finishedAt: why ? new Date() : null,
        })
        .returning();
      return row;
    });
    if (operation.status === S.AwaitingForConfirmation) {
      await this.sms.send({ phone: signer.phone, text: `Подписание документов: ${operationFiles.length}. Код подтверждения: ${operation.code}. Никому не сообщайте его.`, code: operation.code, purpose: 'cloudSign' });
    }
    return {
      OperationId: operation.id,
      ConfirmType: CONFIRM_TYPE_SMS,
      PhoneLastNumbers: signer.phone ? signer.phone.slice(-4) : null,
      AdditionalDssInfo: { DssOperator: DSS_OPERATOR_KONTUR },
    };
  }

  private async load(client: string, id: string | undefined): Promise<Operation> {
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw operationNotFound();
    await this.expire(this.db);
    const [row] = await this.db.select().from(sandboxCloudOperations).where(and(eq(sandboxCloudOperations.id, id), eq(sandboxCloudOperations.client, client)));
    if (!row) throw operationNotFound();
    return row;
  }

  /** Operations waiting for a code past their time become Timeout (applied on read, no timer). */
  private async expire(db: Pick<SandboxDb, 'update'>): Promise<void> {
    await db
      .update(sandboxCloudOperations)
      .set({ status: S.Timeout, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sandboxCloudOperations.status, S.AwaitingForConfirmation), lt(sandboxCloudOperations.expiresAt, new Date())));
  }

  /** Confirm: checks the SMS code; the right one queues the signing. */
  async confirm(client: string, id: string | undefined, code: string | undefined): Promise<{ OperationId: string; OperationStatus: number }> {
    const operation = await this.load(client, id);
    // Clients that send the code as a number lose its leading zeros: "12345" is "012345".
    if (!code || !/^\d{1,8}$/.test(code)) throw cloudBadRequest('InvalidConfirmationCode', 'confirmationCode is the code from the SMS (digits)', 'confirmationCode');
    const matches = code === operation.code || (operation.code !== '' && code.padStart(operation.code.length, '0') === operation.code);
    switch (operation.status) {
      case S.Timeout:
        throw new CloudError(400, 'OperationExpired', 'The operation was not confirmed in time');
      case S.ExceededConfirmationAttemptsCount:
        throw new CloudError(400, 'ConfirmationAttemptsExceeded', 'The code was entered wrongly too many times: the operation is cancelled', { AttemptsLeft: 0 });
      case S.CanceledByUser:
        throw new CloudError(400, 'OperationCanceled', 'The certificate owner declined the operation');
      case S.UserHasUnconfirmedOperation:
        throw new CloudError(400, 'UserHasUnconfirmedOperation', 'The certificate owner has another operation waiting for its code: this one was not started');
      case S.StartConfirmationFailed:
        throw new CloudError(400, 'StartConfirmationFailed', 'The confirmation could not be started (no SMS was sent)');
      case S.AwaitingForConfirmation:
        break;
      default:
        // Confirmed already. The same right code again (a client that lost the answer) is answered.
        if (matches) return { OperationId: operation.id, OperationStatus: operation.status };
        throw new CloudError(409, 'OperationAlreadyConfirmed', 'The operation is no longer waiting for a code');
    }
    if (!matches) {
      const [updated] = await this.db
        .update(sandboxCloudOperations)
        .set({
          wrongAttempts: sql`${sandboxCloudOperations.wrongAttempts} + 1`,
          status: sql`case when ${sandboxCloudOperations.wrongAttempts} + 1 >= ${MAX_WRONG_CODES} then ${S.ExceededConfirmationAttemptsCount} else ${sandboxCloudOperations.status} end`,
          finishedAt: sql`case when ${sandboxCloudOperations.wrongAttempts} + 1 >= ${MAX_WRONG_CODES} then now() else null end`,
          updatedAt: new Date(),
        })
        .where(and(eq(sandboxCloudOperations.id, operation.id), eq(sandboxCloudOperations.status, S.AwaitingForConfirmation)))
        .returning({ wrongAttempts: sandboxCloudOperations.wrongAttempts, status: sandboxCloudOperations.status });
      if (updated?.status === S.ExceededConfirmationAttemptsCount) {
        await this.db.update(sandboxCloudOperations).set({ files: failedFiles(operation.files, S.ExceededConfirmationAttemptsCount, 'wrong confirmation codes') }).where(eq(sandboxCloudOperations.id, operation.id));
      }
      const attemptsLeft = Math.max(0, MAX_WRONG_CODES - (updated?.wrongAttempts ?? MAX_WRONG_CODES));
      if (attemptsLeft === 0) throw new CloudError(400, 'ConfirmationAttemptsExceeded', 'The code was entered wrongly too many times: the operation is cancelled', { AttemptsLeft: 0 });
      throw new CloudError(400, 'InvalidConfirmationCode', 'The confirmation code is wrong', { Target: 'confirmationCode', AttemptsLeft: attemptsLeft });
    }
    const [confirmed] = await this.db
      .update(sandboxCloudOperations)
      .set({ status: S.Enqueued, confirmedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sandboxCloudOperations.id, operation.id), eq(sandboxCloudOperations.status, S.AwaitingForConfirmation)))
      .returning({ id: sandboxCloudOperations.id });
    if (!confirmed) throw new CloudError(409, 'OperationAlreadyConfirmed', 'The operation is no longer waiting for a code');
    this.startSigning(operation.id);
    return { OperationId: operation.id, OperationStatus: S.Enqueued };
  }

  /** The owner declines an operation waiting for its code (the console's action for the owner's "decline"). */
  async cancel(id: string): Promise<Operation> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw operationNotFound();
    await this.expire(this.db);
    const [row] = await this.db.select().from(sandboxCloudOperations).where(eq(sandboxCloudOperations.id, id));
    if (!row) throw operationNotFound();
    if (row.status !== S.AwaitingForConfirmation) throw new CloudError(409, 'OperationNotAwaiting', `The operation is ${OPERATION_STATUS_NAMES[row.status] ?? row.status}, not waiting for a code`);
    const [cancelled] = await this.db
      .update(sandboxCloudOperations)
      .set({ status: S.CanceledByUser, files: failedFiles(row.files, S.CanceledByUser, 'declined by the certificate owner'), finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sandboxCloudOperations.id, id), eq(sandboxCloudOperations.status, S.AwaitingForConfirmation)))
      .returning();
    if (!cancelled) throw new CloudError(409, 'OperationNotAwaiting', 'The operation is no longer waiting for a code');
    return cancelled;
  }

  /** GetStatus; an operation left Enqueued or InProgress by a stopped process is resumed here. */
  async status(client: string, id: string | undefined) {
    let operation = await this.load(client, id);
    if (operation.status === S.Enqueued || operation.status === S.InProgress) this.startSigning(operation.id);
    if (FAILED.includes(operation.status) && operation.files.some((file) => file.errorId == null)) {
      // Rows from before file errors were kept, and operations that expired on read.
      const files = failedFiles(operation.files, operation.status, OPERATION_STATUS_NAMES[operation.status]);
      await this.db.update(sandboxCloudOperations).set({ files }).where(eq(sandboxCloudOperations.id, operation.id));
      operation = { ...operation, files };
    }
    return {
      OperationId: operation.id,
      OperationStatus: operation.status,
      FileStatuses: operation.files.map((file) => {
        const done = file.resultId !== null;
        // A file signing failed for alone (the operation completed) carries its error too.
        const failed = !done && (FAILED.includes(operation.status) || (operation.status === S.Completed && file.errorId != null));
        return {
          FileId: file.fileId,
          FileName: file.fileName,
          Hash: file.digestHex ? file.digestHex.toUpperCase() : null,
          Status: done ? FILE_STATUS.Completed : failed ? FILE_STATUS.Error : FILE_STATUS.InProgress,
          ErrorId: failed ? file.errorId ?? null : null,
          ErrorCode: failed ? file.errorCode ?? FILE_ERROR_CODE.Unknown : FILE_ERROR_CODE.None,
          ResultId: file.resultId,
          ResultSize: file.resultSize ?? 0,
          ResultMD5: file.resultMd5 ?? null,
        };
      }),
    };
  }

  /** GetResult: a page of the signature bytes. */
  async result(client: string, resultId: string | undefined, rawOffset: string | undefined, rawSize: string | undefined): Promise<{ bytes: Buffer; total: number }> {
    if (!resultId || !/^[0-9a-f-]{36}$/i.test(resultId)) throw new CloudError(404, 'ResultNotFound', 'Result not found');
    const [row] = await this.db
      .select({ cms: sandboxCloudResults.cms })
      .from(sandboxCloudResults)
      .innerJoin(sandboxCloudOperations, eq(sandboxCloudOperations.id, sandboxCloudResults.operationId))
      .where(and(eq(sandboxCloudResults.id, resultId), eq(sandboxCloudOperations.client, client)));
    if (!row) throw new CloudError(404, 'ResultNotFound', 'Result not found');
    if (rawOffset !== undefined && !/^\d+$/.test(rawOffset)) throw cloudBadRequest('InvalidOffset', 'offset must be a number of bytes', 'offset');
    if (rawSize !== undefined && !/^\d+$/.test(rawSize)) throw cloudBadRequest('InvalidSize', 'size must be a number of bytes', 'size');
    const offset = Number(rawOffset ?? 0);
    const size = Math.min(Number(rawSize ?? MAX_RESULT_PAGE), MAX_RESULT_PAGE);
    if (offset > row.cms.length) throw cloudBadRequest('InvalidOffset', `offset is past the ${row.cms.length} bytes of the result`, 'offset');
    return { bytes: row.cms.subarray(offset, offset + size), total: row.cms.length };
  }

  async list(limit = 100): Promise<Operation[]> {
    await this.expire(this.db);
    return this.db.select().from(sandboxCloudOperations).orderBy(sql`${sandboxCloudOperations.createdAt} desc`).limit(limit);
  }

  private startSigning(id: string): void {
    if (this.signing.has(id)) return;
    const run = this.sign(id)
      .catch(async (error) => {
        this.logger.error({ err: error, operationId: id }, 'sandbox cloud: signing crashed');
        const [row] = await this.db.select({ files: sandboxCloudOperations.files }).from(sandboxCloudOperations).where(eq(sandboxCloudOperations.id, id)).catch(() => []);
        await this.db
          .update(sandboxCloudOperations)
          .set({ status: S.Crashed, files: failedFiles(row?.files ?? [], S.Crashed, 'signing failed'), finishedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(sandboxCloudOperations.id, id), inArray(sandboxCloudOperations.status, [S.Enqueued, S.InProgress])))
          .catch(() => undefined);
      })
      .finally(() => this.signing.delete(id));
    this.signing.set(id, run);
  }

  /** Waits for signing in progress in this process (on shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.signing.values()]);
  }

  private async sign(id: string): Promise<void> {
    const [operation] = await this.db
      .update(sandboxCloudOperations)
      .set({ status: S.InProgress, updatedAt: new Date() })
      .where(and(eq(sandboxCloudOperations.id, id), inArray(sandboxCloudOperations.status, [S.Enqueued, S.InProgress])))
      .returning();
    if (!operation) return;
    const delay = this.injected.signingDelayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.injected.signingFails()) throw new Error('injected fault: signing crashed');
    const signer = await this.signers.find({ thumbprint: operation.signerThumbprint });
    const privateKey = await this.signers.privateKey(operation.signerIssueId);
    // Results of an earlier, interrupted pass are replaced.
    await this.db.delete(sandboxCloudResults).where(eq(sandboxCloudResults.operationId, id));
    const files: SandboxCloudOperationFile[] = [];
    for (const file of operation.files) {
      const digestHex = file.digestHex ?? (await this.files.digestHex(file.fileId!));
      if (this.injected.fileFails?.(file.fileName)) {
        files.push({ ...file, digestHex, resultId: null, resultSize: null, resultMd5: null, error: 'injected fault: the file could not be signed', errorCode: FILE_ERROR_CODE.Unknown, errorId: randomUUID() });
        continue;
      }
      const bytes = Buffer.from(await signatureOfType(operation.signType, { certificate: signer.certificate, privateKey }, new Uint8Array(Buffer.from(digestHex, 'hex')), this.ca));
      const [result] = await this.db.insert(sandboxCloudResults).values({ operationId: id, cms: bytes }).returning({ id: sandboxCloudResults.id });
      const resultMd5 = createHash('md5').update(bytes).digest('hex').toUpperCase();
      files.push({ ...file, digestHex, resultId: result.id, resultSize: bytes.length, resultMd5, error: null, errorCode: null, errorId: null });
    }
    await this.db
      .update(sandboxCloudOperations)
      .set({ files, status: S.Completed, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sandboxCloudOperations.id, id), eq(sandboxCloudOperations.status, S.InProgress)));
  }
}
