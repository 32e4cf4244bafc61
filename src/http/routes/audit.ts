import { Type } from 'typebox';
import type { App } from '../app.ts';
import { ADMIN } from '../access.ts';
import { DateTimeValue, Nullable, StringEnum, problems } from '../schemas.ts';
import { AUDIT_OUTCOMES } from '../../store/schema/index.ts';

const Outcome = StringEnum(AUDIT_OUTCOMES);

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: DateTimeValue,
  actorId: Nullable(Type.String()),
  actorName: Type.String(),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  outcome: Outcome,
  details: Nullable(Type.Object({}, { additionalProperties: true })),
  requestId: Nullable(Type.String()),
});

export function auditRoutes(app: App): void {
  app.get(
    '/audit',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'listAuditEntries',
        tags: ['audit'],
        summary: 'The audit log, newest first, with filters; page with `before` = the last id seen',
        querystring: Type.Object(
          {
            actor: Type.Optional(Type.String({ maxLength: 100 })),
            action: Type.Optional(Type.String({ maxLength: 100 })),
            targetType: Type.Optional(Type.String({ maxLength: 100 })),
            targetId: Type.Optional(Type.String({ maxLength: 200 })),
            outcome: Type.Optional(Outcome),
            from: Type.Optional(DateTimeValue),
            to: Type.Optional(DateTimeValue),
            before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entries: Type.Array(AuditEntry), nextBefore: Nullable(Type.Integer()) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { from, to, ...rest } = request.query;
      return app.ctx.services.audit.list({ ...rest, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
    },
  );
}
