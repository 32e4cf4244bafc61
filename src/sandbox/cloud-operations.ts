// Signing operations of the cloud-signature sandbox: Sign registers one and texts a code to the
// certificate owner's phone, Confirm checks the code (three wrong codes cancel it, an
// unconfirmed operation expires), and then the sandbox signs every file with the owner's kept
// key — real detached CAdES-BES GOST signatures — and keeps them for GetResult.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { SandboxDb } from './store/database.ts';
import { sandboxCloudOperations, sandboxCloudResults, type SandboxCloudOperationFile } from './store/schema.ts';
import { signCms } from '../crypto/cms.ts';
import { Streebog, toHex } from '../crypto/streebog.ts';
import { CloudError, cloudBadRequest } from './cloud-error.ts';
import type { CloudFiles } from './cloud-files.ts';
import type { CloudSigners } from './cloud-signers.ts';
import { newSmsCode, type SmsOutbox } from './sms-outbox.ts';

/** OperationStatus values of GetStatus (finished when greater than 1; 2 = completed). */
export const OPERATION_STATUS = {
  WaitingConfirmation: 0,
  InProgress: 1,
  Completed: 2,
  /** Three wrong codes: the user did not confirm. */
  Cancelled: 3,
  /** Not confirmed in time. */
  Timeout: 4,
  /** Signing failed inside the service. */
  Crashed: 5,
} as const;

export const MAX_WRONG_CODES = 3;
const MAX_FILES = 100;
const MAX_RESULT_PAGE = 4 * 1024 * 1024;
const CONFIRM_TYPE_SMS = 1;

type Operation = typeof sandboxCloudOperations.$inferSelect;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const operationNotFound = () => new CloudError(404, 'OperationNotFound', 'Operation not found');

export class CloudOperations {
  /** Operations being signed in this process (a restarted process resumes the others on GetStatus). */
  private readonly signing = new Map<string, Promise<void>>();

  constructor(
    private readonly db: SandboxDb,
    private readonly files: CloudFiles,
    private readonly signers: CloudSigners,
    private readonly sms: SmsOutbox,
    private readonly confirmationMs: () => number,
    private readonly logger: Logger,
  ) {}

  /** Sign: registers the operation and sends the SMS code. */
  async create(client: string, body: unknown): Promise<{ OperationId: string; ConfirmType: number; PhoneLastNumbers: string; AdditionalDssInfo: null }> {
    if (!isObject(body)) throw cloudBadRequest('InvalidBody', 'The body must be a JSON object');
    const signType = body.SignType ?? 0;
    if (signType !== 0) throw cloudBadRequest('UnsupportedSignType', 'Only SignType 0 (detached CMS) is supported by the sandbox', 'SignType');
    if (body.Thumbprint !== undefined && typeof body.Thumbprint !== 'string') throw cloudBadRequest('InvalidThumbprint', 'Thumbprint must be a string', 'Thumbprint');
    if (body.CertificateBase64 !== undefined && typeof body.CertificateBase64 !== 'string') throw cloudBadRequest('InvalidCertificate', 'CertificateBase64 must be a string', 'CertificateBase64');
    if (body.Thumbprint === undefined && body.CertificateBase64 === undefined) throw cloudBadRequest('SignerMissing', 'Give Thumbprint or CertificateBase64', 'Thumbprint');
    const kinds = (['FileIds', 'SerializedFiles', 'FileHashes'] as const).filter((k) => body[k] !== undefined && body[k] !== null);
    if (kinds.length !== 1) throw cloudBadRequest('InvalidFiles', 'Give exactly one of FileIds, SerializedFiles, FileHashes', 'FileIds');
    const kind = kinds[0];
    const list = body[kind];
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_FILES) throw cloudBadRequest('InvalidFiles', `${kind} must list 1 to ${MAX_FILES} files`, kind);

    const operationFiles: SandboxCloudOperationFile[] = [];
    for (const [index, item] of list.entries()) {
      const target = `${kind}[${index}]`;
      if (kind === 'FileIds') {
        if (typeof item !== 'string') throw cloudBadRequest('InvalidFileId', 'A FileId is a string', target);
        const file = await this.files.get(client, item).catch(() => {
          throw cloudBadRequest('FileNotFound', `File ${item} was not created by this client`, target);
        });
        if (!file.complete) throw cloudBadRequest('FileIncomplete', `File ${item} has ${file.received} of ${file.length} bytes: finish the upload first`, target);
        operationFiles.push({ fileId: file.id, fileName: file.fileName, kind: 'uploaded', digestHex: null, resultId: null, resultSize: null, error: null });
      } else if (kind === 'SerializedFiles') {
        if (!isObject(item) || typeof item.ContentBase64 !== 'string' || typeof item.FileName !== 'string' || !item.FileName) {
          throw cloudBadRequest('InvalidSerializedFile', 'A serialized file has Id, FileName and ContentBase64', target);
        }
        const content = Buffer.from(item.ContentBase64, 'base64');
        const digestHex = toHex(new Streebog('streebog256').update(content).digest());
        operationFiles.push({ fileId: typeof item.Id === 'string' ? item.Id : null, fileName: item.FileName, kind: 'serialized', digestHex, resultId: null, resultSize: null, error: null });
      } else {
        if (!isObject(item) || typeof item.HashContent !== 'string' || !/^[0-9a-fA-F]{64}$/.test(item.HashContent)) {
          throw cloudBadRequest('InvalidHash', 'HashContent is a GOST R 34.11-2012 256-bit hash: 64 hexadecimal characters', `${target}.HashContent`);
        }
        const fileName = typeof item.FileName === 'string' && item.FileName ? item.FileName : `hash-${index + 1}`;
        operationFiles.push({ fileId: null, fileName, kind: 'hash', digestHex: item.HashContent.toLowerCase(), resultId: null, resultSize: null, error: null });
      }
    }

    const signer = await this.signers.find({ thumbprint: body.Thumbprint as string | undefined, certificateBase64: body.CertificateBase64 as string | undefined });
    if (!signer.phone) throw cloudBadRequest('PhoneMissing', 'The certificate owner has no phone number for the SMS code', 'Thumbprint');
    const code = newSmsCode();
    const [operation] = await this.db
      .insert(sandboxCloudOperations)
      .values({
        client,
        signerThumbprint: signer.thumbprint,
        signerIssueId: signer.issueId,
        phone: signer.phone,
        code,
        files: operationFiles,
        expiresAt: new Date(Date.now() + this.confirmationMs()),
      })
      .returning();
    const template = isObject(body.ConfirmMessage) && typeof body.ConfirmMessage.Template === 'string' ? body.ConfirmMessage.Template : undefined;
    const what = template ?? `Подписание документов: ${operationFiles.length}`;
    await this.sms.send({ phone: signer.phone, text: `${what}. Код подтверждения: ${code}. Никому не сообщайте его.`, code, purpose: 'cloudSign' });
    return { OperationId: operation.id, ConfirmType: CONFIRM_TYPE_SMS, PhoneLastNumbers: signer.phone.slice(-4), AdditionalDssInfo: null };
  }

  private async load(client: string, id: string | undefined): Promise<Operation> {
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw operationNotFound();
    await this.expire();
    const [row] = await this.db.select().from(sandboxCloudOperations).where(and(eq(sandboxCloudOperations.id, id), eq(sandboxCloudOperations.client, client)));
    if (!row) throw operationNotFound();
    return row;
  }

  /** Unconfirmed operations past their time become Timeout. */
  private async expire(): Promise<void> {
    await this.db
      .update(sandboxCloudOperations)
      .set({ status: OPERATION_STATUS.Timeout, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sandboxCloudOperations.status, OPERATION_STATUS.WaitingConfirmation), lt(sandboxCloudOperations.expiresAt, new Date())));
  }

  /** Confirm: checks the SMS code; a right code starts the signing. */
  async confirm(client: string, id: string | undefined, code: string | undefined): Promise<{ OperationStatus: number }> {
    const operation = await this.load(client, id);
    if (!code || !/^\d{4,8}$/.test(code)) throw cloudBadRequest('InvalidConfirmationCode', 'confirmationCode is the code from the SMS (digits)', 'confirmationCode');
    if (operation.status === OPERATION_STATUS.Timeout) throw new CloudError(400, 'OperationExpired', 'The operation was not confirmed in time');
    if (operation.status === OPERATION_STATUS.Cancelled) throw new CloudError(400, 'ConfirmationAttemptsExceeded', 'The code was entered wrongly too many times: the operation is cancelled', { AttemptsLeft: 0 });
    if (operation.status !== OPERATION_STATUS.WaitingConfirmation) {
      // The same right code again (a client that lost the answer): the operation is confirmed.
      if (code === operation.code && (operation.status === OPERATION_STATUS.InProgress || operation.status === OPERATION_STATUS.Completed)) return { OperationStatus: operation.status };
      throw new CloudError(409, 'OperationAlreadyConfirmed', 'The operation is no longer waiting for a code');
    }
    if (code !== operation.code) {
      const [updated] = await this.db
        .update(sandboxCloudOperations)
        .set({
          wrongAttempts: sql`${sandboxCloudOperations.wrongAttempts} + 1`,
          status: sql`case when ${sandboxCloudOperations.wrongAttempts} + 1 >= ${MAX_WRONG_CODES} then ${OPERATION_STATUS.Cancelled} else ${sandboxCloudOperations.status} end`,
          finishedAt: sql`case when ${sandboxCloudOperations.wrongAttempts} + 1 >= ${MAX_WRONG_CODES} then now() else null end`,
          updatedAt: new Date(),
        })
        .where(and(eq(sandboxCloudOperations.id, operation.id), eq(sandboxCloudOperations.status, OPERATION_STATUS.WaitingConfirmation)))
        .returning({ wrongAttempts: sandboxCloudOperations.wrongAttempts });
      const attemptsLeft = Math.max(0, MAX_WRONG_CODES - (updated?.wrongAttempts ?? MAX_WRONG_CODES));
      if (attemptsLeft === 0) throw new CloudError(400, 'ConfirmationAttemptsExceeded', 'The code was entered wrongly too many times: the operation is cancelled', { AttemptsLeft: 0 });
      throw new CloudError(400, 'InvalidConfirmationCode', 'The confirmation code is wrong', { Target: 'confirmationCode', AttemptsLeft: attemptsLeft });
    }
    const [confirmed] = await this.db
      .update(sandboxCloudOperations)
      .set({ status: OPERATION_STATUS.InProgress, confirmedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sandboxCloudOperations.id, operation.id), eq(sandboxCloudOperations.status, OPERATION_STATUS.WaitingConfirmation)))
      .returning({ id: sandboxCloudOperations.id });
    if (!confirmed) throw new CloudError(409, 'OperationAlreadyConfirmed', 'The operation is no longer waiting for a code');
    this.startSigning(operation.id);
    return { OperationStatus: OPERATION_STATUS.InProgress };
  }

  /** GetStatus; an operation left InProgress by a stopped process is resumed here. */
  async status(client: string, id: string | undefined) {
    const operation = await this.load(client, id);
    if (operation.status === OPERATION_STATUS.InProgress) this.startSigning(operation.id);
    return {
      OperationStatus: operation.status,
      FileStatuses: operation.files.map((file) => ({
        FileId: file.fileId,
        FileName: file.fileName,
        ResultId: file.resultId,
        ResultSize: file.resultSize,
        Error: file.error,
      })),
    };
  }

  /** GetResult: a page of the CMS bytes. */
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
    await this.expire();
    return this.db.select().from(sandboxCloudOperations).orderBy(sql`${sandboxCloudOperations.createdAt} desc`).limit(limit);
  }

  private startSigning(id: string): void {
    if (this.signing.has(id)) return;
    const run = this.sign(id)
      .catch(async (error) => {
        this.logger.error({ err: error, operationId: id }, 'sandbox cloud: signing crashed');
        await this.db
          .update(sandboxCloudOperations)
          .set({ status: OPERATION_STATUS.Crashed, finishedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(sandboxCloudOperations.id, id), eq(sandboxCloudOperations.status, OPERATION_STATUS.InProgress)))
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
    const [operation] = await this.db.select().from(sandboxCloudOperations).where(eq(sandboxCloudOperations.id, id));
    if (!operation || operation.status !== OPERATION_STATUS.InProgress) return;
    const signer = await this.signers.find({ thumbprint: operation.signerThumbprint });
    const privateKey = await this.signers.privateKey(operation.signerIssueId);
    const files: SandboxCloudOperationFile[] = [];
    await this.db.transaction(async (tx) => {
      // Results of an earlier, interrupted pass are replaced.
      await tx.delete(sandboxCloudResults).where(eq(sandboxCloudResults.operationId, id));
    });
    for (const file of operation.files) {
      const digestHex = file.digestHex ?? (await this.files.digestHex(file.fileId!));
      const cms = Buffer.from(signCms({ certificate: signer.certificate, privateKey, contentDigest: new Uint8Array(Buffer.from(digestHex, 'hex')), detached: true }));
      const [result] = await this.db.insert(sandboxCloudResults).values({ operationId: id, cms }).returning({ id: sandboxCloudResults.id });
      files.push({ ...file, digestHex, resultId: result.id, resultSize: cms.length, error: null });
    }
    await this.db
      .update(sandboxCloudOperations)
      .set({ files, status: OPERATION_STATUS.Completed, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sandboxCloudOperations.id, id), eq(sandboxCloudOperations.status, OPERATION_STATUS.InProgress)));
  }
}
