// The sandbox's SMS "gateway": messages land in a table that the console shows.
import { randomInt } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxSmsOutbox } from './store/schema.ts';

export type SmsMessage = typeof sandboxSmsOutbox.$inferSelect;

export function newSmsCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

export class SmsOutbox {
  constructor(private readonly db: SandboxDb) {}

  async send(message: { phone: string; text: string; code?: string; issueId?: string; purpose: string }): Promise<void> {
    await this.db.insert(sandboxSmsOutbox).values(message);
  }

  async list(phone: string | undefined, limit = 100): Promise<SmsMessage[]> {
    const query = this.db.select().from(sandboxSmsOutbox);
    const filtered = phone ? query.where(eq(sandboxSmsOutbox.phone, phone)) : query;
    return filtered.orderBy(desc(sandboxSmsOutbox.createdAt), desc(sandboxSmsOutbox.id)).limit(limit);
  }
}
