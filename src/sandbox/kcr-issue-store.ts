// The sandbox's issues in its own tables: every change goes through `change`, which enforces
// the status rules, the actualization 409, the 429 rate rule, bumps the version and writes an
// event. Concurrent processes are safe: updates are conditional on the version they read.
import { and, asc, desc, eq, gt, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxKcrEvents, sandboxKcrIssues } from './store/schema.ts';
import type { IssueStatus } from './kcr-vocabulary.ts';
import { beingActualized, KcrError, notFound, wrongStatus } from './kcr-error.ts';

export type SandboxIssue = typeof sandboxKcrIssues.$inferSelect;
export type SandboxIssueChange = Partial<Omit<typeof sandboxKcrIssues.$inferInsert, 'id' | 'version'>>;

/** The 429 rule: at most this many changes of one issue within the window. */
export const CHANGE_LIMIT = 30;
export const CHANGE_WINDOW_MS = 10_000;

export interface ChangeRules {
  /** Statuses in which the operation is allowed. */
  statuses: readonly IssueStatus[];
  operation: string;
  /** Refuse with 409 while the issue is being actualized. */
  needsActualized?: boolean;
  /** Counts toward the rate rule and re-triggers actualization (false for operator actions that only move the status). */
  isApplicantChange?: boolean;
  /** Event type written for the change. */
  event?: string;
}

export class SandboxIssueStore {
  constructor(
    private readonly db: SandboxDb,
    private readonly actualizationMs: () => number,
  ) {}

  async find(id: string): Promise<SandboxIssue | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await this.db.select().from(sandboxKcrIssues).where(and(eq(sandboxKcrIssues.id, id), isNull(sandboxKcrIssues.deletedAt)));
    return row;
  }

  async get(id: string): Promise<SandboxIssue> {
    const issue = await this.find(id);
    if (!issue) throw notFound();
    return issue;
  }

  async create(values: Pick<typeof sandboxKcrIssues.$inferInsert, 'certificateTemplateInfo' | 'subjectInfo' | 'cspInfo'> & { baseIssueId?: string | null; documents?: SandboxIssue['documents'] }): Promise<SandboxIssue> {
    return this.db.transaction(async (tx) => {
      const [issue] = await tx
        .insert(sandboxKcrIssues)
        .values({ ...values, actualized: false, actualizeAt: this.dueAt(), recentChanges: [Date.now()] })
        .returning();
      await tx.insert(sandboxKcrEvents).values({ issueId: issue.id, type: 'issueCreated', status: issue.status });
      return issue;
    });
  }

  /** Applies a change decided from the issue as read; retried when another change won the race. */
  async change(id: string, rules: ChangeRules, decide: (issue: SandboxIssue) => SandboxIssueChange | Promise<SandboxIssueChange>): Promise<SandboxIssue> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const issue = await this.get(id);
      if (!rules.statuses.includes(issue.status as IssueStatus)) throw wrongStatus(issue.status, rules.operation);
      if (rules.needsActualized !== false && !issue.actualized) throw beingActualized();
      const now = Date.now();
      const applicant = rules.isApplicantChange !== false;
      const recent = issue.recentChanges.filter((time) => now - time < CHANGE_WINDOW_MS);
      if (applicant && recent.length >= CHANGE_LIMIT) {
        const retryAfter = Math.max(1, Math.ceil((recent[0] + CHANGE_WINDOW_MS - now) / 1000));
        throw new KcrError(429, 'TooManyChanges', `Issue was changed ${recent.length} times in ${CHANGE_WINDOW_MS / 1000} s, retry later`, [], retryAfter);
      }
      const change = await decide(issue);
      const statusChanged = change.status !== undefined && change.status !== issue.status;
      const updated = await this.db.transaction(async (tx) => {
        const [row] = await tx
          .update(sandboxKcrIssues)
          .set({
            ...change,
            version: issue.version + 1,
            actualized: false,
            actualizeAt: this.dueAt(),
            recentChanges: applicant ? [...recent, now] : recent,
            ...(statusChanged ? { statusChangedAt: new Date() } : {}),
            updatedAt: new Date(),
          })
          .where(and(eq(sandboxKcrIssues.id, id), eq(sandboxKcrIssues.version, issue.version)))
          .returning();
        if (!row) return undefined;
        await tx.insert(sandboxKcrEvents).values({ issueId: id, type: rules.event ?? (statusChanged ? 'statusChanged' : 'issueChanged'), status: row.status });
        return row;
      });
      if (updated) return updated;
    }
    throw new KcrError(503, 'ConcurrentModification', 'Issue is being changed concurrently, retry');
  }

  /** Marks an issue deleted (its data stays for the console; KCR answers 404 from now on). */
  async delete(id: string, statuses: readonly IssueStatus[]): Promise<void> {
    const issue = await this.get(id);
    if (!statuses.includes(issue.status as IssueStatus)) throw wrongStatus(issue.status, 'delete');
    if (!issue.actualized) throw beingActualized();
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(sandboxKcrIssues)
        .set({ deletedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(sandboxKcrIssues.id, id), eq(sandboxKcrIssues.version, issue.version), isNull(sandboxKcrIssues.deletedAt)))
        .returning();
      if (!row) throw new KcrError(503, 'ConcurrentModification', 'Issue is being changed concurrently, retry');
      await tx.insert(sandboxKcrEvents).values({ issueId: id, type: 'issueDeleted', status: row.status });
    });
  }

  /** Finishes a due re-check: the caller computes what actualization sets. Returns false if another process did it first. */
  async finishActualization(issue: SandboxIssue, change: SandboxIssueChange, event = 'issueActualized'): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const statusChanged = change.status !== undefined && change.status !== issue.status;
      const [row] = await tx
        .update(sandboxKcrIssues)
        .set({ ...change, actualized: true, version: issue.version + 1, updatedAt: new Date(), ...(statusChanged ? { statusChangedAt: new Date() } : {}) })
        .where(and(eq(sandboxKcrIssues.id, issue.id), eq(sandboxKcrIssues.version, issue.version)))
        .returning();
      if (!row) return false;
      await tx.insert(sandboxKcrEvents).values({ issueId: issue.id, type: statusChanged ? 'statusChanged' : event, status: row.status });
      return true;
    });
  }

  async dueForActualization(limit = 50): Promise<SandboxIssue[]> {
    return this.db
      .select()
      .from(sandboxKcrIssues)
      .where(and(eq(sandboxKcrIssues.actualized, false), lte(sandboxKcrIssues.actualizeAt, new Date()), isNull(sandboxKcrIssues.deletedAt)))
      .orderBy(asc(sandboxKcrIssues.actualizeAt))
      .limit(limit);
  }

  async inStatus(statuses: readonly IssueStatus[], limit = 50): Promise<SandboxIssue[]> {
    return this.db
      .select()
      .from(sandboxKcrIssues)
      .where(and(inArray(sandboxKcrIssues.status, [...statuses]), isNull(sandboxKcrIssues.deletedAt)))
      .orderBy(asc(sandboxKcrIssues.statusChangedAt))
      .limit(limit);
  }

  async search(filter: { statuses: string[]; inn?: string; subjectPhone?: string; subjectEmail?: string; offset: number; limit: number; sortOrder: 'asc' | 'desc' }) {
    const conditions: SQL[] = [isNull(sandboxKcrIssues.deletedAt)];
    if (filter.statuses.length) conditions.push(inArray(sandboxKcrIssues.status, filter.statuses));
    if (filter.inn) conditions.push(sql`${sandboxKcrIssues.subjectInfo}->>'inn' = ${filter.inn}`);
    if (filter.subjectPhone) conditions.push(sql`${sandboxKcrIssues.subjectInfo}->>'phone' = ${filter.subjectPhone}`);
    if (filter.subjectEmail) conditions.push(sql`lower(${sandboxKcrIssues.subjectInfo}->>'email') = lower(${filter.subjectEmail})`);
    const where = and(...conditions);
    const order = filter.sortOrder === 'asc' ? asc(sandboxKcrIssues.createdAt) : desc(sandboxKcrIssues.createdAt);
    const [rows, [{ total }]] = await Promise.all([
      this.db.select().from(sandboxKcrIssues).where(where).orderBy(order, asc(sandboxKcrIssues.id)).offset(filter.offset).limit(filter.limit),
      this.db.select({ total: sql<number>`count(*)::int` }).from(sandboxKcrIssues).where(where),
    ]);
    return { rows, total };
  }

  async events(prevId: number, limit: number) {
    return this.db.select().from(sandboxKcrEvents).where(gt(sandboxKcrEvents.id, prevId)).orderBy(asc(sandboxKcrEvents.id)).limit(limit);
  }

  async lastEventId(): Promise<number> {
    const [row] = await this.db.select({ id: sql<number>`coalesce(max(${sandboxKcrEvents.id}), 0)::int` }).from(sandboxKcrEvents);
    return Number(row?.id ?? 0);
  }

  private dueAt(): Date {
    return new Date(Date.now() + this.actualizationMs());
  }
}
