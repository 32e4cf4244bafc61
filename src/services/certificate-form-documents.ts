// The documents of a certificate form: each one's bytes come from a file in the request, a
// document or an issue scan already in the module, or a content Реестро already holds (an
// ЕГРЮЛ extract); they go to Реестро as contents (with their MD5), and the form refers to them.
import { createHash, randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import type { BlobStore } from '../store/blobs.ts';
import { issueScans, type CertificateFormDocument } from '../store/schema/index.ts';
import { FORM_DOCUMENT_CODES, FORM_DOCUMENT_TYPES, type FormDocumentType } from '../domain/certificate-form.ts';
import { checkDate, checkIssuerCode, type Checked } from '../domain/identifiers.ts';
import { sniffContentType } from '../domain/issue.ts';
import type { ReestroClient } from '../kontur/reestro-client.ts';
import type { ReestroContentInfo, ReestroDocument, ReestroPerson } from '../kontur/reestro-types.ts';
import type { Actor } from './actor.ts';
import type { DocumentsService } from './documents.ts';
import { ServiceError, ValidationError, type FieldProblem } from './errors.ts';
import { withPatience } from './reestro-calls.ts';

/** A document of a form as the module's API takes it: its type, requisites and exactly one source of bytes. */
export interface FormDocumentInput {
  type: FormDocumentType;
  number?: string;
  series?: string;
  issueDate?: string;
  issuerCode?: string;
  issuerName?: string;
  /** A file: its name and bytes in base64. */
  file?: { name: string; data: string };
  /** A document of the module (/documents). */
  documentId?: string;
  /** A scan sent with a KCR issue. */
  issueScanId?: string;
  /** A content Реестро already has (e.g. an ЕГРЮЛ extract from getReestroSubjectExtract). */
  content?: { contentId: string; contentType: string; md5: string; size?: number };
  /** For a change of a form: the documentId of the form's document this one replaces. */
  replaces?: string;
}

/** Where the bytes of a file come from (a document, or the signed release statement). */
export interface FileSourceInput {
  file?: { name: string; data: string };
  documentId?: string;
  issueScanId?: string;
}

/** Реестро takes contents up to 10 MB (it says BigContentSize beyond); anything much larger is not even sent. */
const MAX_SENT_BYTES = 16 * 1024 * 1024;

const TYPES_BY_EXTENSION: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.txt': 'text/plain',
};

function contentTypeOf(bytes: Buffer, fileName: string, declared?: string): string {
  if (bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0x00) return 'image/tiff';
  if (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0x00 && bytes[3] === 0x2a) return 'image/tiff';
  return sniffContentType(bytes) ?? (declared && declared !== 'application/octet-stream' ? declared : undefined) ?? TYPES_BY_EXTENSION[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

function isoDate(value: string): Checked {
  return checkDate(value);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the shape of a source: exactly one of its fields, each well-formed. */
export function checkSource(problems: FieldProblem[], field: string, source: FileSourceInput & { content?: FormDocumentInput['content'] }, allowContent: boolean): void {
  const given = (['file', 'documentId', 'issueScanId', ...(allowContent ? ['content'] : [])] as const).filter((key) => source[key as keyof typeof source] !== undefined);
  const names = allowContent ? 'file, documentId, issueScanId или content' : 'file, documentId или issueScanId';
  if (given.length !== 1) {
    problems.push({ field, message: `Укажите ровно один источник файла: ${names}` });
    return;
  }
  if (source.file) {
    if (!source.file.name?.trim()) problems.push({ field: `${field}.file.name`, message: 'Укажите имя файла' });
    const data = source.file.data ?? '';
    if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(data) || Buffer.from(data, 'base64').length === 0) problems.push({ field: `${field}.file.data`, message: 'Содержимое файла в base64, не пустое' });
  }
  if (source.documentId !== undefined && !GUID.test(source.documentId)) problems.push({ field: `${field}.documentId`, message: 'Идентификатор документа: GUID' });
  if (source.issueScanId !== undefined && !GUID.test(source.issueScanId)) problems.push({ field: `${field}.issueScanId`, message: 'Идентификатор скана: GUID' });
  if (source.content) {
    if (!source.content.contentId?.trim()) problems.push({ field: `${field}.content.contentId`, message: 'Обязательное поле' });
    if (!/^[0-9a-f]{32}$/i.test(source.content.md5 ?? '')) problems.push({ field: `${field}.content.md5`, message: 'MD5: 32 шестнадцатеричных символа' });
    if (!source.content.contentType?.trim()) problems.push({ field: `${field}.content.contentType`, message: 'Обязательное поле' });
  }
}

export class FormDocuments {
  constructor(
    private readonly db: Db,
    private readonly blobs: BlobStore,
    private readonly documents: DocumentsService,
    private readonly reestro: ReestroClient,
    private readonly budgetMs: number,
  ) {}

  /** Checks every document's shape; the problems name `documents[i]...` (or the given prefix). */
  check(inputs: readonly FormDocumentInput[], prefix = 'documents'): FieldProblem[] {
    const problems: FieldProblem[] = [];
    inputs.forEach((input, i) => {
      const field = `${prefix}[${i}]`;
      if (!FORM_DOCUMENT_TYPES.includes(input.type)) problems.push({ field: `${field}.type`, message: `Допустимые типы: ${FORM_DOCUMENT_TYPES.join(', ')}` });
      if (input.issueDate !== undefined) {
        const date = isoDate(input.issueDate);
        if (!date.ok) problems.push({ field: `${field}.issueDate`, message: date.message });
      }
      if (input.issuerCode !== undefined && !checkIssuerCode(input.issuerCode).ok) problems.push({ field: `${field}.issuerCode`, message: 'Код подразделения в формате NNN-NNN' });
      for (const key of ['number', 'series', 'issuerName'] as const) {
        const value = input[key];
        if (value !== undefined && (value.trim() === '' || value.length > 200)) problems.push({ field: `${field}.${key}`, message: 'От 1 до 200 символов' });
      }
      if (input.replaces !== undefined && !GUID.test(input.replaces)) problems.push({ field: `${field}.replaces`, message: 'Идентификатор документа анкеты: GUID' });
      checkSource(problems, field, input, true);
    });
    return problems;
  }

  /**
   * Uploads each document's bytes and builds the form's documents. The passport's requisites
   * default to the person subject's identity document. `field` of the result maps Реестро's
   * documentIds and contentIds back to the request's fields.
   */
  async prepare(
    actor: Actor,
    inputs: readonly FormDocumentInput[],
    person: ReestroPerson | undefined,
    prefix = 'documents',
  ): Promise<{ stored: CertificateFormDocument[]; wire: ReestroDocument[]; fieldOfDocument: Map<string, string>; fieldOfContent: Map<string, string> }> {
    const stored: CertificateFormDocument[] = [];
    const wire: ReestroDocument[] = [];
    const fieldOfDocument = new Map<string, string>();
    const fieldOfContent = new Map<string, string>();
    for (const [i, input] of inputs.entries()) {
      const field = `${prefix}[${i}]`;
      const documentId = randomUUID();
      const identity = input.type === 'passport' ? person?.identityDocument : undefined;
      const requisites: CertificateFormDocument['requisites'] = {};
      const number = input.number?.trim() ?? identity?.number;
      const series = input.series?.trim() ?? identity?.series;
      const issueDate = input.issueDate !== undefined ? (isoDate(input.issueDate) as { value: string }).value : identity?.issueDate;
      const issuerCode = input.issuerCode !== undefined ? (checkIssuerCode(input.issuerCode) as { value: string }).value : identity?.issuer?.issuerCode;
      const issuerName = input.issuerName?.trim() ?? identity?.issuer?.issuerName;
      if (number) requisites.number = number;
      if (series) requisites.series = series;
      if (issueDate) requisites.issueDate = issueDate;
      if (issuerCode) requisites.issuerCode = issuerCode;
      if (issuerName) requisites.issuerName = issuerName;
      const source = await this.contentOf(actor, input, field);
      fieldOfDocument.set(documentId, field);
      fieldOfContent.set(source.content.contentId, field);
      stored.push({
        documentId,
        type: input.type,
        code: FORM_DOCUMENT_CODES[input.type],
        requisites,
        source: source.kind,
        sourceId: source.sourceId,
        fileName: source.fileName,
        content: { contentId: source.content.contentId, contentType: source.content.contentType, md5: source.content.md5, size: source.content.size },
      });
      wire.push(reestroDocumentOf(stored.at(-1)!));
    }
    return { stored, wire, fieldOfDocument, fieldOfContent };
  }

  /** The bytes of a source uploaded to Реестро (or the content it names), with where they came from. */
  async contentOf(
    actor: Actor,
    source: FileSourceInput & { content?: FormDocumentInput['content'] },
    field: string,
  ): Promise<{ content: ReestroContentInfo; kind: CertificateFormDocument['source']; sourceId?: string; fileName?: string }> {
    if (source.content) {
      return { content: { ...source.content, contentId: source.content.contentId.trim(), md5: source.content.md5.toUpperCase() }, kind: 'content', sourceId: source.content.contentId };
    }
    let bytes: Buffer;
    let fileName: string;
    let declared: string | undefined;
    let kind: CertificateFormDocument['source'];
    let sourceId: string | undefined;
    if (source.file) {
      bytes = Buffer.from(source.file.data, 'base64');
      fileName = source.file.name.trim();
      kind = 'file';
    } else if (source.documentId) {
      const document = await this.documents.visible(actor, source.documentId).catch(() => {
        throw new ValidationError([{ field: `${field}.documentId`, message: 'Документ не найден' }]);
      });
      if (document.size > MAX_SENT_BYTES) throw new ValidationError([{ field: `${field}.documentId`, message: 'Файл больше 10 МБ: Реестро такие не принимает' }]);
      bytes = await this.read(document.blobSha256);
      fileName = document.fileName;
      declared = document.contentType;
      kind = 'document';
      sourceId = document.id;
    } else {
      const [scan] = await this.db.select().from(issueScans).where(eq(issueScans.id, source.issueScanId!));
      if (!scan) throw new ValidationError([{ field: `${field}.issueScanId`, message: 'Скан не найден' }]);
      bytes = await this.read(scan.blobSha256);
      fileName = scan.fileName;
      declared = scan.contentType;
      kind = 'issueScan';
      sourceId = scan.id;
    }
    if (bytes.length > MAX_SENT_BYTES) throw new ValidationError([{ field: `${field}.file`, message: 'Файл больше 10 МБ: Реестро такие не принимает' }]);
    const md5 = createHash('md5').update(bytes).digest('hex').toUpperCase();
    const content = await withPatience(() => this.reestro.uploadContent(bytes, contentTypeOf(bytes, fileName, declared)), this.budgetMs);
    if (typeof content.contentId !== 'string' || content.md5?.toUpperCase() !== md5) {
      throw new ServiceError(502, 'reestro-protocol', 'Реестро сохранил файл с другой контрольной суммой MD5: повторите');
    }
    return { content: { ...content, md5 }, kind, sourceId, fileName };
  }

  private async read(sha256: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.blobs.open(sha256)) {
      size += (chunk as Buffer).length;
      if (size > MAX_SENT_BYTES) throw new ValidationError([{ field: 'documents', message: 'Файл больше 10 МБ: Реестро такие не принимает' }]);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size);
  }
}

/** A stored document as Реестро's Document. */
export function reestroDocumentOf(document: CertificateFormDocument): ReestroDocument {
  const info: ReestroDocument['documentInfo'] = { documentType: document.code };
  const { number, series, issueDate, issuerCode, issuerName } = document.requisites;
  if (number) info.number = number;
  if (series) info.series = series;
  if (issueDate) info.issueDate = issueDate;
  if (issuerCode || issuerName) info.issuer = { ...(issuerCode ? { issuerCode } : {}), ...(issuerName ? { issuerName } : {}) };
  return {
    documentId: document.documentId,
    documentInfo: info,
    ...(document.content ? { content: { contentInfo: { contentId: document.content.contentId, contentType: document.content.contentType, md5: document.content.md5 } } } : {}),
  };
}
