// REST face of the issues service: one operation per IKonturIssuesService method, operationId
// = the method name in camelCase. Overloads are one operation with optional fields (documented
// per route). Success answers `{success, message, data}` (the manual's OperationResult), or
// raw bytes for the certificate and the PDF templates; failures are problem+json.
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, STAFF } from '../access.ts';
import { DateTimeValue, IdParams, Nullable, PageInfo, Paging, problems, StringEnum } from '../schemas.ts';
import { DOCUMENT_TYPES, ISSUE_STATUSES, TEMPLATE_TYPES, type DocumentType, type TemplateType } from '../../domain/issue.ts';
import { unwrap } from '../../services/operation-result.ts';
import { ValidationError } from '../../services/errors.ts';

const Issue = Type.Object({}, { additionalProperties: true, description: 'KonturIssuesResponse as Kontur returns it (id, version, actualized, status, forwardedStatus, subjectInfo, documents, correctionInfo, smevValidations, certificateReleasedInfo, ...)' });
const Result = (data: ReturnType<typeof Type.Object> | ReturnType<typeof Type.Null> | ReturnType<typeof Type.String> | ReturnType<typeof Type.Any>) =>
  Type.Object({ success: Type.Boolean(), message: Type.String(), data });

const Applicant = Type.Object(
  {
    lastName: Type.Optional(Type.String({ maxLength: 100 })),
    firstName: Type.Optional(Type.String({ maxLength: 100 })),
    middleName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    mobilePhone: Type.Optional(Type.String({ maxLength: 40 })),
    inn: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false, description: 'CertificateApplicantInfo' },
);

const IssueParams = IdParams;
const MirrorIssue = Type.Object({
  id: Type.String(),
  employeeId: Nullable(Type.String()),
  status: Type.String(),
  forwardedStatus: Type.String(),
  actualized: Type.Boolean(),
  version: Type.Integer(),
  cspType: Nullable(Type.String()),
  createdBy: Type.String(),
  deletedAt: Nullable(DateTimeValue),
  certificateThumbprint: Nullable(Type.String()),
  certificateError: Nullable(Type.String()),
  snapshot: Type.Object({}, { additionalProperties: true }),
  createdAt: DateTimeValue,
  updatedAt: DateTimeValue,
});

const BINARY = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

export function issueRoutes(app: App): void {
  const staff = { access: STAFF };

  app.post(
    '/issues',
    {
      config: staff,
      schema: {
        operationId: 'createCertificateIssue',
        tags: ['issues'],
        summary: 'Создать заявку на выпуск сертификата',
        description:
          'Both overloads: CreateCertificateIssue(StaffEmployee, inn) — pass employeeId (and inn if the card has none); ' +
          'CreateCertificateIssue(CertificateApplicantInfo) — pass applicant. Header Idempotency-Key makes a retry return the same issue.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200 })) }),
        body: Type.Object(
          {
            employeeId: Type.Optional(Type.String({ format: 'uuid' })),
            inn: Type.Optional(Type.String({ maxLength: 20 })),
            applicant: Type.Optional(Applicant),
            cspType: Type.Optional(StringEnum(['dss', 'cryptoPro'] as const)),
            certificateType: Type.Optional(StringEnum(['notQualified', 'qualified'] as const)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Result(Issue), ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request, reply) => {
      const result = await app.ctx.services.issues.createCertificateIssue(actor(request), { ...request.body, idempotencyKey: request.headers['idempotency-key'] });
      const data = unwrap(result);
      return reply.code(201).send({ success: true, message: result.message, data });
    },
  );

  app.get(
    '/issues',
    {
      config: staff,
      schema: {
        operationId: 'listIssues',
        tags: ['issues'],
        summary: 'Заявки из локального зеркала',
        querystring: Type.Object({ employeeId: Type.Optional(Type.String({ format: 'uuid' })), status: Type.Optional(Type.Array(StringEnum(ISSUE_STATUSES))), includeDeleted: Type.Optional(Type.Boolean()), ...Paging }),
        response: { 200: Type.Object({ items: Type.Array(MirrorIssue), ...PageInfo }), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { status, ...rest } = request.query;
      return app.ctx.services.issues.listIssues({ ...rest, statuses: status });
    },
  );

  app.get(
    '/issues/:id',
    {
      config: staff,
      schema: {
        operationId: 'getIssue',
        tags: ['issues'],
        summary: 'Заявка (проверка актуализации)',
        description: 'An actualized issue is answered from the local mirror, which the KCR event feed keeps current; an issue still being actualized, or any with fresh=true, is read from Kontur.',
        params: IssueParams,
        querystring: Type.Object({ fresh: Type.Optional(Type.Boolean({ description: 'read from Kontur even when the mirror has the issue' })) }, { additionalProperties: false }),
        response: { 200: Result(Issue), ...problems(400, 401, 403, 404, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.getIssue(actor(request), request.params.id, { fresh: request.query.fresh });
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.get(
    '/issues/:id/history',
    {
      config: staff,
      schema: {
        operationId: 'getIssueHistory',
        tags: ['issues'],
        summary: 'Кто что делал с заявкой, статусы, сканы, чья это заявка',
        params: IssueParams,
        response: { 200: Type.Object({ employeeId: Nullable(Type.String({ description: 'the employee card the issue is for' })), history: Type.Array(Type.Object({}, { additionalProperties: true })), scans: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...problems(401, 403, 404) },
      },
    },
    async (request) => app.ctx.services.issues.issueHistory(request.params.id),
  );

  app.patch(
    '/issues/:id',
    {
      config: staff,
      schema: {
        operationId: 'editCertificateIssueRequest',
        tags: ['issues'],
        summary: 'Изменить данные заявителя',
        description: 'Both overloads: employeeId (take the card again) and/or applicant (CertificateUpdateApplicantInfo fields to change).',
        params: IssueParams,
        body: Type.Object({ employeeId: Type.Optional(Type.String({ format: 'uuid' })), applicant: Type.Optional(Applicant) }, { additionalProperties: false }),
        response: { 200: Result(Type.Null()), ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.editCertificateIssueRequest(actor(request), request.params.id, request.body);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.delete(
    '/issues/:id',
    {
      config: staff,
      schema: { operationId: 'deleteCertificateIssueRequest', tags: ['issues'], summary: 'Удалить заявку (в статусах preparing, correction, approved)', params: IssueParams, response: { 200: Result(Type.Null()), ...problems(401, 403, 404, 409, 502, 504) } },
    },
    async (request) => {
      const result = await app.ctx.services.issues.deleteCertificateIssueRequest(actor(request), request.params.id);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.put(
    '/issues/:id/documents/:documentType',
    {
      config: staff,
      schema: {
        operationId: 'addDocumentRequisites',
        tags: ['issues'],
        summary: 'Добавить реквизиты документа (IdentityDocument)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), documentType: StringEnum(DOCUMENT_TYPES) }),
        body: Type.Object(
          {
            series: Type.Optional(Type.String({ maxLength: 20 })),
            number: Type.Optional(Type.String({ maxLength: 40 })),
            issuerName: Type.Optional(Type.String({ maxLength: 300 })),
            issuerCode: Type.Optional(Type.String({ maxLength: 20 })),
            issueDate: Type.Optional(Type.String({ maxLength: 20, description: 'ДД.ММ.ГГГГ или ГГГГ-ММ-ДД' })),
            birthDate: Type.Optional(Type.String({ maxLength: 20 })),
            birthPlace: Type.Optional(Type.String({ maxLength: 300 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Result(Type.Null()), ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.addDocumentRequisites(actor(request), request.params.id, { ...request.body, documentType: request.params.documentType as DocumentType });
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.post(
    '/issues/:id/documents/:documentType/scans',
    {
      config: staff,
      bodyLimit: 15 * 1024 * 1024,
      schema: {
        operationId: 'sendDocumentScan',
        tags: ['issues'],
        summary: 'Отправить скан документа (SendingFileInfo: data в base64)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), documentType: StringEnum(DOCUMENT_TYPES) }),
        body: Type.Object(
          {
            fileId: Type.Optional(Type.String({ maxLength: 100 })),
            name: Type.String({ minLength: 1, maxLength: 255 }),
            longSize: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
            data: Type.String({ minLength: 1, description: 'file content, base64' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Result(Type.Object({}, { additionalProperties: true })), ...problems(400, 401, 403, 404, 409, 413, 429, 502, 504) },
      },
    },
    async (request, reply) => {
      const { data, ...file } = request.body;
      if (!/^[A-Za-z0-9+/=\s_-]+$/.test(data)) throw new ValidationError([{ field: 'data', message: 'Ожидается содержимое файла в base64' }]);
      const result = await app.ctx.services.issues.sendDocumentScan(actor(request), request.params.id, { ...file, data: Buffer.from(data, 'base64') }, request.params.documentType as DocumentType);
      return reply.code(201).send({ success: true, message: result.message, data: unwrap(result) });
    },
  );

  app.delete(
    '/issues/:id/documents/:documentType/pages/:pageId',
    {
      config: staff,
      schema: {
        operationId: 'deleteDocumentPage',
        tags: ['issues'],
        summary: 'Удалить страницу (скан) документа: например, отклонённую оператором УЦ',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), documentType: StringEnum(DOCUMENT_TYPES), pageId: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: Result(Type.Null()), ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.deleteDocumentPage(actor(request), request.params.id, request.params.documentType as DocumentType, request.params.pageId);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.post(
    '/issues/:id/release-statement/sms-confirmation',
    {
      config: staff,
      schema: { operationId: 'sendReleaseStatement', tags: ['issues'], summary: 'Запросить СМС-код для подписания заявления', params: IssueParams, response: { 200: Result(Type.String()), ...problems(401, 403, 404, 409, 429, 502, 504) } },
    },
    async (request) => {
      const result = await app.ctx.services.issues.sendReleaseStatement(actor(request), request.params.id);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.post(
    '/issues/:id/release-statement/esia-confirmation',
    {
      config: staff,
      schema: {
        operationId: 'sendReleaseStatementWithEsia',
        tags: ['issues'],
        summary: 'Запросить подтверждение выпуска через Госуслуги',
        description: 'Both overloads: snils + birthDate (CertificateConfirmationApplicantInfo), or employeeId (+ snils) taking the rest from the card.',
        params: IssueParams,
        body: Type.Object({ employeeId: Type.Optional(Type.String({ format: 'uuid' })), snils: Type.Optional(Type.String({ maxLength: 20 })), birthDate: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }),
        response: { 200: Result(Type.String()), ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.sendReleaseStatementWithEsia(actor(request), request.params.id, request.body);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.post(
    '/issues/:id/release-statement/sign',
    {
      config: staff,
      schema: {
        operationId: 'signReleaseStatement',
        tags: ['issues'],
        summary: 'Подписать заявление на выпуск (кодом из СМС или по подтверждению в Госуслугах)',
        description: 'Both overloads: with smsCode, or without it after the ESIA confirmation (409 confirmation-in-progress while the applicant has not answered).',
        params: IssueParams,
        body: Type.Optional(Type.Object({ smsCode: Type.Optional(Type.String({ maxLength: 10 })) }, { additionalProperties: false })),
        response: { 200: Result(Type.Null()), ...problems(400, 401, 403, 404, 409, 422, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.signReleaseStatement(actor(request), request.params.id, request.body?.smsCode);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.post(
    '/issues/:id/validation',
    {
      config: staff,
      schema: { operationId: 'sendRequestForValidation', tags: ['issues'], summary: 'Отправить заявку на проверку оператору УЦ', params: IssueParams, response: { 200: Result(Type.Null()), ...problems(400, 401, 403, 404, 409, 429, 502, 504) } },
    },
    async (request) => {
      const result = await app.ctx.services.issues.sendRequestForValidation(actor(request), request.params.id);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.get(
    '/issues/:id/certificate',
    {
      config: staff,
      schema: { operationId: 'downloadCertificate', tags: ['issues'], summary: 'Выпущенный сертификат (DER)', params: IssueParams, response: { 200: BINARY, ...problems(401, 403, 404, 409, 502, 504) } },
    },
    async (request, reply) => {
      const der = unwrap(await app.ctx.services.issues.downloadCertificate(actor(request), request.params.id));
      return reply.type('application/pkix-cert').header('content-disposition', `attachment; filename="${request.params.id}.cer"`).send(der);
    },
  );

  app.post(
    '/issues/:id/certificate/assign',
    {
      config: staff,
      schema: {
        operationId: 'downloadCertificateAndAssignToEmployee',
        tags: ['issues'],
        summary: 'Загрузить выпущенный сертификат в карточку сотрудника',
        params: IssueParams,
        body: Type.Optional(Type.Object({ employeeId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false })),
        response: { 200: Result(Type.Object({}, { additionalProperties: true })), ...problems(400, 401, 403, 404, 409, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.downloadCertificateAndAssignToEmployee(actor(request), request.params.id, request.body?.employeeId);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.get(
    '/issues/:id/templates/:templateType',
    {
      config: staff,
      schema: {
        operationId: 'generateRequestTemplate',
        tags: ['issues'],
        summary: 'Печатная форма (PDF): заявление на выпуск, расписка и другие',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), templateType: StringEnum(TEMPLATE_TYPES) }),
        response: { 200: BINARY, ...problems(400, 401, 403, 404, 409, 502, 504) },
      },
    },
    async (request, reply) => {
      const pdf = unwrap(await app.ctx.services.issues.generateRequestTemplate(actor(request), request.params.id, request.params.templateType as TemplateType));
      // Inline: the browser shows the statement in a tab of its own, to read and print; saving stays possible there.
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${request.params.templateType}.pdf"`).send(pdf);
    },
  );

  app.get(
    '/issue-events',
    {
      config: staff,
      schema: {
        operationId: 'getEventList',
        tags: ['issues'],
        summary: 'Лента событий заявок УЦ Контур',
        description: 'Both overloads: limit, and optionally lastId (events after it).',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), lastId: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: Result(Type.Any()), ...problems(400, 401, 403, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.getEventList(actor(request), request.query.limit, request.query.lastId);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.put(
    '/issues/:id/subject-identification',
    {
      config: staff,
      schema: {
        operationId: 'subjectIdentification',
        tags: ['issues'],
        summary: 'Удостоверение личности: кто из сотрудников удостоверил',
        params: IssueParams,
        body: Type.Object({ identifiedByEmployeeId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: Result(Type.Null()), ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await app.ctx.services.issues.subjectIdentification(actor(request), request.params.id, request.body.identifiedByEmployeeId);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.post(
    '/issues/:id/forward-to-cabinet',
    {
      config: staff,
      schema: { operationId: 'forwardToCabinet', tags: ['issues'], summary: 'Перенаправить заявку в личный кабинет', params: IssueParams, response: { 200: Result(Type.Null()), ...problems(400, 401, 403, 404, 409, 429, 502, 504) } },
    },
    async (request) => {
      const result = await app.ctx.services.issues.forwardToCabinet(actor(request), request.params.id);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );
}
