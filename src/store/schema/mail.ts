// E-mail notifications: the outbox the mail job sends from. A mail is recorded once per event and
// recipient (dedupeKey), in the same transaction as what caused it when there is one, and sent by a
// retried job; what failed stays here with its last error for the settings page.
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { users } from './users.ts';

export const MAIL_KINDS = ['issueCorrection', 'certificateReleased', 'signingCodeWaiting', 'certificateExpiring', 'test'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const MAIL_STATES = ['pending', 'sent', 'failed'] as const;
export type MailState = (typeof MAIL_STATES)[number];

export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What the mail is about and for whom: a second record of the same event adds nothing. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    kind: text('kind').$type<MailKind>().notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    state: text('state').$type<MailState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** The SMTP server's answer to the accepted message. */
    smtpResponse: text('smtp_response'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('mail_outbox_state_idx').on(t.state, t.createdAt), index('mail_outbox_created_idx').on(t.createdAt)],
);
