// The cloud-signature sandbox's own state (the fake Kontur Crypto API v3), in the PostgreSQL
// schema `sandbox_cloud`. Nothing outside src/sandbox reads these tables: deleting the sandbox
// deletes them and nothing else. The bytes of uploaded files live on disk under
// DATA_DIR/sandbox-cloud, named by FileId.
import { bigint, boolean, index, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, updatedAt } from './columns.ts';

export const sandboxCloud = pgSchema('sandbox_cloud');

/** A file announced with CreateFile and filled with UploadChunk. */
export const sandboxCloudFiles = sandboxCloud.table(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The caller's client-certificate thumbprint (the `certificate` query parameter). */
    client: text('client').notNull(),
    fileName: text('file_name').notNull(),
    /** MD5 of the whole file as announced, lowercase hex. */
    md5: text('md5').notNull(),
    length: bigint('length', { mode: 'number' }).notNull(),
    /** Bytes received so far (contiguous from offset 0). */
    received: bigint('received', { mode: 'number' }).notNull().default(0),
    /** All bytes received and the MD5 matched. */
    complete: boolean('complete').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sandbox_cloud_files_resume_idx').on(t.client, t.md5, t.length)],
);

/** One file of a signing operation, with what the sandbox signs (its Streebog-256 digest). */
export interface SandboxCloudOperationFile {
  /** FileId of an uploaded file, the Id of a serialized file, or one the sandbox gave a hash. */
  fileId: string | null;
  fileName: string;
  kind: 'uploaded' | 'serialized' | 'hash';
  /** Streebog-256 of the content, hex in OpenSSL's byte order; computed at signing for uploaded files. */
  digestHex: string | null;
  resultId: string | null;
  resultSize: number | null;
  /** MD5 of the result, uppercase hex (GetStatus ResultMD5). */
  resultMd5?: string | null;
  /** Why this file failed (for the console and logs); GetStatus answers ErrorCode/ErrorId. */
  error: string | null;
  /** GetStatus ErrorCode of a failed file: 1 Unknown, 5 Declined, ... */
  errorCode?: number | null;
  errorId?: string | null;
}

export const sandboxCloudOperations = sandboxCloud.table(
  'operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    client: text('client').notNull(),
    signerThumbprint: text('signer_thumbprint').notNull(),
    /** The KCR sandbox issue that released the signer's certificate (its sealed key signs). */
    signerIssueId: uuid('signer_issue_id').notNull(),
    phone: text('phone').notNull(),
    code: text('code').notNull(),
    wrongAttempts: integer('wrong_attempts').notNull().default(0),
    /** OperationStatus as GetStatus reports it: Kontur's enumeration 0..9 (see docs/sandbox.md). */
    status: integer('status').notNull().default(7),
    /** 0 detached CMS, 1 raw signature, 2 CAdES-T, 3 CAdES-X Long Type 1. */
    signType: integer('sign_type').notNull().default(0),
    files: jsonb('files').$type<SandboxCloudOperationFile[]>().notNull(),
    /** Unconfirmed operations expire at this time. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sandbox_cloud_operations_signer_idx').on(t.signerThumbprint, t.status), index('sandbox_cloud_operations_status_idx').on(t.status)],
);

/** A CMS the sandbox produced, read back with GetResult. */
export const sandboxCloudResults = sandboxCloud.table('results', {
  id: uuid('id').primaryKey().defaultRandom(),
  operationId: uuid('operation_id')
    .notNull()
    .references(() => sandboxCloudOperations.id, { onDelete: 'cascade' }),
  cms: bytea('cms').notNull(),
  createdAt: createdAt(),
});
