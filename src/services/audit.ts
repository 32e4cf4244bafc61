// The audit log: who did what to what, when, with what outcome. Insert-only.
import { and, desc, eq, gte, lte, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { auditLog, type AuditOutcome } from '../store/schema/index.ts';
import type { Actor } from './actor.ts';

export interface AuditEntryInput {
  action: string;
  targetType?: string;
  targetId?: string | null;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  /** Entries with an id below this one (keyset paging, newest first). */
  before?: number;
  limit: number;
}

export type AuditEntry = typeof auditLog.$inferSelect;

export class AuditService {
  constructor(private readonly db: Db) {}

  async record(actor: Actor, entry: AuditEntryInput, db: Pick<Db, 'insert'> = this.db): Promise<void> {
    await db.insert(auditLog).values({
      actorId: actor.userId,
      actorName: actor.name,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      outcome: entry.outcome ?? 'success',
      details: entry.details ?? null,
      requestId: actor.requestId ?? null,
    });
  }

  async list(filter: AuditFilter): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
    const conditions: SQL[] = [];
    if (filter.actor) conditions.push(eq(auditLog.actorName, filter.actor));
    if (filter.action) conditions.push(eq(auditLog.action, filter.action));
    if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
    if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
    if (filter.outcome) conditions.push(eq(auditLog.outcome, filter.outcome));
    if (filter.from) conditions.push(gte(auditLog.at, filter.from));
    if (filter.to) conditions.push(lte(auditLog.at, filter.to));
    if (filter.before) conditions.push(lt(auditLog.id, filter.before));
    const entries = await this.db
      .select()
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(desc(auditLog.id))
      .limit(filter.limit + 1);
    const more = entries.length > filter.limit;
    if (more) entries.pop();
    return { entries, nextBefore: more ? entries.at(-1)!.id : null };
  }
}
