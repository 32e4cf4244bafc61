// The employee's own: her issues with the next step and the release statement she signs herself,
// her certificates, and her switch for e-mail notices. Only the caller's own data is answered:
// the services refuse another employee's issue or certificate (403 forbidden).
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ANY_USER } from '../access.ts';
import { DateTimeValue, IdParams, Nullable, StringEnum, problems } from '../schemas.ts';
import { unwrap } from '../../services/operation-result.ts';
import { EmployeeCertificateSchema } from './employees.ts';

const EMPLOYEE = { access: ['employee'] as const };

const MyIssue = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: Type.String(),
  statusName: Type.String({ description: 'The status in Russian' }),
  createdAt: DateTimeValue,
  updatedAt: DateTimeValue,
  next: Type.Object({
    step: StringEnum(['signStatement', 'confirmInEsia', 'visitHr', 'finishInCabinet', 'downloadCertificate', 'wait'] as const),
    text: Type.String({ description: 'What is expected of the employee, in Russian' }),
  }),
  statementCodeSent: Type.Boolean({ description: 'A code for the release statement was sent and not used yet' }),
  correction: Nullable(
    Type.Object({ comment: Type.String(), remarks: Type.Array(Type.Object({ code: Type.String(), target: Type.String(), targetDescription: Type.Optional(Type.String()), message: Type.String() })) }),
  ),
  certificateThumbprint: Nullable(Type.String()),
});

const MyCertificate = Type.Intersect([
  EmployeeCertificateSchema,
  Type.Object({ daysLeft: Type.Integer({ description: 'Whole days until validTo, negative once expired' }), state: StringEnum(['valid', 'notYetValid', 'expired'] as const) }),
]);

const Subscription = Type.Object({
  subscribed: Type.Boolean(),
  address: Nullable(Type.String({ description: 'Where notices go: the e-mail of the linked employee card' })),
});

export function selfServiceRoutes(app: App): void {
  const { selfService, notifications } = app.ctx.services;

  app.get(
    '/me/issues',
    {
      config: EMPLOYEE,
      schema: { operationId: 'listMyIssues', tags: ['self-service'], summary: 'Мои заявки: свои заявки на сертификат и что нужно сделать дальше', response: { 200: Type.Array(MyIssue), ...problems(401, 403, 409) } },
    },
    async (request) => selfService.myIssues(actor(request)),
  );

  app.post(
    '/me/issues/:id/release-statement/sms-confirmation',
    {
      config: EMPLOYEE,
      schema: {
        operationId: 'sendMyReleaseStatementCode',
        tags: ['self-service'],
        summary: 'Прислать мне код для подписания заявления на выпуск (своя заявка)',
        params: IdParams,
        response: { 200: Type.Object({ success: Type.Boolean(), message: Type.String(), data: Type.String({ description: 'the masked phone' }) }), ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await selfService.sendStatementCode(actor(request), request.params.id);
      return { success: true, message: result.message, data: unwrap(result) };
    },
  );

  app.post(
    '/me/issues/:id/release-statement/sign',
    {
      config: EMPLOYEE,
      schema: {
        operationId: 'signMyReleaseStatement',
        tags: ['self-service'],
        summary: 'Подписать заявление на выпуск кодом из СМС (своя заявка)',
        params: IdParams,
        body: Type.Object({ smsCode: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ success: Type.Boolean(), message: Type.String(), data: Type.Null() }), ...problems(400, 401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => {
      const result = await selfService.signStatement(actor(request), request.params.id, request.body.smsCode);
      unwrap(result);
      return { success: true, message: result.message, data: null };
    },
  );

  app.get(
    '/me/certificates',
    {
      config: EMPLOYEE,
      schema: { operationId: 'listMyCertificates', tags: ['self-service'], summary: 'Мои сертификаты: срок действия и сколько дней осталось', response: { 200: Type.Array(MyCertificate), ...problems(401, 403, 409) } },
    },
    async (request) => selfService.myCertificates(actor(request)),
  );

  app.get(
    '/me/certificates/:thumbprint/file',
    {
      config: EMPLOYEE,
      schema: {
        operationId: 'downloadMyCertificate',
        tags: ['self-service'],
        summary: 'Скачать свой сертификат (.cer, DER)',
        params: Type.Object({ thumbprint: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { der, fileName } = await selfService.certificateFile(actor(request), request.params.thumbprint);
      return reply.type('application/pkix-cert').header('content-disposition', `attachment; filename="${fileName}"`).send(der);
    },
  );

  app.get(
    '/me/notifications',
    {
      config: { access: ANY_USER },
      schema: { operationId: 'getMyMailSubscription', tags: ['self-service'], summary: 'Уведомления по почте: включены ли и на какой адрес', response: { 200: Subscription, ...problems(401, 403) } },
    },
    async (request) => notifications.subscription(actor(request).userId!),
  );

  app.put(
    '/me/notifications',
    {
      config: { access: ANY_USER },
      schema: {
        operationId: 'setMyMailSubscription',
        tags: ['self-service'],
        summary: 'Включить или отключить уведомления по почте для себя',
        body: Type.Object({ subscribed: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Subscription, ...problems(400, 401, 403) },
      },
    },
    async (request) => notifications.setSubscription(actor(request), actor(request).userId!, request.body.subscribed),
  );
}
