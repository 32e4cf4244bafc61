// Admin routes for webhooks (URLs told about issue events, HMAC-signed).
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ADMIN } from '../access.ts';
import { DateTimeValue, IdParams, Nullable, problems, StringEnum } from '../schemas.ts';
import { WEBHOOK_EVENTS } from '../../services/webhooks.ts';

const Webhook = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: DateTimeValue,
  updatedAt: DateTimeValue,
});

const Delivery = Type.Object({
  id: Type.String(),
  eventKey: Type.String(),
  eventType: Type.String(),
  state: Type.String(),
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(DateTimeValue),
  createdAt: DateTimeValue,
});

export function webhookRoutes(app: App): void {
  const admin = { access: ADMIN };
  const Events = Type.Array(StringEnum(WEBHOOK_EVENTS), { description: 'empty: all events' });

  app.get('/webhooks', { config: admin, schema: { operationId: 'listWebhooks', tags: ['webhooks'], response: { 200: Type.Array(Webhook), ...problems(401, 403) } } }, async () => app.ctx.services.webhooks.list());

  app.post(
    '/webhooks',
    {
      config: admin,
      schema: {
        operationId: 'createWebhook',
        tags: ['webhooks'],
        summary: 'Add a webhook; the signing secret is returned once',
        body: Type.Object({ url: Type.String({ maxLength: 2000 }), events: Type.Optional(Events), secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })) }, { additionalProperties: false }),
        response: { 201: Type.Intersect([Webhook, Type.Object({ secret: Type.String() })]), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await app.ctx.services.webhooks.create(actor(request), request.body)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: admin,
      schema: {
        operationId: 'updateWebhook',
        tags: ['webhooks'],
        params: IdParams,
        body: Type.Object({ url: Type.Optional(Type.String({ maxLength: 2000 })), events: Type.Optional(Events), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Webhook, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => app.ctx.services.webhooks.update(actor(request), request.params.id, request.body),
  );

  app.delete(
    '/webhooks/:id',
    { config: admin, schema: { operationId: 'deleteWebhook', tags: ['webhooks'], params: IdParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await app.ctx.services.webhooks.remove(actor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    { config: admin, schema: { operationId: 'listWebhookDeliveries', tags: ['webhooks'], params: IdParams, response: { 200: Type.Array(Delivery), ...problems(401, 403, 404) } } },
    async (request) => app.ctx.services.webhooks.deliveries(request.params.id),
  );
}
