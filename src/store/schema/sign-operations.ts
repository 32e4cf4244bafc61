// Cloud signing operations: a durable state machine (created → waitingUser → inProgress →
// complete | error), so that a confirmed operation is finished by a background job even if
// the browser is gone or the server restarted.
import { index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { documents } from './documents.ts';
import { employees } from './employees.ts';
import { users } from './users.ts';

export const SIGN_OPERATION_STATES = ['created', 'waitingUser', 'inProgress', 'complete', 'error'] as const;
export type SignOperationState = (typeof SIGN_OPERATION_STATES)[number];

export const signOperations = pgTable(
  'sign_operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'restrict' }),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    certificateThumbprint: text('certificate_thumbprint').notNull(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    /** `upload`: the file went to Kontur (FileIds); `hash`: only its digest did (FileHashes). */
    method: text('method').$type<'upload' | 'hash'>().notNull(),
    state: text('state').$type<SignOperationState>().notNull().default('created'),
    konturFileId: text('kontur_file_id'),
    konturOperationId: text('kontur_operation_id'),
    confirmType: integer('confirm_type'),
    phoneLastNumbers: text('phone_last_numbers'),
    /** Wrong-code tries left, as Kontur last reported them. */
    attemptsLeft: integer('attempts_left'),
    /** Machine-readable reason of an error (e.g. `wrong-code-limit`, `verification-failed`). */
    errorCode: text('error_code'),
    /** What the user reads, in Russian. */
    errorMessage: text('error_message'),
    signatureId: uuid('signature_id'),
    /** The finishing job holds the operation until this time (one worker at a time). */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sign_operations_state_idx').on(t.state), index('sign_operations_document_idx').on(t.documentId), index('sign_operations_employee_idx').on(t.employeeId, t.createdAt)],
);

/**
 * The documents of a signing operation (the seed's SignRequest.Parts): one cloud operation, one SMS
 * code, a signature per document. Each document keeps its own outcome: a file Kontur failed, or a
 * signature that did not verify, fails that document alone. `sign_operations.document_id` stays the
 * first document (position 0), so single-document readers see what they always saw.
 */
export const signOperationDocuments = pgTable(
  'sign_operation_documents',
  {
    operationId: uuid('operation_id')
      .notNull()
      .references(() => signOperations.id, { onDelete: 'cascade' }),
    /** The order of the request: also the order of the files sent to Kontur. */
    position: integer('position').notNull(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'restrict' }),
    /** Kontur's FileId of an uploaded document (the `upload` method). */
    konturFileId: text('kontur_file_id'),
    signatureId: uuid('signature_id'),
    /** Why this document got no signature while the operation went on (e.g. `kontur-file-error`, `verification-failed`). */
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
  },
  (t) => [primaryKey({ columns: [t.operationId, t.position] }), unique('sign_operation_documents_operation_document_key').on(t.operationId, t.documentId), index('sign_operation_documents_document_idx').on(t.documentId)],
);
