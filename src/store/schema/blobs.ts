import { bigint, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/** Files kept on disk under DATA_DIR/blobs, addressed by their SHA-256. */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  contentType: text('content_type').notNull(),
  createdAt: createdAt(),
});
