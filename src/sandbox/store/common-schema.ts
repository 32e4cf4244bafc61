// What the whole sandbox shares (its certification authority with its revocations and CRLs, the
// SMS outbox), in the
// PostgreSQL schema `sandbox`, which also holds the sandbox's migration journal.
import { bigint, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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

/** The sandbox CA's keys and certificates, made on first use: `root`, and `tsa` (its time-stamp authority). */
export const sandboxCa = sandboxCommon.table('ca', {
  name: text('name').primaryKey(),
  keySealed: text('key_sealed').notNull(),
  certificateDer: bytea('certificate_der').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Certificates the sandbox CA revoked (the console's action); CRLs and OCSP answers come from here. */
export const sandboxCaRevocations = sandboxCommon.table('ca_revocations', {
  /** The serial number, uppercase hex as certificates show it. */
  serialNumber: text('serial_number').primaryKey(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }).notNull(),
  /** RFC 5280 CRLReason name (keyCompromise, superseded, ...). */
  reason: text('reason').notNull(),
  createdAt: createdAt(),
});

/** The CRLs the sandbox CA published; the number only grows (RFC 5280 5.2.3). */
export const sandboxCaCrls = sandboxCommon.table('ca_crls', {
  number: bigint('number', { mode: 'bigint' }).primaryKey(),
  der: bytea('der').notNull(),
  thisUpdate: timestamp('this_update', { withTimezone: true }).notNull(),
  nextUpdate: timestamp('next_update', { withTimezone: true }).notNull(),
  /** How many revocations it lists: revocations are never deleted, so a larger count means a newer CRL is due. */
  revocations: integer('revocations').notNull(),
  createdAt: createdAt(),
});

/** The mail catcher's mailbox: every message the sandbox's SMTP server received, as it arrived and as parsed. */
export const sandboxMailbox = sandboxCommon.table(
  'mailbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The SMTP envelope: MAIL FROM and RCPT TO. */
    envelopeFrom: text('envelope_from'),
    envelopeTo: text('envelope_to').array().notNull(),
    /** The parsed headers (From, To, Subject) and bodies. */
    from: text('from'),
    to: text('to'),
    subject: text('subject'),
    text: text('text'),
    html: text('html'),
    /** The message as received (RFC 5322). */
    raw: bytea('raw').notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index('sandbox_mailbox_received_idx').on(t.receivedAt)],
);
