import { bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Every request for an SMS code that is not a signing operation of its own (signing operations are
 * counted in sign_operations): today the release-statement codes of KCR issues, counted per issue
 * against SMS_LIMIT_STATEMENT_CODES_PER_HOUR. Rows older than a day are purged by the hourly job.
 */
export const smsCodeRequests = pgTable(
  'sms_code_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** What the code confirms: `releaseStatement`. */
    purpose: text('purpose').notNull(),
    /** The KCR issue the code is for. */
    issueId: uuid('issue_id').notNull(),
    requestedBy: uuid('requested_by'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sms_code_requests_issue_idx').on(t.issueId, t.requestedAt)],
);
