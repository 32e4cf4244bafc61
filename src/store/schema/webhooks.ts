// Webhooks: URLs told about issue events, with a shared secret for the HMAC signature.
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, boolean } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, updatedAt } from './columns.ts';

export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  /** The signing secret, sealed with the master key. */
  secretSealed: text('secret_sealed').notNull(),
  /** Event types to send; empty means all. */
  events: jsonb('events').$type<string[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    /** What the delivery is about (one per webhook): a second apply of the same event adds nothing. */
    eventKey: text('event_key').notNull(),
    eventType: text('event_type').notNull(),
    /** The issue it is about: one issue's deliveries to one webhook are sent in `sequence` order. */
    issueId: text('issue_id'),
    /** The order deliveries were recorded in (the feed's order for status changes). */
    sequence: bigserial('sequence', { mode: 'number' }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    state: text('state').$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_uq').on(t.webhookId, t.eventKey),
    index('webhook_deliveries_state_idx').on(t.state, t.createdAt),
    index('webhook_deliveries_pending_order_idx').on(t.webhookId, t.issueId, t.sequence).where(sql`${t.state} = 'pending'`),
  ],
);
