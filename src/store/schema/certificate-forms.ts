// Kontur Реестро as the bridge knows it: the subjects it made (from employee cards and
// organization cards), the representative pairs, and the certificate forms with the state
// Реестро last reported.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { employees } from './employees.ts';

export const REESTRO_SUBJECT_KINDS = ['person', 'soleProprietor', 'organization'] as const;
export type ReestroSubjectKind = (typeof REESTRO_SUBJECT_KINDS)[number];

/**
 * A subject at Реестро made by the module: a person or a sole proprietor from an employee card,
 * or an organization card. `externalId` is derived from the row's id, so a repeated creation
 * finds the subject instead of making a second one.
 */
export const reestroSubjects = pgTable(
  'reestro_subjects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<ReestroSubjectKind>().notNull(),
    employeeId: uuid('employee_id').references(() => employees.id, { onDelete: 'set null' }),
    externalId: text('external_id').notNull().unique(),
    /** Реестро's subject id; null until Реестро has confirmed the subject. */
    subjectId: text('subject_id'),
    /** The organization (portal.orgid) the subject was made for. */
    reestroOrganizationId: text('reestro_organization_id'),
    /** What the module last sent: Реестро's `person`, `soleProprietor` or `organization` object. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** Shown in lists: the person's full name or the organization's name. */
    displayName: text('display_name').notNull(),
    inn: text('inn'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('reestro_subjects_employee_kind_uq').on(t.employeeId, t.kind).where(sql`${t.employeeId} is not null`),
    index('reestro_subjects_kind_idx').on(t.kind),
  ],
);

/** A representative pair registered at Реестро: the person acts for the organization. */
export const reestroRepresentatives = pgTable(
  'reestro_representatives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationSubjectId: uuid('organization_subject_id')
      .notNull()
      .references(() => reestroSubjects.id, { onDelete: 'cascade' }),
    personSubjectId: uuid('person_subject_id')
      .notNull()
      .references(() => reestroSubjects.id, { onDelete: 'cascade' }),
    post: text('post').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reestro_representatives_pair_uq').on(t.organizationSubjectId, t.personSubjectId)],
);

export const CERTIFICATE_FORM_OWNER_TYPES = ['person', 'soleProprietor', 'legalEntity'] as const;
export type CertificateFormOwnerType = (typeof CERTIFICATE_FORM_OWNER_TYPES)[number];

/** One document of a form as the module sent it. */
export interface CertificateFormDocument {
  /** Реестро's documentId (chosen by the module). */
  documentId: string;
  /** The module's name of the type (passport, snils, inn, photo, egrul) and Реестро's code. */
  type: string;
  code: string;
  requisites: { number?: string; series?: string; issueDate?: string; issuerCode?: string; issuerName?: string };
  /** Where the bytes came from: a file in the request, a document or an issue scan of the module, or a Реестро content. */
  source: 'file' | 'document' | 'issueScan' | 'content';
  sourceId?: string;
  fileName?: string;
  content?: { contentId: string; contentType: string; md5: string; size?: number };
}

export const certificateForms = pgTable(
  'certificate_forms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The Idempotency-Key of the create call (or one the module chose). */
    creationKey: text('creation_key').notNull().unique(),
    requestHash: text('request_hash').notNull(),
    /** Sent to Реестро as `externalId`, derived from creationKey: a repeated create finds the form. */
    externalId: text('external_id').notNull().unique(),
    /** pending: the outcome at Реестро is not known yet; created; failed (Реестро refused). */
    creationState: text('creation_state').$type<'pending' | 'created' | 'failed'>().notNull(),
    formId: text('form_id').unique(),
    ownerType: text('owner_type').$type<CertificateFormOwnerType>().notNull(),
    employeeId: uuid('employee_id').references(() => employees.id, { onDelete: 'set null' }),
    personSubjectId: uuid('person_subject_id')
      .notNull()
      .references(() => reestroSubjects.id, { onDelete: 'restrict' }),
    organizationSubjectId: uuid('organization_subject_id').references(() => reestroSubjects.id, { onDelete: 'restrict' }),
    documents: jsonb('documents').$type<CertificateFormDocument[]>().notNull().default([]),
    /** The form's state at Реестро (Created, Releasing, ValidationError, Issued, Revoked); null before it exists. */
    state: text('state'),
    /** The form as Реестро last returned it, and its ETag. */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>(),
    etag: text('etag'),
    /** The signed release statement sent with release. */
    statement: jsonb('statement').$type<{ contentId: string; contentType: string; md5: string; size?: number; fileName?: string }>(),
    /** CertificateInfo once issued. */
    certificate: jsonb('certificate').$type<Record<string, unknown>>(),
    /** Thumbprint of the certificate once it is in the employee card. */
    certificateThumbprint: text('certificate_thumbprint'),
    certificateError: text('certificate_error'),
    attempts: integer('attempts').notNull().default(0),
    /** Why the creation failed (Реестро's refusal, in Russian). */
    error: text('error'),
    createdBy: text('created_by').notNull(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('certificate_forms_employee_idx').on(t.employeeId), index('certificate_forms_state_idx').on(t.state)],
);
