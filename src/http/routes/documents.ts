// Documents to sign: raw-body upload streamed to the blob store (no body limit, nothing
// buffered), list, streamed download, delete while unsigned, and the signatures of a document
// (.sig download and verification on demand). Who sees what is the documents service's rule.
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ANY_USER } from '../access.ts';
import { DateTimeValue, Nullable, PageInfo, Paging, StringEnum, problems } from '../schemas.ts';
import { ValidationError } from '../../services/errors.ts';

const Signature = Type.Object({
  id: Type.String(),
  operationId: Type.String(),
  employeeId: Nullable(Type.String()),
  certificateThumbprint: Type.String(),
  certificateSubject: Type.String(),
  certificateSerialNumber: Type.String(),
  signerName: Nullable(Type.String({ description: 'The signer’s employee card name' })),
  signingTime: Nullable(DateTimeValue),
  verifiedAt: DateTimeValue,
  createdAt: DateTimeValue,
});

const DocumentSchema = Type.Object(
  {
    id: Type.String(),
    fileName: Type.String(),
    contentType: Type.String(),
    size: Type.Integer(),
    streebog256: Type.String({ description: 'GOST R 34.11-2012 256-bit hash, hex as `openssl dgst -md_gost12_256` prints it' }),
    sha256: Type.String(),
    ownerEmployeeId: Nullable(Type.String()),
    ownerName: Nullable(Type.String({ description: 'The owner’s employee card name' })),
    uploadedBy: Nullable(Type.String()),
    uploadedByName: Nullable(Type.String({ description: 'The uploading user’s display name' })),
    createdAt: DateTimeValue,
    signatures: Type.Array(Signature),
  },
  { description: 'A document and its signatures' },
);

const DocumentParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const SignatureParams = Type.Object({ id: Type.String({ format: 'uuid' }), signatureId: Type.String({ format: 'uuid' }) });
const BINARY = Type.Unsafe<Buffer | Readable>({ type: 'string', format: 'binary' });

const SignatureCheck = Type.Object({
  documentId: Type.String(),
  signatureId: Type.String(),
  valid: Type.Boolean(),
  reason: Nullable(Type.String()),
  message: Type.String(),
  signer: Nullable(
    Type.Object({ subject: Type.String(), issuer: Type.String(), serialNumber: Type.String(), thumbprint: Type.String(), validFrom: Type.String(), validTo: Type.String() }),
  ),
  signingTime: Nullable(DateTimeValue),
  /** CAdES-BES, CAdES-T, ..., CAdES-X Long Type 1: what the signature carries besides the signature itself. */
  level: Nullable(Type.String()),
  /** The time a time-stamp authority vouches for (CAdES-T and above). */
  timeStamp: Nullable(DateTimeValue),
  verifiedAt: DateTimeValue,
  /** The signer's certificate asked of its CA (OCSP, else the CRL), with the answer's age. */
  revocation: Nullable(
    Type.Object({
      status: StringEnum(['good', 'revoked', 'unknown'] as const),
      source: Nullable(StringEnum(['ocsp', 'crl'] as const)),
      checkedAt: Type.String(),
      ageSeconds: Type.Integer(),
      cached: Type.Boolean(),
      revokedAt: Nullable(Type.String()),
      reason: Nullable(Type.String()),
      message: Type.String(),
    }),
  ),
});

/** `attachment; filename*=UTF-8''…` so Cyrillic names survive. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function mediaType(header: string | undefined): string {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  return /^[\w.+-]+\/[\w.+-]+$/.test(type) && type.length <= 100 ? type : 'application/octet-stream';
}

export function documentRoutes(app: App): void {
  const anyone = { access: ANY_USER };

  // The upload lives in its own context: its body is the file as a stream, whatever its type,
  // and no body limit or JSON parsing applies.
  app.register(async (raw) => {
    const upload = raw as unknown as App;
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    upload.post(
      '/documents',
      {
        config: anyone,
        schema: {
          operationId: 'uploadDocument',
          tags: ['documents'],
          summary: 'Загрузить документ (тело запроса — сам файл, любого размера)',
          description:
            'The body is the file itself (any Content-Type, which is kept); it is streamed to disk and its Streebog-256 hash is computed on the way. ' +
            '`fileName` names it. Staff may upload for an employee (`ownerEmployeeId`) or for nobody; an employee uploads for their own card.',
          querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 1000 }), ownerEmployeeId: Type.Optional(Type.String({ format: 'uuid' })) }),
          response: { 201: DocumentSchema, ...problems(400, 401, 403, 413) },
        },
      },
      async (request, reply) => {
        const body = request.body as unknown;
        const content = body instanceof Readable ? body : request.raw;
        if (request.headers['content-length'] === '0') throw new ValidationError([{ field: 'body', message: 'Файл пуст' }]);
        const document = await app.ctx.services.documents.upload(actor(request), {
          fileName: request.query.fileName,
          ownerEmployeeId: request.query.ownerEmployeeId,
          contentType: mediaType(request.headers['content-type']),
          content,
        });
        return reply.code(201).send(document);
      },
    );
  });

  app.get(
    '/documents',
    {
      config: anyone,
      schema: {
        operationId: 'listDocuments',
        tags: ['documents'],
        summary: 'Документы (сотрудник видит свои) с их подписями',
        querystring: Type.Object({ ...Paging, ownerEmployeeId: Type.Optional(Type.String({ format: 'uuid' })) }),
        response: { 200: Type.Object({ items: Type.Array(DocumentSchema), ...PageInfo }), ...problems(400, 401, 403) },
      },
    },
    async (request) => app.ctx.services.documents.list(actor(request), request.query),
  );

  app.get(
    '/documents/:id',
    { config: anyone, schema: { operationId: 'getDocument', tags: ['documents'], summary: 'Документ и его подписи', params: DocumentParams, response: { 200: DocumentSchema, ...problems(401, 403, 404) } } },
    async (request) => app.ctx.services.documents.get(actor(request), request.params.id),
  );

  app.get(
    '/documents/:id/content',
    { config: anyone, schema: { operationId: 'downloadDocument', tags: ['documents'], summary: 'Скачать документ', params: DocumentParams, response: { 200: BINARY, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      const { document, stream } = await app.ctx.services.documents.content(actor(request), request.params.id);
      return reply.type(document.contentType).header('content-length', String(document.size)).header('content-disposition', attachment(document.fileName)).send(stream);
    },
  );

  app.delete(
    '/documents/:id',
    {
      config: anyone,
      schema: { operationId: 'deleteDocument', tags: ['documents'], summary: 'Удалить неподписанный документ', params: DocumentParams, response: { 204: Type.Null(), ...problems(401, 403, 404, 409) } },
    },
    async (request, reply) => {
      await app.ctx.services.documents.remove(actor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/documents/:id/signatures/:signatureId/content',
    {
      config: anyone,
      schema: { operationId: 'downloadSignature', tags: ['documents'], summary: 'Скачать подпись (.sig, CMS в DER)', params: SignatureParams, response: { 200: BINARY, ...problems(401, 403, 404) } },
    },
    async (request, reply) => {
      const { document, signature } = await app.ctx.services.documents.signature(actor(request), request.params.id, request.params.signatureId);
      return reply.type('application/pkcs7-signature').header('content-disposition', attachment(`${document.fileName}.sig`)).send(signature.cms);
    },
  );

  app.get(
    '/documents/:id/signatures/:signatureId/stamped',
    {
      config: anyone,
      schema: {
        operationId: 'downloadStampedCopy',
        tags: ['documents'],
        summary: 'Скачать с отметкой о подписи: копия PDF со штампом подписи на последней странице',
        description:
          'A printable copy of a signed PDF (application/pdf) with the visible stamp ("Документ подписан электронной подписью", the certificate serial number, owner, validity, time of signing) on its last page. The stored document is not changed and the signature remains over the original bytes; only PDFs (415 otherwise).',
        params: SignatureParams,
        response: { 200: BINARY, ...problems(401, 403, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const copy = await app.ctx.services.signatureStamps.stampedCopy(actor(request), request.params.id, request.params.signatureId);
      return reply.type('application/pdf').header('content-disposition', attachment(copy.fileName)).send(copy.pdf);
    },
  );

  app.post(
    '/documents/:id/signatures/:signatureId/verification',
    {
      config: anyone,
      schema: {
        operationId: 'verifySignature',
        tags: ['documents'],
        summary: 'Проверить подпись заново (документ хэшируется ещё раз)',
        params: SignatureParams,
        response: { 200: SignatureCheck, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const { certificate: _certificate, ...check } = await app.ctx.services.signing.verifySignature(actor(request), request.params.id, request.params.signatureId);
      return check;
    },
  );
}
