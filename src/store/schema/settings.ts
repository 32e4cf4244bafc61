import { boolean, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns.ts';

/** One row a setting; `encrypted` values are AES-256-GCM envelopes under the master key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  encrypted: boolean('encrypted').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

export const STORED_CERTIFICATE_KINDS = ['trustedRoot', 'client'] as const;
export type StoredCertificateKind = (typeof STORED_CERTIFICATE_KINDS)[number];

/** The settings' certificate store: trusted root CAs and client certificates for the cloud API. */
export const storedCertificates = pgTable(
  'stored_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<StoredCertificateKind>().notNull(),
    thumbprint: text('thumbprint').notNull(),
    subject: text('subject').notNull(),
    issuer: text('issuer').notNull(),
    serialNumber: text('serial_number').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    der: bytea('der').notNull(),
    /** Client certificates only: the private key material (PEM key or PFX with its password), encrypted. */
    secretEnvelope: text('secret_envelope'),
    secretFormat: text('secret_format').$type<'pem' | 'pfx'>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('stored_certificates_kind_thumbprint_uq').on(t.kind, t.thumbprint)],
);
