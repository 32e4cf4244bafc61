// The KCR sandbox's own state (the fake Kontur), in the PostgreSQL schema `sandbox_kcr`. Nothing
// outside src/sandbox reads these tables: deleting the sandbox deletes them and nothing else.
import { bigserial, boolean, index, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, updatedAt } from './columns.ts';

export const sandboxKcr = pgSchema('sandbox_kcr');

/** One page (scan) of a document as the sandbox stores it. */
export interface SandboxPageRef {
  id: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface SandboxDocument {
  requisites: Record<string, string>;
  pages: SandboxPageRef[];
}

/** An open confirmation of the release (or recall) statement: an SMS code or an ESIA request. */
export type SandboxConfirmation =
  | { operation: 'signingReleaseStatement' | 'signingRecallStatement'; code: string; phone: string; expiresAt: string; attempts: number }
  | {
      operation: 'signingReleaseStatementWithEsia';
      snilsNumber: string;
      birthDate: string;
      state: 'pending' | 'confirmed' | 'rejected' | 'userNotFound' | 'expired';
      requestedAt: string;
    };

export const sandboxKcrIssues = sandboxKcr.table(
  'issues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    baseIssueId: uuid('base_issue_id'),
    version: integer('version').notNull().default(1),
    status: text('status').notNull().default('preparing'),
    forwardedStatus: text('forwarded_status').notNull().default('none'),
    actualized: boolean('actualized').notNull().default(false),
    /** When the pending re-check finishes (actualized becomes true). */
    actualizeAt: timestamp('actualize_at', { withTimezone: true }).notNull().defaultNow(),
    certificateTemplateInfo: jsonb('certificate_template_info').$type<Record<string, unknown>>().notNull(),
    subjectInfo: jsonb('subject_info').$type<Record<string, unknown>>().notNull(),
    cspInfo: jsonb('csp_info').$type<Record<string, unknown>>().notNull(),
    documents: jsonb('documents').$type<Record<string, SandboxDocument>>().notNull().default({}),
    correctionInfo: jsonb('correction_info').$type<{ comment: string; remarks: { code: string; target: string; targetDescription: string; message: string }[] } | null>(),
    subjectIdentification: jsonb('subject_identification').$type<{ identificationSubjectType: string; identifiedBy: string } | null>(),
    smevValidations: jsonb('smev_validations').$type<{ documentType: string; state: 'inProgress' | 'valid' | 'invalid'; errors: { code: string; level: 'warning' | 'fatal' }[] }[]>().notNull().default([]),
    confirmation: jsonb('confirmation').$type<SandboxConfirmation | null>(),
    /** How the release statement was signed: `sms` or `esia`; null while unsigned. */
    statementSignedBy: text('statement_signed_by'),
    note: text('note'),
    /** A PKCS#10 or DSS certificate request uploaded for the issue, with its type. */
    certificateRequest: bytea('certificate_request'),
    certificateRequestType: text('certificate_request_type'),
    /** Change times (epoch ms) within the rate window, for the 429 rule. */
    recentChanges: jsonb('recent_changes').$type<number[]>().notNull().default([]),
    certificateDer: bytea('certificate_der'),
    certificateReleasedInfo: jsonb('certificate_released_info').$type<{ serialNumber: string; thumbprint: string; validFrom: string; validTo: string } | null>(),
    /** The subject's private key for `cspInfo.type: "dss"`, sealed with the master key (the cloud sandbox signs with it). */
    subjectKeySealed: text('subject_key_sealed'),
    /** When the recall statement was signed and the CA revoked the certificate. */
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    /** When the sandbox operator last acted on the issue (the auto operator waits after this). */
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sandbox_kcr_issues_pending_idx').on(t.actualized, t.actualizeAt), index('sandbox_kcr_issues_status_idx').on(t.status)],
);

export const sandboxKcrPages = sandboxKcr.table(
  'pages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => sandboxKcrIssues.id, { onDelete: 'cascade' }),
    documentType: text('document_type').notNull(),
    contentType: text('content_type').notNull(),
    content: bytea('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sandbox_kcr_pages_issue_idx').on(t.issueId, t.documentType)],
);

/** The event feed: ids only grow, so a client pages with `prevId`. */
export const sandboxKcrEvents = sandboxKcr.table(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: uuid('issue_id').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sandbox_kcr_events_issue_idx').on(t.issueId)],
);
