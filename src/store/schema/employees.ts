import { date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { bytea, createdAt, updatedAt } from './columns.ts';

export const employees = pgTable(
  'employees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    email: text('email'),
    /** Normalized +7XXXXXXXXXX: SMS confirmations go to this number. */
    phone: text('phone').notNull(),
    inn: text('inn'),
    /** Formatted NNN-NNN-NNN NN. */
    snils: text('snils'),
    birthDate: date('birth_date', { mode: 'string' }),
    position: text('position'),
    department: text('department'),
    /** `active`, or `dismissed` (the card stays; its certificates are offered for recall). */
    state: text('state').$type<'active' | 'dismissed'>().notNull().default('active'),
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /**
     * What the directory search looks in, lowercased: the names, email, position, and the digits
     * of the phone, INN and SNILS. A trigram index (pg_trgm) answers LIKE '%word%' on it.
     */
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        sql`lower(last_name || ' ' || first_name || ' ' || coalesce(middle_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(position, '')) || ' ' || regexp_replace(phone || ' ' || coalesce(inn, '') || ' ' || coalesce(snils, ''), '[^0-9 ]', '', 'g')`,
      ),
  },
  (t) => [
    uniqueIndex('employees_snils_uq').on(t.snils).where(sql`${t.snils} is not null`),
    uniqueIndex('employees_inn_uq').on(t.inn).where(sql`${t.inn} is not null`),
    // The directory's order, and the key its pages are cut by.
    index('employees_name_idx').on(t.lastName, t.firstName, t.id),
    index('employees_search_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
  ],
);

/** Certificates in the employee card (the manual: the certificate is loaded into the card). */
export const employeeCertificates = pgTable(
  'employee_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    /** SHA-1 of the DER, uppercase hex, as Windows shows it. */
    thumbprint: text('thumbprint').notNull(),
    serialNumber: text('serial_number').notNull(),
    subject: text('subject').notNull(),
    issuer: text('issuer').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    der: bytea('der').notNull(),
    /** Where the certificate came from: `kcr` or `reestro` (issued through this module) or `upload`. */
    source: text('source').$type<'kcr' | 'reestro' | 'upload'>().notNull(),
    /** `dss` for a cloud certificate whose key Kontur keeps. */
    cspType: text('csp_type'),
    issueId: uuid('issue_id'),
    /** Set once the CA revoked it (a recall, or an OCSP/CRL answer saying so). */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revocationReason: text('revocation_reason'),
    /** The last answer about its revocation: `good`, `revoked` or `unknown`, from `ocsp` or `crl`, and when it was produced. */
    revocationStatus: text('revocation_status').$type<'good' | 'revoked' | 'unknown'>(),
    revocationSource: text('revocation_source').$type<'ocsp' | 'crl'>(),
    revocationCheckedAt: timestamp('revocation_checked_at', { withTimezone: true }),
    /** The certificate that replaced it (a renewal). */
    replacedById: uuid('replaced_by_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('employee_certificates_employee_thumbprint_uq').on(t.employeeId, t.thumbprint),
    // The inventory's order, and the key its pages are cut by.
    index('employee_certificates_valid_to_idx').on(t.validTo, t.id),
  ],
);
