// What the whole sandbox shares (its certification authority, the SMS outbox), in the
// PostgreSQL schema `sandbox`, which also holds the sandbox's migration journal.
import { index, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, updatedAt } from './columns.ts';

export const sandboxCommon = pgSchema('sandbox');

/** The SMS outbox: what the sandbox would have sent to the applicant's phone. */
export const sandboxSmsOutbox = sandboxCommon.table(
  'sms_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phone: text('phone').notNull(),
    text: text('text').notNull(),
    code: text('code'),
    issueId: uuid('issue_id'),
    purpose: text('purpose').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sandbox_sms_outbox_phone_idx').on(t.phone, t.createdAt)],
);

/** The sandbox CA's root key and certificate, made on first use. */
export const sandboxCa = sandboxCommon.table('ca', {
  name: text('name').primaryKey(),
  keySealed: text('key_sealed').notNull(),
  certificateDer: bytea('certificate_der').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
