// The local mirror of certificate issues at the Kontur CA: what the bridge knows about each
// issue, who did what, its scans, and the event-feed cursor that keeps it current.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { employees } from './employees.ts';

/** The issue as Kontur last returned it (KonturIssuesResponse on the wire). */
export type KonturIssueSnapshot = Record<string, unknown>;

export const issues = pgTable(
  'issues',
  {
    /** Kontur's issue id: the one the manual's methods take. */
    id: uuid('id').primaryKey(),
    employeeId: uuid('employee_id').references(() => employees.id, { onDelete: 'set null' }),
    status: text('status').notNull(),
    forwardedStatus: text('forwarded_status').notNull().default('none'),
    actualized: boolean('actualized').notNull().default(false),
    version: integer('version').notNull().default(0),
    cspType: text('csp_type'),
    snapshot: jsonb('snapshot').$type<KonturIssueSnapshot>().notNull(),
    /** The idempotency key of the create call that made it. */
    creationKey: text('creation_key'),
    createdBy: text('created_by').notNull(),
    /** Set when Kontur no longer has the issue (deleted here or elsewhere). */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** Thumbprint of the released certificate once it is in the employee card. */
    certificateThumbprint: text('certificate_thumbprint'),
    certificateAttempts: integer('certificate_attempts').notNull().default(0),
    certificateError: text('certificate_error'),
    /**
     * The last status the KCR event feed reported for the issue and recorded in its history: the
     * feed, not a read, decides the order of the status history and webhooks.
     */
    feedStatus: text('feed_status'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('issues_employee_idx').on(t.employeeId),
    // The list's order, and the key its pages are cut by.
    index('issues_created_idx').on(t.createdAt, t.id),
    index('issues_status_idx').on(t.status),
    uniqueIndex('issues_creation_key_uq').on(t.creationKey).where(sql`${t.creationKey} is not null`),
  ],
);

/**
 * A create call in progress or done, by idempotency key. The row is written before the call
 * to Kontur, so a timeout followed by a retry finds it and looks for the issue Kontur may have
 * made instead of making a second one.
 */
export const issueCreations = pgTable('issue_creations', {
  key: text('key').primaryKey(),
  employeeId: uuid('employee_id'),
  requestHash: text('request_hash').notNull(),
  /** pending: the outcome at Kontur is not known yet; created; failed (Kontur refused). */
  state: text('state').$type<'pending' | 'created' | 'failed'>().notNull(),
  issueId: uuid('issue_id'),
  /** Subject phone and INN: how an unknown outcome is found again in Kontur's search. */
  subjectPhone: text('subject_phone').notNull(),
  subjectInn: text('subject_inn'),
  attempts: integer('attempts').notNull().default(0),
  error: text('error'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Who did what to an issue and every status it went through. */
export const issueHistory = pgTable(
  'issue_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: uuid('issue_id').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    status: text('status'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    /** The KCR feed event a status change came from: each is recorded once. */
    kcrEventId: text('kcr_event_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('issue_history_issue_idx').on(t.issueId, t.id),
    uniqueIndex('issue_history_kcr_event_uq').on(t.issueId, t.kcrEventId).where(sql`${t.kcrEventId} is not null`),
  ],
);

/** Scans sent to Kontur; the bytes are in the blob store. */
export const issueScans = pgTable(
  'issue_scans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueId: uuid('issue_id').notNull(),
    documentType: text('document_type').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    blobSha256: text('blob_sha256').notNull(),
    /** Kontur's page id, when it is known. */
    pageId: text('page_id'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('issue_scans_issue_idx').on(t.issueId)],
);

/** Where the event poller stopped, and which process holds the polling lease. */
export const issueEventCursor = pgTable('issue_event_cursor', {
  name: text('name').primaryKey(),
  lastEventId: text('last_event_id'),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  updatedAt: updatedAt(),
});
