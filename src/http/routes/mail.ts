// The administrator's mail settings: the SMTP server notices go through (the password is
// write-only), a test send, and the outbox with what was sent, what waits and what failed.
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ADMIN } from '../access.ts';
import { DateTimeValue, Nullable, StringEnum, problems } from '../schemas.ts';
import { SMTP_SECURITY } from '../../services/mail-settings.ts';
import { MAIL_KINDS, MAIL_STATES } from '../../store/schema/index.ts';

const MailSettings = Type.Object({
  host: Type.String({ description: 'SMTP server' }),
  port: Type.Integer(),
  security: StringEnum(SMTP_SECURITY, { description: 'none: plain SMTP; starttls: STARTTLS required; tls: TLS from the start (port 465)' }),
  user: Type.String(),
  passwordSet: Type.Boolean({ description: 'The password is write-only' }),
  from: Type.String({ description: 'Sender address' }),
  source: StringEnum(['stored', 'sandbox', 'none'] as const, { description: "stored: these settings; sandbox: the built-in sandbox's mail catcher (no server stored); none: mail is off" }),
});

const MailSettingsChange = Type.Object(
  {
    host: Type.Optional(Type.String({ maxLength: 300, description: 'Empty: forget the server (back to the sandbox catcher, or mail off)' })),
    port: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 10 })])),
    security: Type.Optional(Type.String({ maxLength: 20 })),
    user: Type.Optional(Type.String({ maxLength: 300 })),
    password: Type.Optional(Type.String({ maxLength: 600, description: 'Write-only; stored encrypted' })),
    from: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

const OutboxMail = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: StringEnum(MAIL_KINDS),
  userId: Nullable(Type.String()),
  recipient: Type.String(),
  subject: Type.String(),
  state: StringEnum(MAIL_STATES),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  smtpResponse: Nullable(Type.String()),
  sentAt: Nullable(DateTimeValue),
  createdAt: DateTimeValue,
  updatedAt: DateTimeValue,
  dedupeKey: Type.String(),
});

export function mailRoutes(app: App): void {
  const { mailSettings, notifications } = app.ctx.services;
  const admin = { access: ADMIN };

  app.get(
    '/mail/settings',
    { config: admin, schema: { operationId: 'getMailSettings', tags: ['mail'], summary: 'Настройки почты (SMTP) для уведомлений', response: { 200: MailSettings, ...problems(401, 403) } } },
    async () => mailSettings.view(),
  );

  app.put(
    '/mail/settings',
    {
      config: admin,
      schema: { operationId: 'updateMailSettings', tags: ['mail'], summary: 'Изменить настройки почты (только переданные поля; пустая строка очищает)', body: MailSettingsChange, response: { 200: MailSettings, ...problems(400, 401, 403) } },
    },
    async (request) => mailSettings.update(actor(request), request.body),
  );

  app.delete(
    '/mail/settings',
    { config: admin, schema: { operationId: 'resetMailSettings', tags: ['mail'], summary: 'Забыть настройки почты', response: { 200: MailSettings, ...problems(401, 403) } } },
    async (request) => mailSettings.reset(actor(request)),
  );

  app.post(
    '/mail/test',
    {
      config: admin,
      schema: {
        operationId: 'sendTestMail',
        tags: ['mail'],
        summary: 'Отправить проверочное письмо (через очередь; результат — в журнале писем)',
        body: Type.Object({ to: Type.String({ maxLength: 300 }) }, { additionalProperties: false }),
        response: { 202: OutboxMail, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await notifications.sendTest(actor(request), request.body.to)),
  );

  app.get(
    '/mail/outbox',
    {
      config: admin,
      schema: {
        operationId: 'listMailOutbox',
        tags: ['mail'],
        summary: 'Журнал писем: отправленные, ожидающие и неотправленные с последней ошибкой',
        querystring: Type.Object({ state: Type.Optional(StringEnum(MAIL_STATES)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(OutboxMail), ...problems(400, 401, 403) },
      },
    },
    async (request) => notifications.list(request.query),
  );

  app.get(
    '/mail/outbox/:id',
    {
      config: admin,
      schema: { operationId: 'getOutboxMail', tags: ['mail'], summary: 'Одно письмо из журнала', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: OutboxMail, ...problems(400, 401, 403, 404) } },
    },
    async (request) => notifications.get(request.params.id),
  );
}
