import type { Role } from '../../domain/roles.ts';
import { index, pgTable, text, timestamp, uuid, boolean, bigserial } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { employees } from './employees.ts';

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash'),
  role: text('role').$type<Role>().notNull(),
  /** The employee card an `employee` user acts as (own documents and signatures). */
  employeeId: uuid('employee_id').references(() => employees.id, { onDelete: 'set null' }),
  /** Service accounts have no password and authenticate with API keys only. */
  serviceAccount: boolean('service_account').notNull().default(false),
  disabled: boolean('disabled').notNull().default(false),
  /** E-mail notifications (to the address of the linked employee card); each user may switch them off. */
  mailNotifications: boolean('mail_notifications').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const TOKEN_KINDS = ['session', 'token', 'apiKey'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** Web sessions, API tokens and long-lived API keys: only a SHA-256 of the secret is kept. */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<TokenKind>().notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    name: text('name'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('access_tokens_user_idx').on(t.userId)],
);

/** Failed sign-in attempts, shared by all processes, for throttling password guessing. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_failures_username_at_idx').on(t.username, t.at), index('login_failures_ip_at_idx').on(t.ip, t.at)],
);
