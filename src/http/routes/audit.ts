import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { ADMIN } from '../access.ts';
import { DateTimeValue, Nullable, StringEnum, problems } from '../schemas.ts';
import { AUDIT_OUTCOMES } from '../../domain/audit-actions.ts';
import { AUDIT_EXPORT_MAX_ROWS } from '../../services/audit.ts';

const Outcome = StringEnum(AUDIT_OUTCOMES);

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: DateTimeValue,
  actorId: Nullable(Type.String()),
  actorName: Type.String({ description: 'the login of the acting user (`system` for the server itself, `anonymous` without a sign-in)' }),
  actorDisplayName: Type.String({ description: "the acting user's name" }),
  action: Type.String({ description: 'the operationId of the operation (or a system event such as certificateForm.stateChanged)' }),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  targetName: Nullable(Type.String({ description: "what the target is called: the employee's name, the applicant's for an issue, a file name" })),
  outcome: Outcome,
  details: Nullable(Type.Object({}, { additionalProperties: true })),
  requestId: Nullable(Type.String()),
  konturRequestId: Nullable(Type.String({ description: "the request id of Kontur's answer that decided the outcome" })),
});

const Filters = {
  actor: Type.Optional(Type.String({ maxLength: 100, description: 'login of the acting user' })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  targetType: Type.Optional(Type.String({ maxLength: 100 })),
  targetId: Type.Optional(Type.String({ maxLength: 200 })),
  outcome: Type.Optional(Outcome),
  from: Type.Optional(DateTimeValue),
  to: Type.Optional(DateTimeValue),
};

const dates = ({ from, to }: { from?: string | Date; to?: string | Date }) => ({ from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });

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
            ...Filters,
            before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entries: Type.Array(AuditEntry), nextBefore: Nullable(Type.Integer()) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => app.ctx.services.audit.list({ ...request.query, ...dates(request.query) }),
  );

  app.get(
    '/audit/export',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'exportAuditEntries',
        tags: ['audit'],
        summary: `The audit log as CSV (UTF-8 with BOM, \`;\`-separated, Russian headers and action names), newest first, with the same filters; at most ${AUDIT_EXPORT_MAX_ROWS} rows`,
        querystring: Type.Object(Filters, { additionalProperties: false }),
        response: { 200: Type.Unsafe<Readable>({ type: 'string', description: 'text/csv' }), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${stamp}.csv"`)
        .send(Readable.from(app.ctx.services.audit.exportCsv({ ...request.query, ...dates(request.query) })));
    },
  );
}
