// The local mirror of Kontur issues: the last known state of each, its history (who did what,
// every status), and its scans. Writes are idempotent: applying the same Kontur state twice
// adds no second history row. The status history follows the KCR event feed alone: every status
// the feed reports, in the feed's order, once (keyed by the event's id); a read of the issue
// updates its state but writes no history, so a read that sees `released` before the feed has
// told `validating`, `approved`, `releasing` cannot skip them or put them out of order.
import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { decodeCursor, pageOf } from './page-cursor.ts';
import type { Db } from '../store/db.ts';
import { issueHistory, issues, issueScans } from '../store/schema/index.ts';
import type { KcrIssue } from '../kontur/kcr-types.ts';
import type { Actor } from './actor.ts';
import { NotFoundError } from './errors.ts';

export type MirroredIssue = typeof issues.$inferSelect;
export type IssueHistoryEntry = typeof issueHistory.$inferSelect;
export type IssueScan = typeof issueScans.$inferSelect;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface IssueListFilter {
  employeeId?: string;
  statuses?: string[];
  includeDeleted?: boolean;
  offset: number;
  limit: number;
  /** The previous page's nextCursor. */
  after?: string;
}

export class IssueMirror {
  constructor(private readonly db: Db) {}

  async find(id: string, db: Db | Tx = this.db): Promise<MirroredIssue | undefined> {
    const [row] = await db.select().from(issues).where(eq(issues.id, id));
    return row;
  }

  async get(id: string): Promise<MirroredIssue> {
    const row = await this.find(id);
    if (!row) throw new NotFoundError('Заявка не найдена');
    return row;
  }

  /** Inserts the issue right after Kontur created it. */
  async insertCreated(tx: Tx, issue: KcrIssue, values: { employeeId: string | null; creationKey: string; actor: Actor }): Promise<void> {
    await tx
      .insert(issues)
      .values({
        id: issue.id,
        employeeId: values.employeeId,
        status: issue.status,
        forwardedStatus: issue.forwardedStatus ?? 'none',
        actualized: issue.actualized,
        version: issue.version,
        cspType: issue.cspInfo?.type ?? null,
        snapshot: issue,
        creationKey: values.creationKey,
        createdBy: values.actor.name,
        feedStatus: issue.status,
      })
      .onConflictDoNothing();
    await tx.insert(issueHistory).values({ issueId: issue.id, action: 'createCertificateIssue', actor: values.actor.name, status: issue.status });
  }

  /**
   * Stores Kontur's current state of an issue the mirror knows. Returns the previous state (for
   * the notifications), or undefined when the issue is not mirrored. A version older than the
   * stored one is ignored, so out-of-order reads never move the mirror back. Writes no history:
   * statuses are recorded from the feed (recordFeedStatus).
   */
  async applyState(tx: Tx, issue: KcrIssue): Promise<{ before: MirroredIssue; after: MirroredIssue } | undefined> {
    const [before] = await tx.select().from(issues).where(eq(issues.id, issue.id)).for('update');
    if (!before) return undefined;
    if (issue.version < before.version) return { before, after: before };
    const [after] = await tx
      .update(issues)
      .set({
        status: issue.status,
        forwardedStatus: issue.forwardedStatus ?? 'none',
        actualized: issue.actualized,
        version: issue.version,
        cspType: issue.cspInfo?.type ?? before.cspType,
        snapshot: issue,
        deletedAt: null,
        updatedAt: new Date(),
      })
      .where(eq(issues.id, issue.id))
      .returning();
    return { before, after };
  }

  /**
   * One status the KCR feed reported for an issue (event `eventId`), in the feed's order: a
   * history row when it differs from the last status the feed reported. Returns the change when
   * it was recorded now; undefined when it is no change or was recorded before (a batch applied
   * again after a crash), so that webhooks and notifications go out once. Call it inside the
   * transaction that locked the issue (applyState).
   */
  async recordFeedStatus(
    tx: Tx,
    issueId: string,
    eventId: string,
    status: string,
    details?: Record<string, unknown>,
  ): Promise<{ from: string | null; to: string } | undefined> {
    const [row] = await tx.select({ feedStatus: issues.feedStatus }).from(issues).where(eq(issues.id, issueId));
    if (!row || row.feedStatus === status) return undefined;
    const [inserted] = await tx
      .insert(issueHistory)
      .values({ issueId, action: 'statusChanged', actor: 'kontur', status, kcrEventId: eventId, details: { from: row.feedStatus, ...(details ?? {}) } })
      .onConflictDoNothing()
      .returning({ id: issueHistory.id });
    await tx.update(issues).set({ feedStatus: status }).where(eq(issues.id, issueId));
    return inserted ? { from: row.feedStatus, to: status } : undefined;
  }

  async markDeleted(tx: Tx, id: string, actor: string): Promise<MirroredIssue | undefined> {
    const [row] = await tx.update(issues).set({ deletedAt: new Date(), updatedAt: new Date() }).where(and(eq(issues.id, id), isNull(issues.deletedAt))).returning();
    if (row) await tx.insert(issueHistory).values({ issueId: id, action: 'deleted', actor, status: row.status });
    return row;
  }

  async record(issueId: string, action: string, actor: Actor | string, details?: Record<string, unknown>, db: Db | Tx = this.db): Promise<void> {
    await db.insert(issueHistory).values({ issueId, action, actor: typeof actor === 'string' ? actor : actor.name, details: details ?? null });
  }

  /**
   * After a change made through the module: Kontur re-checks the issue now, so the mirror must not
   * answer "actualized" from before (GetIssue then reads Kontur until the feed or a read reports
   * the issue actualized again).
   */
  async markChanged(issueId: string): Promise<void> {
    await this.db.update(issues).set({ actualized: false, updatedAt: new Date() }).where(eq(issues.id, issueId));
  }

  async history(issueId: string): Promise<IssueHistoryEntry[]> {
    await this.get(issueId);
    return this.db.select().from(issueHistory).where(eq(issueHistory.issueId, issueId)).orderBy(asc(issueHistory.id));
  }

  async addScan(values: typeof issueScans.$inferInsert): Promise<IssueScan> {
    const [row] = await this.db.insert(issueScans).values(values).returning();
    return row;
  }

  async scans(issueId: string): Promise<IssueScan[]> {
    return this.db.select().from(issueScans).where(eq(issueScans.issueId, issueId)).orderBy(asc(issueScans.createdAt));
  }

  /** Newest first; pages after the first go by `after` (keyset), and only a page without it is counted. */
  async list(filter: IssueListFilter): Promise<{ items: MirroredIssue[]; total?: number; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (filter.employeeId) conditions.push(eq(issues.employeeId, filter.employeeId));
    if (filter.statuses?.length) conditions.push(inArray(issues.status, filter.statuses));
    if (!filter.includeDeleted) conditions.push(isNull(issues.deletedAt));
    const where = and(...conditions);
    const after = filter.after ? decodeCursor(filter.after, 2) : undefined;
    // The cursor keeps created_at as PostgreSQL writes it (microseconds; a Date has milliseconds).
    const rows = await this.db
      .select({ issue: issues, at: sql<string>`${issues.createdAt}::text` })
      .from(issues)
      .where(and(where, after ? sql`(${issues.createdAt}, ${issues.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
      .orderBy(desc(issues.createdAt), desc(issues.id))
      .offset(after ? 0 : filter.offset)
      .limit(filter.limit + 1);
    const total = after ? undefined : (await this.db.select({ total: count() }).from(issues).where(where))[0].total;
    const page = pageOf(rows, filter.limit, (last) => [last.at, last.issue.id]);
    return { items: page.items.map((row) => row.issue), ...(total === undefined ? {} : { total }), nextCursor: page.nextCursor };
  }

  async setCertificate(id: string, values: { thumbprint: string | null; error: string | null }): Promise<void> {
    const row = await this.find(id);
    if (!row) return;
    await this.db
      .update(issues)
      .set({
        certificateThumbprint: values.thumbprint ?? row.certificateThumbprint,
        certificateError: values.error,
        certificateAttempts: values.thumbprint ? row.certificateAttempts : row.certificateAttempts + 1,
        updatedAt: new Date(),
      })
      .where(eq(issues.id, id));
  }

  async setEmployee(id: string, employeeId: string): Promise<void> {
    await this.db.update(issues).set({ employeeId, updatedAt: new Date() }).where(eq(issues.id, id));
  }

  /** Released issues of known employees whose certificate is not in the card yet. */
  async awaitingCertificate(maxAttempts: number, limit = 20): Promise<MirroredIssue[]> {
    const rows = await this.db
      .select()
      .from(issues)
      .where(and(eq(issues.status, 'released'), isNull(issues.certificateThumbprint), isNull(issues.deletedAt)))
      .orderBy(asc(issues.updatedAt))
      .limit(limit);
    return rows.filter((row) => row.employeeId && row.certificateAttempts < maxAttempts);
  }
}
