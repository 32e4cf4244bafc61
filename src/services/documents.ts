// Documents to sign: uploaded as a stream into the blob store with the Streebog-256 digest
// computed on the way (no file is ever held in memory), listed, downloaded, and deleted while
// unsigned. Each document lists its signatures.
//
// Who sees what: an employee user sees and uploads only documents of their own employee card;
// operators and admins see all documents, may upload for any employee (ownerEmployeeId) or for
// nobody (a staff-only document). Deleting follows seeing, and only while the document has no
// signature and no signing operation under way.
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { and, count, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { decodeCursor, pageOf } from './page-cursor.ts';
import type { Db } from '../store/db.ts';
import { BlobTooLargeError, type BlobStore } from '../store/blobs.ts';
import { documents, documentSignatures, employees, signOperationDocuments, signOperations, users } from '../store/schema/index.ts';
import type { Logger } from 'pino';
import { toHex } from '../crypto/streebog.ts';
import { backgroundStreebog } from '../crypto/streebog-background.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';

export type DocumentRow = typeof documents.$inferSelect;
export type SignatureRow = typeof documentSignatures.$inferSelect;

export interface SignatureView {
  id: string;
  operationId: string;
  employeeId: string | null;
  certificateThumbprint: string;
  certificateSubject: string;
  certificateSerialNumber: string;
  /** The signer's employee card name, when the signature was made for a card. */
  signerName: string | null;
  signingTime: Date | null;
  verifiedAt: Date;
  createdAt: Date;
}

export interface DocumentView {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  streebog256: string;
  sha256: string;
  ownerEmployeeId: string | null;
  /** The owner's name (employee card), for people; the id is for programs. */
  ownerName: string | null;
  uploadedBy: string | null;
  /** Who uploaded it: the user's display name. */
  uploadedByName: string | null;
  createdAt: Date;
  signatures: SignatureView[];
}

/** Names of employee cards and users, by id, for showing documents to people. */
interface Names {
  employees: Map<string, string>;
  users: Map<string, string>;
}

export interface DocumentUpload {
  fileName: string;
  contentType: string;
  content: Readable;
  ownerEmployeeId?: string;
}

const isStaff = (actor: Actor) => actor.role === 'admin' || actor.role === 'operator' || actor.role === 'system';

function signatureView(row: SignatureRow, names: Names): SignatureView {
  const { cms: _cms, documentId: _documentId, ...view } = row;
  return { ...view, signerName: (row.employeeId && names.employees.get(row.employeeId)) || null };
}

function documentView(row: DocumentRow, signatures: SignatureRow[], names: Names): DocumentView {
  return {
    id: row.id,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    streebog256: row.streebog256,
    sha256: row.blobSha256,
    ownerEmployeeId: row.ownerEmployeeId,
    ownerName: (row.ownerEmployeeId && names.employees.get(row.ownerEmployeeId)) || null,
    uploadedBy: row.uploadedBy,
    uploadedByName: (row.uploadedBy && names.users.get(row.uploadedBy)) || null,
    createdAt: row.createdAt,
    signatures: signatures.map((signature) => signatureView(signature, names)),
  };
}

/** A file name as given, without any directory part, or a field error. */
export function checkFileName(raw: string | undefined): string {
  const name = basename((raw ?? '').replace(/\\/g, '/')).trim();
  if (!name) throw new ValidationError([{ field: 'fileName', message: 'Укажите имя файла' }]);
  if (name.length > 255 || /[\u0000-\u001f]/.test(name)) throw new ValidationError([{ field: 'fileName', message: 'Имя файла: до 255 символов, без управляющих символов' }]);
  return name;
}

export class DocumentsService {
  constructor(
    private readonly db: Db,
    private readonly blobs: BlobStore,
    private readonly audit: AuditService,
    private readonly logger?: Logger,
  ) {}

  async upload(actor: Actor, input: DocumentUpload): Promise<DocumentView> {
    const fileName = checkFileName(input.fileName);
    let owner: string | null;
    if (isStaff(actor)) {
      owner = input.ownerEmployeeId ?? null;
      if (owner) {
        const [employee] = await this.db.select({ id: employees.id }).from(employees).where(eq(employees.id, owner));
        if (!employee) throw new ValidationError([{ field: 'ownerEmployeeId', message: 'Сотрудник не найден' }]);
      }
    } else {
      if (!actor.employeeId) throw new ForbiddenError('Учётная запись не связана с карточкой сотрудника: загружать документы нельзя');
      if (input.ownerEmployeeId && input.ownerEmployeeId !== actor.employeeId) throw new ForbiddenError('Сотрудник может загружать документы только для себя');
      owner = actor.employeeId;
    }
    // Streebog runs on a worker thread, in parallel with SHA-256 and the disk write here; the
    // stream waits whenever the worker falls behind, so memory stays flat.
    const hasher = await backgroundStreebog('streebog256', (reason) => this.logger?.warn(reason));
    let stored;
    let streebog256: string;
    try {
      stored = await this.blobs.put(input.content, input.contentType, { observe: (chunk) => hasher.update(chunk) });
      streebog256 = toHex(await hasher.digest());
    } catch (error) {
      hasher.abort();
      if (error instanceof BlobTooLargeError) throw new ValidationError([{ field: 'body', message: 'Файл слишком большой' }]);
      throw error;
    }
    if (stored.size === 0) throw new ValidationError([{ field: 'body', message: 'Файл пуст' }]);
    const [row] = await this.db
      .insert(documents)
      .values({ fileName, contentType: input.contentType, size: stored.size, blobSha256: stored.sha256, streebog256, ownerEmployeeId: owner, uploadedBy: actor.userId })
      .returning();
    await this.audit.record(actor, { action: 'uploadDocument', targetType: 'document', targetId: row.id, details: { fileName, size: stored.size, ownerEmployeeId: owner } });
    return documentView(row, [], await this.namesOf([row], []));
  }

  /** The names behind the ids of some documents and their signatures: two queries, whatever the count. */
  private async namesOf(rows: DocumentRow[], signatures: SignatureRow[]): Promise<Names> {
    const employeeIds = [...new Set([...rows.map((r) => r.ownerEmployeeId), ...signatures.map((s) => s.employeeId)].filter((id): id is string => Boolean(id)))];
    const userIds = [...new Set(rows.map((r) => r.uploadedBy).filter((id): id is string => Boolean(id)))];
    const [cards, accounts] = await Promise.all([
      employeeIds.length
        ? this.db.select({ id: employees.id, lastName: employees.lastName, firstName: employees.firstName, middleName: employees.middleName }).from(employees).where(inArray(employees.id, employeeIds))
        : [],
      userIds.length ? this.db.select({ id: users.id, username: users.username, displayName: users.displayName }).from(users).where(inArray(users.id, userIds)) : [],
    ]);
    return {
      employees: new Map(cards.map((card) => [card.id, [card.lastName, card.firstName, card.middleName].filter(Boolean).join(' ')])),
      users: new Map(accounts.map((account) => [account.id, account.displayName || account.username])),
    };
  }

  /** The document row if the actor may see it; 404 otherwise (existence is not revealed). */
  async visible(actor: Actor, id: string): Promise<DocumentRow> {
    const [row] = await this.db.select().from(documents).where(eq(documents.id, id));
    if (!row || (!isStaff(actor) && (!actor.employeeId || row.ownerEmployeeId !== actor.employeeId))) throw new NotFoundError('Документ не найден');
    return row;
  }

  async get(actor: Actor, id: string): Promise<DocumentView> {
    const row = await this.visible(actor, id);
    const signatures = await this.signaturesOf([row.id]);
    return documentView(row, signatures, await this.namesOf([row], signatures));
  }

  /** Newest first; pages after the first go by `after` (keyset), and only a page without it is counted. */
  async list(actor: Actor, query: { offset: number; limit: number; ownerEmployeeId?: string; after?: string }): Promise<{ items: DocumentView[]; total?: number; nextCursor: string | null }> {
    let owner = query.ownerEmployeeId;
    if (!isStaff(actor)) {
      if (!actor.employeeId) return { items: [], total: 0, nextCursor: null };
      if (owner && owner !== actor.employeeId) throw new ForbiddenError('Сотрудник видит только свои документы');
      owner = actor.employeeId;
    }
    const where = owner ? eq(documents.ownerEmployeeId, owner) : undefined;
    const after = query.after ? decodeCursor(query.after, 2) : undefined;
    // The cursor keeps created_at as PostgreSQL writes it (microseconds; a Date has milliseconds).
    const found = await this.db
      .select({ document: documents, at: sql<string>`${documents.createdAt}::text` })
      .from(documents)
      .where(and(where, after ? sql`(${documents.createdAt}, ${documents.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
      .orderBy(desc(documents.createdAt), desc(documents.id))
      .offset(after ? 0 : query.offset)
      .limit(query.limit + 1);
    const total = after ? undefined : (await this.db.select({ total: count() }).from(documents).where(where))[0].total;
    const page = pageOf(found, query.limit, (last) => [last.at, last.document.id]);
    const rows = page.items.map((row) => row.document);
    const signatures = await this.signaturesOf(rows.map((r) => r.id));
    const names = await this.namesOf(rows, signatures);
    return { items: rows.map((row) => documentView(row, signatures.filter((s) => s.documentId === row.id), names)), ...(total === undefined ? {} : { total }), nextCursor: page.nextCursor };
  }

  /** The bytes, streamed from the blob store. */
  async content(actor: Actor, id: string): Promise<{ document: DocumentRow; stream: Readable }> {
    const document = await this.visible(actor, id);
    return { document, stream: this.blobs.open(document.blobSha256) };
  }

  /** A range of the bytes, for uploading to Kontur chunk by chunk. */
  async readRange(document: DocumentRow, offset: number, size: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.blobs.open(document.blobSha256, { start: offset, end: offset + size - 1 })) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  openBlob(document: DocumentRow): Readable {
    return this.blobs.open(document.blobSha256);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const document = await this.visible(actor, id);
    await this.db.transaction(async (tx) => {
      const [signed] = await tx.select({ id: documentSignatures.id }).from(documentSignatures).where(eq(documentSignatures.documentId, id)).limit(1);
      if (signed) throw new ConflictError('Документ подписан: подписанный документ удалить нельзя');
      const operationsOfDocument = tx.select({ id: signOperationDocuments.operationId }).from(signOperationDocuments).where(eq(signOperationDocuments.documentId, id));
      const [running] = await tx
        .select({ id: signOperations.id })
        .from(signOperations)
        .where(and(or(eq(signOperations.documentId, id), inArray(signOperations.id, operationsOfDocument)), inArray(signOperations.state, ['created', 'waitingUser', 'inProgress'])))
        .limit(1);
      if (running) throw new ConflictError('Документ сейчас подписывается: дождитесь окончания операции подписания');
      // Ended operations lose this document; one left with no document goes, one that signed
      // other documents too stays, named by its next document.
      await tx.delete(signOperationDocuments).where(eq(signOperationDocuments.documentId, id));
      await tx.execute(sql`
        update ${signOperations} o set document_id = (select p.document_id from ${signOperationDocuments} p where p.operation_id = o.id order by p.position limit 1)
        where o.document_id = ${id} and exists (select 1 from ${signOperationDocuments} p where p.operation_id = o.id)`);
      await tx.delete(signOperations).where(eq(signOperations.documentId, id));
      await tx.delete(documents).where(eq(documents.id, id));
      await this.audit.record(actor, { action: 'deleteDocument', targetType: 'document', targetId: id, details: { fileName: document.fileName } }, tx);
    });
    // The bytes go too, unless another document or an issue scan holds the same content.
    await this.blobs.removeUnreferenced(document.blobSha256);
  }

  async signature(actor: Actor, documentId: string, signatureId: string): Promise<{ document: DocumentRow; signature: SignatureRow }> {
    const document = await this.visible(actor, documentId);
    const [signature] = await this.db.select().from(documentSignatures).where(and(eq(documentSignatures.id, signatureId), eq(documentSignatures.documentId, documentId)));
    if (!signature) throw new NotFoundError('Подпись не найдена');
    return { document, signature };
  }

  private async signaturesOf(ids: string[]): Promise<SignatureRow[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(documentSignatures).where(inArray(documentSignatures.documentId, ids)).orderBy(documentSignatures.createdAt);
  }
}
