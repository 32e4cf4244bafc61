import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, STAFF } from '../access.ts';
import { DateTimeValue, IdParams, Nullable, PageInfo, Paging, StringEnum, problems } from '../schemas.ts';
import { ForbiddenError } from '../../services/errors.ts';

const Text = (maxLength: number) => Type.String({ maxLength });

export const EmployeeSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  lastName: Type.String(),
  firstName: Type.String(),
  middleName: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Type.String({ description: '+7XXXXXXXXXX' }),
  inn: Nullable(Type.String()),
  snils: Nullable(Type.String({ description: 'NNN-NNN-NNN NN' })),
  birthDate: Nullable(Type.String({ format: 'date' })),
  position: Nullable(Type.String()),
  department: Nullable(Type.String()),
  state: StringEnum(['active', 'dismissed'] as const, { description: 'dismissed: the employee left (the card offers to recall the certificates)' }),
  dismissedAt: Nullable(DateTimeValue),
  createdAt: DateTimeValue,
  updatedAt: DateTimeValue,
});

/** Field formats are checked by the service so that messages are in Russian and name the field. */
const EmployeeFieldsInput = {
  lastName: Text(100),
  firstName: Text(100),
  middleName: Type.Optional(Nullable(Text(100))),
  email: Type.Optional(Nullable(Text(254))),
  phone: Text(40),
  inn: Type.Optional(Nullable(Text(20))),
  snils: Type.Optional(Nullable(Text(20))),
  birthDate: Type.Optional(Nullable(Text(20))),
  position: Type.Optional(Nullable(Text(200))),
  department: Type.Optional(Nullable(Text(200))),
};

export const EmployeeCertificateSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  employeeId: Type.String({ format: 'uuid' }),
  thumbprint: Type.String(),
  serialNumber: Type.String(),
  subject: Type.String(),
  issuer: Type.String(),
  validFrom: DateTimeValue,
  validTo: DateTimeValue,
  source: Type.String(),
  cspType: Nullable(Type.String()),
  issueId: Nullable(Type.String()),
  revokedAt: Nullable(DateTimeValue),
  revocationStatus: Nullable(Type.String()),
  revocationCheckedAt: Nullable(DateTimeValue),
  replacedById: Nullable(Type.String()),
  createdAt: DateTimeValue,
});

const ImportReport = Type.Object({
  total: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), message: Type.String() })),
});

/** CSV import files: up to 10 MiB (about 50,000 rows). */
const CSV_BODY_LIMIT = 10 * 1024 * 1024;

export function employeeRoutes(app: App): void {
  const { employees } = app.ctx.services;

  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.get(
    '/employees',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'searchEmployees',
        tags: ['employees'],
        summary: 'Search the directory by name, email, phone, INN or SNILS',
        querystring: Type.Object({ query: Type.Optional(Text(200)), department: Type.Optional(Text(200)), ...Paging }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(EmployeeSchema), ...PageInfo }), ...problems(400, 401, 403) },
      },
    },
    async (request) => employees.search(request.query),
  );

  app.post(
    '/employees',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'createEmployee',
        tags: ['employees'],
        summary: 'Create an employee card',
        body: Type.Object(EmployeeFieldsInput, { additionalProperties: false }),
        response: { 201: EmployeeSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await employees.create(actor(request), request.body)),
  );

  app.get(
    '/employees/:id',
    {
      config: { access: ['admin', 'operator', 'employee'] },
      schema: {
        operationId: 'getEmployee',
        tags: ['employees'],
        summary: 'One employee card (employees see their own)',
        params: IdParams,
        response: { 200: EmployeeSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const who = actor(request);
      if (who.role === 'employee' && who.employeeId !== request.params.id) throw new ForbiddenError('Можно открыть только свою карточку');
      return employees.get(request.params.id);
    },
  );

  app.patch(
    '/employees/:id',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'updateEmployee',
        tags: ['employees'],
        summary: 'Change an employee card (only the given fields; empty string clears an optional field)',
        params: IdParams,
        body: Type.Partial(Type.Object(EmployeeFieldsInput), { additionalProperties: false }),
        response: { 200: EmployeeSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => employees.update(actor(request), request.params.id, request.body),
  );

  app.get(
    '/employees/:id/certificates',
    {
      config: { access: ['admin', 'operator', 'employee'] },
      schema: {
        operationId: 'listEmployeeCertificates',
        tags: ['employees'],
        summary: 'Certificates in the employee card',
        params: IdParams,
        response: { 200: Type.Array(EmployeeCertificateSchema), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const who = actor(request);
      if (who.role === 'employee' && who.employeeId !== request.params.id) throw new ForbiddenError('Можно открыть только свою карточку');
      return employees.certificates(request.params.id);
    },
  );

  app.post(
    '/employees/import',
    {
      config: { access: STAFF },
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        operationId: 'importEmployeesCsv',
        tags: ['employees'],
        summary: 'Import a CSV file (text/csv body; header row with column names in Russian or English). Valid rows are stored, bad rows reported',
        consumes: ['text/csv'],
        body: Type.String({ minLength: 1, description: 'CSV file contents' }),
        response: { 200: ImportReport, ...problems(400, 401, 403, 413, 415) },
      },
    },
    async (request) => employees.importCsv(actor(request), request.body),
  );
}
