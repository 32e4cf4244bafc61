// The lifecycle of certificates in employee cards: the renewal policy per certificate template,
// one renewal per certificate (the unique key is what keeps several workers from starting two),
// and the expiry notices already sent.
import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { employeeCertificates } from './employees.ts';

/** Days before expiry when a certificate of a template is renewed (absent: the default, 30). */
export const renewalPolicies = pgTable('renewal_policies', {
  /** KCR's certificateTemplateInfo.type: `notQualified`, `qualified`, ... */
  certificateTemplate: text('certificate_template').primaryKey(),
  daysBeforeExpiry: integer('days_before_expiry').notNull(),
  updatedAt: updatedAt(),
});

export type RenewalState = 'renewing' | 'renewed' | 'failed';

/** The renewal of one certificate: at most one row per certificate, ever. */
export const certificateRenewals = pgTable('certificate_renewals', {
  certificateId: uuid('certificate_id')
    .primaryKey()
    .references(() => employeeCertificates.id, { onDelete: 'cascade' }),
  /** The new KCR issue (POST /v1/issues/{id}/renew), once Kontur made it. */
  issueId: uuid('issue_id'),
  state: text('state').$type<RenewalState>().notNull(),
  /** Where the carrying forward is: `renew`, `scans`, `confirmation`, `statement`, `validation`, `release`, `done`. */
  step: text('step').notNull().default('renew'),
  /** The step the renewal is at, or why it failed (Russian, for people). */
  reason: text('reason'),
  /** The worker advancing it now, until when: one step at a time, whichever worker runs the reconciler. */
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  attempts: integer('attempts').notNull().default(0),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Expiry notices sent (30, 14, 7, 1 days before): each once per certificate. */
export const certificateNotices = pgTable(
  'certificate_notices',
  {
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => employeeCertificates.id, { onDelete: 'cascade' }),
    daysBefore: integer('days_before').notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.certificateId, t.daysBefore] })],
);
