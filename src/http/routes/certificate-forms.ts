// REST face of Kontur Реестро's certificate forms (seed 004) and of the subjects and
// representatives they need. Plain JSON resources; failures are problem+json naming the field
// of these requests (Реестро's own errors included).
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, STAFF } from '../access.ts';
import { DateTimeValue, IdParams, Nullable, Paging, problems, StringEnum } from '../schemas.ts';
import { FORM_DOCUMENT_TYPES, FORM_STATES } from '../../domain/certificate-form.ts';
import { REESTRO_SUBJECT_KINDS } from '../../store/schema/index.ts';

/** Files travel as base64 in JSON: a 16 MB file and its envelope. */
const FILE_BODY_LIMIT = 24 * 1024 * 1024;

const FileInput = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 255 }), data: Type.String({ minLength: 1, description: 'The bytes in base64' }) },
  { additionalProperties: false },
);

const ContentInfo = Type.Object(
  {
    contentId: Type.String({ minLength: 1, maxLength: 100 }),
    contentType: Type.String({ minLength: 1, maxLength: 100 }),
    md5: Type.String({ minLength: 32, maxLength: 32 }),
    size: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: true, description: "Реестро's ContentInfo" },
);

const DocumentInput = Type.Object(
  {
    type: StringEnum(FORM_DOCUMENT_TYPES, { description: 'passport (008001001000), egrul (008002008000), snils (100), inn (200), photo (5300)' }),
    number: Type.Optional(Type.String({ maxLength: 200 })),
    series: Type.Optional(Type.String({ maxLength: 200 })),
    issueDate: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD or DD.MM.YYYY' })),
    issuerCode: Type.Optional(Type.String({ maxLength: 10 })),
    issuerName: Type.Optional(Type.String({ maxLength: 200 })),
    file: Type.Optional(FileInput),
    documentId: Type.Optional(Type.String({ description: 'A document of the module (/documents)' })),
    issueScanId: Type.Optional(Type.String({ description: 'A scan of a KCR issue' })),
    content: Type.Optional(ContentInfo),
    replaces: Type.Optional(Type.String({ description: "updateCertificateForm: the documentId of the form's document this one replaces" })),
  },
  { additionalProperties: false, description: 'A document: its type, requisites (the passport takes the subject’s by default) and exactly one of file, documentId, issueScanId, content' },
);

const FormDocument = Type.Object({
  documentId: Type.String(),
  type: Type.String(),
  typeName: Type.String(),
  code: Type.String(),
  requisites: Type.Object({}, { additionalProperties: true }),
  source: Type.String(),
  sourceId: Type.Optional(Type.String()),
  fileName: Type.Optional(Type.String()),
  content: Type.Optional(ContentInfo),
});

const Certificate = Type.Object({
  certificateState: Type.String({ description: 'Valid, Revoke or Expired' }),
  validFrom: Type.String(),
  validTo: Type.String(),
  name: Nullable(Type.String()),
  inn: Nullable(Type.String()),
  ogrn: Nullable(Type.String()),
  kpp: Nullable(Type.String()),
  thumbprint: Nullable(Type.String()),
  serialNumber: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  inEmployeeCard: Type.Boolean(),
});

const Form = Type.Object({
  id: Type.String(),
  formId: Nullable(Type.String()),
  externalId: Type.String(),
  ownerType: Type.String(),
  ownerTypeName: Type.String(),
  ownerName: Type.String(),
  organizationName: Nullable(Type.String()),
  employeeId: Nullable(Type.String()),
  personSubjectId: Type.String(),
  organizationSubjectId: Nullable(Type.String()),
  creationState: Type.String(),
  state: Nullable(Type.String({ description: 'Created, Releasing, ValidationError, Issued, Revoked' })),
  stateName: Nullable(Type.String()),
  editable: Type.Boolean(),
  documents: Type.Array(FormDocument),
  validationErrors: Type.Array(Type.Object({ code: Type.String(), field: Type.String(), message: Type.String() })),
  statement: Nullable(Type.Object({}, { additionalProperties: true })),
  certificate: Nullable(Certificate),
  certificateError: Nullable(Type.String()),
  error: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: DateTimeValue,
  updatedAt: DateTimeValue,
  releasedAt: Nullable(DateTimeValue),
  checkedAt: Nullable(DateTimeValue),
});

const AddressLevel = Type.Object({ name: Type.String({ maxLength: 200 }), abbreviation: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false });
const Address = Type.Object(
  {
    region: Type.String({ maxLength: 10, description: 'Two-digit region code, e.g. 54' }),
    postalCode: Type.Optional(Type.String({ maxLength: 10 })),
    district: Type.Optional(AddressLevel),
    city: Type.Optional(AddressLevel),
    settlement: Type.Optional(AddressLevel),
    street: Type.Optional(AddressLevel),
    house: Type.Optional(AddressLevel),
    building: Type.Optional(AddressLevel),
    flat: Type.Optional(AddressLevel),
  },
  { additionalProperties: false, description: 'Реестро needs the street level or below for a form' },
);

const Passport = Type.Object(
  {
    series: Type.String({ maxLength: 10 }),
    number: Type.String({ maxLength: 10 }),
    issueDate: Type.String({ maxLength: 10 }),
    issuerCode: Type.String({ maxLength: 10 }),
    issuerName: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);

const SubjectInput = Type.Object(
  {
    kind: StringEnum(REESTRO_SUBJECT_KINDS),
    employeeId: Type.Optional(Type.String({ format: 'uuid', description: 'person, soleProprietor: the employee card' })),
    gender: Type.Optional(StringEnum(['male', 'female'] as const)),
    birthPlace: Type.Optional(Type.String({ maxLength: 500 })),
    citizenship: Type.Optional(Type.String({ maxLength: 20 })),
    passport: Type.Optional(Passport),
    ogrnip: Type.Optional(Type.String({ maxLength: 20 })),
    name: Type.Optional(Type.String({ maxLength: 500, description: 'organization' })),
    inn: Type.Optional(Type.String({ maxLength: 20, description: 'organization' })),
    kpp: Type.Optional(Type.String({ maxLength: 20 })),
    ogrn: Type.Optional(Type.String({ maxLength: 20 })),
    regDate: Type.Optional(Type.String({ maxLength: 10 })),
    address: Address,
  },
  { additionalProperties: false },
);

const Subject = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  employeeId: Nullable(Type.String()),
  subjectId: Nullable(Type.String()),
  externalId: Type.String(),
  displayName: Type.String(),
  inn: Nullable(Type.String()),
  data: Type.Object({}, { additionalProperties: true }),
  createdBy: Type.String(),
  createdAt: DateTimeValue,
  updatedAt: DateTimeValue,
});

const Representative = Type.Object({
  id: Type.String(),
  organizationSubjectId: Type.String(),
  personSubjectId: Type.String(),
  post: Type.String(),
  createdBy: Type.String(),
  createdAt: DateTimeValue,
});

const BINARY = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

export function certificateFormRoutes(app: App): void {
  const staff = { access: STAFF };
  const { certificateForms, reestroSubjects } = app.ctx.services;

  // ---- subjects and representatives --------------------------------------------------------

  app.post(
    '/reestro-subjects',
    {
      config: staff,
      schema: {
        operationId: 'createReestroSubject',
        tags: ['certificate-forms'],
        summary: 'Создать или обновить субъект Реестро',
        description:
          'kind person or soleProprietor: from the employee card (employeeId) plus gender, birthPlace, address, passport (default: the passport of the ' +
          "employee's latest KCR issue) and ogrnip for a sole proprietor; kind organization: name, inn, kpp, ogrn, regDate, address. " +
          'The same employee and kind (or organization INN and KPP) updates the existing subject.',
        body: SubjectInput,
        response: { 200: Subject, ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => {
      const body = request.body;
      return reestroSubjects.save(
        actor(request),
        body.kind === 'organization'
          ? { kind: 'organization', name: body.name ?? '', inn: body.inn ?? '', kpp: body.kpp, ogrn: body.ogrn ?? '', regDate: body.regDate, address: body.address }
          : { kind: body.kind, employeeId: body.employeeId ?? '', gender: body.gender as 'male', birthPlace: body.birthPlace ?? '', citizenship: body.citizenship, address: body.address, passport: body.passport, ogrnip: body.ogrnip },
      );
    },
  );

  app.get(
    '/reestro-subjects',
    {
      config: staff,
      schema: {
        operationId: 'listReestroSubjects',
        tags: ['certificate-forms'],
        summary: 'Субъекты Реестро, созданные модулем',
        querystring: Type.Object({ kind: Type.Optional(StringEnum(REESTRO_SUBJECT_KINDS)), employeeId: Type.Optional(Type.String({ format: 'uuid' })), ...Paging }),
        response: { 200: Type.Object({ items: Type.Array(Subject), total: Type.Integer() }), ...problems(400, 401, 403) },
      },
    },
    async (request) => reestroSubjects.list(request.query),
  );

  app.get(
    '/reestro-subjects/:id',
    {
      config: staff,
      schema: { operationId: 'getReestroSubject', tags: ['certificate-forms'], summary: 'Субъект Реестро', params: IdParams, response: { 200: Subject, ...problems(401, 403, 404) } },
    },
    async (request) => reestroSubjects.view(await reestroSubjects.get(request.params.id)),
  );

  app.get(
    '/reestro-subjects/:id/egrul',
    {
      config: staff,
      schema: {
        operationId: 'getReestroSubjectExtract',
        tags: ['certificate-forms'],
        summary: 'Свежая выписка из ЕГРЮЛ (ЕГРИП) из Реестро',
        description: 'The extract stays at Реестро as a content: pass it to a form as a document {type: "egrul", issueDate, content}.',
        params: IdParams,
        response: { 200: Type.Object({ content: ContentInfo, issueDate: Type.String() }), ...problems(400, 401, 403, 404, 409, 502, 504) },
      },
    },
    async (request) => reestroSubjects.extract(actor(request), request.params.id),
  );

  app.post(
    '/reestro-representatives',
    {
      config: staff,
      schema: {
        operationId: 'createReestroRepresentative',
        tags: ['certificate-forms'],
        summary: 'Зарегистрировать сотрудника представителем организации в Реестро',
        body: Type.Object(
          { organizationSubjectId: Type.String({ format: 'uuid' }), personSubjectId: Type.String({ format: 'uuid' }), post: Type.String({ minLength: 1, maxLength: 200, description: 'The position held, e.g. Директор' }) },
          { additionalProperties: false },
        ),
        response: { 200: Representative, ...problems(400, 401, 403, 409, 429, 502, 504) },
      },
    },
    async (request) => reestroSubjects.addRepresentative(actor(request), request.body),
  );

  app.get(
    '/reestro-representatives',
    {
      config: staff,
      schema: {
        operationId: 'listReestroRepresentatives',
        tags: ['certificate-forms'],
        summary: 'Представители организаций в Реестро',
        querystring: Type.Object({ organizationSubjectId: Type.Optional(Type.String({ format: 'uuid' })), personSubjectId: Type.Optional(Type.String({ format: 'uuid' })) }),
        response: { 200: Type.Array(Representative), ...problems(400, 401, 403) },
      },
    },
    async (request) => reestroSubjects.representatives(request.query),
  );

  // ---- certificate forms -------------------------------------------------------------------

  app.post(
    '/certificate-forms',
    {
      config: staff,
      bodyLimit: FILE_BODY_LIMIT,
      schema: {
        operationId: 'createCertificateForm',
        tags: ['certificate-forms'],
        summary: 'Создать анкету на выпуск сертификата в Реестро',
        description:
          'personSubjectId alone: a certificate of a person (or of a sole proprietor, for a soleProprietor subject); with organizationSubjectId: of the ' +
          "organization's representative (the pair must be registered with createReestroRepresentative first). Header Idempotency-Key: a retry returns the same form.",
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200 })) }),
        body: Type.Object(
          { personSubjectId: Type.String({ format: 'uuid' }), organizationSubjectId: Type.Optional(Type.String({ format: 'uuid' })), documents: Type.Optional(Type.Array(DocumentInput, { maxItems: 20 })) },
          { additionalProperties: false },
        ),
        response: { 201: Form, 200: Form, ...problems(400, 401, 403, 404, 409, 413, 429, 502, 504) },
      },
    },
    async (request, reply) => {
      const { form, reused } = await certificateForms.create(actor(request), { ...request.body, idempotencyKey: request.headers['idempotency-key'] });
      return reply.code(reused ? 200 : 201).send(form);
    },
  );

  app.get(
    '/certificate-forms',
    {
      config: staff,
      schema: {
        operationId: 'listCertificateForms',
        tags: ['certificate-forms'],
        summary: 'Анкеты Реестро',
        querystring: Type.Object({ employeeId: Type.Optional(Type.String({ format: 'uuid' })), state: Type.Optional(StringEnum(FORM_STATES)), ...Paging }),
        response: { 200: Type.Object({ items: Type.Array(Form), total: Type.Integer() }), ...problems(400, 401, 403) },
      },
    },
    async (request) => certificateForms.list(request.query),
  );

  app.get(
    '/certificate-forms/:id',
    {
      config: staff,
      schema: { operationId: 'getCertificateForm', tags: ['certificate-forms'], summary: 'Анкета (состояние из Реестро)', params: IdParams, response: { 200: Form, ...problems(401, 403, 404) } },
    },
    async (request) => certificateForms.get(request.params.id),
  );

  app.patch(
    '/certificate-forms/:id',
    {
      config: staff,
      bodyLimit: FILE_BODY_LIMIT,
      schema: {
        operationId: 'updateCertificateForm',
        tags: ['certificate-forms'],
        summary: 'Приложить документы к анкете или заменить их',
        description: 'Allowed while the form is Created or ValidationError. A document with `replaces` replaces that document of the form.',
        params: IdParams,
        body: Type.Object({ documents: Type.Array(DocumentInput, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: Form, ...problems(400, 401, 403, 404, 409, 413, 429, 502, 504) },
      },
    },
    async (request) => certificateForms.update(actor(request), request.params.id, request.body),
  );

  app.get(
    '/certificate-forms/:id/statement',
    {
      config: staff,
      schema: {
        operationId: 'renderCertificateFormStatement',
        tags: ['certificate-forms'],
        summary: 'Заявление на выпуск (или отзыв) сертификата, PDF',
        params: IdParams,
        querystring: Type.Object({ statementType: StringEnum(['releaseStatement', 'recallStatement'] as const, { default: 'releaseStatement' }) }),
        response: { 200: BINARY, ...problems(400, 401, 403, 404, 409, 502, 504) },
      },
    },
    async (request, reply) => {
      const pdf = await certificateForms.renderStatement(actor(request), request.params.id, request.query.statementType);
      // Inline: opened in a tab of its own to read and print.
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${request.query.statementType}.pdf"`).send(pdf);
    },
  );

  app.post(
    '/certificate-forms/:id/release',
    {
      config: staff,
      bodyLimit: FILE_BODY_LIMIT,
      schema: {
        operationId: 'releaseCertificateForm',
        tags: ['certificate-forms'],
        summary: 'Отправить подписанное заявление: анкета уходит в УЦ',
        description: 'The scan of the signed release statement: exactly one of file, documentId, issueScanId.',
        params: IdParams,
        body: Type.Object({ file: Type.Optional(FileInput), documentId: Type.Optional(Type.String()), issueScanId: Type.Optional(Type.String()) }, { additionalProperties: false }),
        response: { 200: Form, ...problems(400, 401, 403, 404, 409, 413, 429, 502, 504) },
      },
    },
    async (request) => certificateForms.release(actor(request), request.params.id, request.body),
  );

  app.get(
    '/certificate-forms/:id/certificate',
    {
      config: staff,
      schema: {
        operationId: 'getCertificateFormCertificate',
        tags: ['certificate-forms'],
        summary: 'Выпущенный сертификат (CertificateInfo Реестро)',
        params: IdParams,
        response: { 200: Certificate, ...problems(401, 403, 404, 409, 502, 504) },
      },
    },
    async (request) => certificateForms.certificate(actor(request), request.params.id),
  );

  app.get(
    '/certificate-forms/:id/certificate/content',
    {
      config: staff,
      schema: {
        operationId: 'downloadCertificateFormCertificate',
        tags: ['certificate-forms'],
        summary: 'Файл выпущенного сертификата (.cer, DER)',
        params: IdParams,
        response: { 200: BINARY, ...problems(401, 403, 404, 409, 502, 504) },
      },
    },
    async (request, reply) => {
      const { der, fileName } = await certificateForms.downloadCertificate(actor(request), request.params.id);
      return reply.type('application/pkix-cert').header('content-disposition', `attachment; filename="${fileName}"`).send(der);
    },
  );
}
