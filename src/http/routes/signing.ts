// REST face of cloud signing: one operation per IKonturDssService method (operationId = the
// method name in camelCase), plus "find a certificate in the cloud". Success answers
// `{success, message, data}` (the manual's OperationResult) or the signature bytes; failures
// are problem+json (a wrong SMS code: 400 naming `code`, with the tries left in the message).
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ANY_USER } from '../access.ts';
import { DateTimeValue, Nullable, problems } from '../schemas.ts';
import { unwrap } from '../../services/operation-result.ts';
import { MAX_DOCUMENTS_PER_OPERATION } from '../../services/signing.ts';

const Result = <T extends ReturnType<typeof Type.Object>>(data: T) => Type.Object({ success: Type.Boolean(), message: Type.String(), data });
const OperationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const STATUS_NAMES = Type.Unsafe<string>({ type: 'string', enum: ['Unknown', 'WaitingUser', 'InProgress', 'Complete', 'Error'] });

const SignStarted = Type.Object(
  {
    operationId: Type.String(),
    documentId: Type.String({ description: 'The first document (the only one of a single-document operation)' }),
    documentIds: Type.Array(Type.String(), { description: 'Every document of the operation, in the order of the request' }),
    method: Type.String({ description: '`upload`: the files went to Kontur; `hash`: only their Streebog hashes did' }),
    confirmType: Nullable(Type.Integer({ description: '1 SMS, 2 push in myDSS, 4 push in the Kontur app' })),
    phoneLastNumbers: Nullable(Type.String()),
    additionalDssInfo: Type.Unknown(),
    signStatus: Type.Integer({ description: 'DssSignStatus: Unknown 0, WaitingUser 1, InProgress 2, Complete 3, Error 4' }),
    signStatusName: STATUS_NAMES,
  },
  { description: 'KonturSignResponse' },
);

const SignedDocument = Type.Object(
  {
    documentId: Type.String(),
    fileName: Type.String(),
    state: Type.Unsafe<'pending' | 'signed' | 'error'>({ type: 'string', enum: ['pending', 'signed', 'error'], description: '`pending` until the operation ends' }),
    signatureId: Nullable(Type.String()),
    error: Nullable(Type.String({ description: 'Why this document got no signature' })),
  },
  { description: 'One document of a signing operation and its outcome' },
);

const SignRequestBody = Type.Object(
  {
    documentId: Type.Optional(Type.String({ format: 'uuid', description: 'One document (the original shape of the request)' })),
    documentIds: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), {
        minItems: 1,
        maxItems: MAX_DOCUMENTS_PER_OPERATION,
        description: 'Several documents signed in one cloud operation with one SMS code (the SignRequest parts). Give either documentId or documentIds.',
      }),
    ),
    certificateThumbprint: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false, description: 'SignRequest' },
);

const SignStatus = Type.Object(
  {
    operationId: Type.String(),
    documentId: Type.String(),
    signStatus: Type.Integer({ description: 'DssSignStatus: Unknown 0, WaitingUser 1, InProgress 2, Complete 3, Error 4' }),
    signStatusName: STATUS_NAMES,
    state: Type.String({ description: 'created | waitingUser | inProgress | complete | error; `complete` when at least one document is signed' }),
    fileStatuses: Type.Array(SignedDocument, { description: 'Each document of the operation with its own outcome, in the order of the request' }),
    signedCount: Type.Integer({ description: 'Documents signed, of fileStatuses.length' }),
    method: Type.String(),
    certificateThumbprint: Type.String(),
    phoneLastNumbers: Nullable(Type.String()),
    attemptsLeft: Nullable(Type.Integer()),
    errorCode: Nullable(Type.String()),
    message: Type.String(),
    signatureId: Nullable(Type.String()),
    createdAt: DateTimeValue,
    updatedAt: DateTimeValue,
  },
  { description: 'DssSignStatusResponse' },
);

const CloudCertificate = Type.Object({
  id: Type.String(),
  thumbprint: Type.String(),
  subject: Type.String(),
  issuer: Type.String(),
  serialNumber: Type.String(),
  validFrom: DateTimeValue,
  validTo: DateTimeValue,
});

export function signingRoutes(app: App): void {
  const anyone = { access: ANY_USER };
  const StatusResult = Result(SignStatus);

  app.get(
    '/cloud-certificates',
    {
      config: anyone,
      schema: {
        operationId: 'findCloudCertificates',
        tags: ['signing'],
        summary: 'Поиск сертификата в облаке: действующие облачные сертификаты текущего пользователя',
        response: { 200: Type.Array(CloudCertificate), ...problems(401) },
      },
    },
    async (request) => app.ctx.services.signing.findCloudCertificates(actor(request).employeeId),
  );

  app.post(
    '/sign-operations',
    {
      config: anyone,
      schema: {
        operationId: 'signDocument',
        tags: ['signing'],
        summary: 'Подписать документ или несколько документов облачным сертификатом (один код по СМС)',
        description:
          'SignRequest: the document (`documentId`) or documents (`documentIds`, one cloud operation, one SMS code, a signature per document) and the cloud certificate of the signer, who must be the acting user (the owner of the certificate). The operation status lists each document with its outcome.',
        body: SignRequestBody,
        response: { 201: Result(SignStarted), ...problems(400, 401, 403, 404, 409, 422, 429, 502, 504) },
      },
    },
    async (request, reply) => {
      const who = actor(request);
      const result = await app.ctx.services.signing.signDocument(who, request.body, who.employeeId);
      const data = unwrap(result);
      return reply.code(201).send({ success: true, message: result.message, data });
    },
  );

  app.get(
    '/sign-operations/:id',
    {
      config: anyone,
      schema: {
        operationId: 'getStatus',
        tags: ['signing'],
        summary: 'Статус подписания (DssSignStatus)',
        description: '`waitSeconds` (up to 60) holds the answer while the signature is being formed, so a dialog can long-poll instead of polling often.',
        params: OperationParams,
        querystring: Type.Object({ waitSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })) }),
        response: { 200: StatusResult, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.signing.getStatus(actor(request), request.params.id, { waitMs: (request.query.waitSeconds ?? 0) * 1000 });
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.post(
    '/sign-operations/:id/confirmation',
    {
      config: anyone,
      schema: {
        operationId: 'confirmSignOperation',
        tags: ['signing'],
        summary: 'Подтвердить подписание кодом из СМС',
        params: OperationParams,
        body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: StatusResult, ...problems(400, 401, 403, 404, 409, 422, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.signing.confirmSignOperation(actor(request), request.params.id, request.body.code);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.get(
    '/sign-operations/:id/result',
    {
      config: anyone,
      schema: {
        operationId: 'getResult',
        tags: ['signing'],
        summary: 'Сформированная подпись (CMS, DER)',
        description: 'For an operation of several documents: the first signed document\'s signature; each document\'s own is at downloadSignature.',
        params: OperationParams,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const cms = unwrap(await app.ctx.services.signing.getResult(actor(request), request.params.id));
      return reply.type('application/pkcs7-signature').header('content-disposition', `attachment; filename="${request.params.id}.sig"`).send(cms);
    },
  );
}
