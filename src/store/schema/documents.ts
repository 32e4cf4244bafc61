// Documents to sign and the signatures attached to them. The bytes are a blob (content-addressed
// on disk); the Streebog-256 digest is computed while the upload streams in, so signing a file
// of any size by hash never reads it again.
import { bigint, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns.ts';
import { employees } from './employees.ts';
import { users } from './users.ts';

export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** The blob with the bytes (SHA-256, lowercase hex). */
    blobSha256: text('blob_sha256').notNull(),
    /** GOST R 34.11-2012 256-bit digest, hex in OpenSSL's byte order. */
    streebog256: text('streebog256').notNull(),
    /** The employee the document belongs to (who sees and signs it); null for staff-only documents. */
    ownerEmployeeId: uuid('owner_employee_id').references(() => employees.id, { onDelete: 'set null' }),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('documents_owner_idx').on(t.ownerEmployeeId, t.createdAt),
    // The list's order, and the key its pages are cut by.
    index('documents_created_idx').on(t.createdAt, t.id),
  ],
);

/** A detached CAdES-BES signature of a document, verified before it was attached. */
export const documentSignatures = pgTable(
  'document_signatures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'restrict' }),
    /** The signing operation that produced it: one signature per document of an operation, however often the job runs. */
    operationId: uuid('operation_id').notNull(),
    employeeId: uuid('employee_id').references(() => employees.id, { onDelete: 'set null' }),
    certificateThumbprint: text('certificate_thumbprint').notNull(),
    certificateSubject: text('certificate_subject').notNull(),
    certificateSerialNumber: text('certificate_serial_number').notNull(),
    signingTime: timestamp('signing_time', { withTimezone: true }),
    /** The CMS SignedData, DER. */
    cms: bytea('cms').notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('document_signatures_document_idx').on(t.documentId), unique('document_signatures_operation_document_key').on(t.operationId, t.documentId)],
);
