import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

import type { AuditOutcome } from '../../domain/audit-actions.ts';

/** Append-only: the application only ever inserts here. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    outcome: text('outcome').$type<AuditOutcome>().notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
    requestId: text('request_id'),
    /** The request id of Kontur's (last) answer in the operation, when it called Kontur. */
    konturRequestId: text('kontur_request_id'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_request_idx').on(t.requestId),
    index('audit_log_action_idx').on(t.action, t.id),
  ],
);
