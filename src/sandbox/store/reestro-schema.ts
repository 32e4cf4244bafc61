// The Реестро sandbox's own state (the fake Kontur Реестро), in the PostgreSQL schema
// `sandbox_reestro`. Every row belongs to an organization (portal.orgid): one organization never
// sees another's subjects, contents or forms. Nothing outside src/sandbox reads these tables.
import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, updatedAt } from './columns.ts';

export const sandboxReestro = pgSchema('sandbox_reestro');

export const sandboxReestroSubjects = sandboxReestro.table(
  'subjects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: text('org_id').notNull(),
    externalId: text('external_id'),
    /** person, soleProprietor or organization: fixed at creation. */
    kind: text('kind').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sandbox_reestro_subjects_external_uq').on(t.orgId, t.externalId).where(sql`${t.externalId} is not null`)],
);

export const sandboxReestroRepresentatives = sandboxReestro.table(
  'representatives',
  {
    orgId: text('org_id').notNull(),
    principalId: uuid('principal_id').notNull(),
    agentId: uuid('agent_id').notNull(),
    representativeType: text('representative_type'),
    post: text('post'),
    authority: text('authority'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.agentId] })],
);

/** Uploaded bytes and what the sandbox made itself (extracts, certificates, receipts). */
export const sandboxReestroContents = sandboxReestro.table(
  'contents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: text('org_id').notNull(),
    /** Short type as forms name it: pdf, png, jpg, tiff, cer, ... */
    contentType: text('content_type').notNull(),
    /** The media type it was uploaded with (served back on download). */
    mediaType: text('media_type').notNull(),
    /** MD5 of the bytes, upper-case hex as seed 004 writes it. */
    md5: text('md5').notNull(),
    size: integer('size').notNull(),
    bytes: bytea('bytes').notNull(),
    /** upload, egrul, certificate, receipt. */
    origin: text('origin').notNull(),
    /** An ЕГРЮЛ/ЕГРИП extract: the subject and the date it was made. */
    subjectId: uuid('subject_id'),
    extractDate: date('extract_date', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [index('sandbox_reestro_contents_org_idx').on(t.orgId)],
);

/** A form's document as stored: the Document as the client sent it, content moved to `content`. */
export interface SandboxReestroDocument {
  documentId: string;
  documentInfo: Record<string, unknown> & { documentType: string };
  content?: { contentInfo: { contentId: string; contentType: string; md5: string } };
}

export interface SandboxReestroFormError {
  code: string;
  message: string;
  target: string;
  context: unknown;
}

export const sandboxReestroForms = sandboxReestro.table(
  'forms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: text('org_id').notNull(),
    externalId: text('external_id'),
    personId: uuid('person_id').notNull(),
    organizationId: uuid('organization_id'),
    documents: jsonb('documents').$type<SandboxReestroDocument[]>().notNull().default([]),
    /** Created, Releasing, ValidationError, Issued, Revoked (docs/sandbox.md). */
    state: text('state').notNull().default('Created'),
    /** Grows with every change: the ETag is made from it. */
    version: integer('version').notNull().default(1),
    validationErrors: jsonb('validation_errors').$type<SandboxReestroFormError[]>().notNull().default([]),
    /** The signed release statement (ContentInfo). */
    statement: jsonb('statement').$type<{ contentId: string; contentType: string; md5: string } | null>(),
    certificateContentId: uuid('certificate_content_id'),
    receiptContentId: uuid('receipt_content_id'),
    certificateInfo: jsonb('certificate_info').$type<{ serialNumber: string; thumbprint: string; validFrom: string; validTo: string; subject: string } | null>(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    stateChangedAt: timestamp('state_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sandbox_reestro_forms_external_uq').on(t.orgId, t.externalId).where(sql`${t.externalId} is not null`), index('sandbox_reestro_forms_state_idx').on(t.state)],
);

/** Session ids (`auth.sid`) the console hands out, each for one organization. */
export const sandboxReestroSessions = sandboxReestro.table('sessions', {
  sid: text('sid').primaryKey(),
  orgId: text('org_id').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
});
