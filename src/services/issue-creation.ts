// Creating an issue at Kontur exactly once. KCR has no idempotency key, so the bridge keeps
// its own: a `pending` row is written before the POST; when the POST's outcome is unknown
// (timeout, 502/504) the bridge searches Kontur for an issue of the same applicant created
// since then that no other creation claimed, and adopts it instead of creating a second one.
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { issueCreations, issues } from '../store/schema/index.ts';
import type { KcrCreateIssueRequest, KcrIssue } from '../kontur/kcr-types.ts';
import { KcrUnavailableError } from '../kontur/kcr-errors.ts';
import { currentDeadline, pause, withDeadline } from '../kontur/deadline.ts';
import type { KcrClient } from '../kontur/kcr-client.ts';
import type { Actor } from './actor.ts';
import { ConflictError, ServiceError } from './errors.ts';
import type { IssueMirror } from './issue-mirror.ts';

export type IssueCreation = typeof issueCreations.$inferSelect;

/** A pending creation nobody touched for this long is taken over by a retry. */
const STALE_PENDING_MS = 120_000;
/** Clock skew tolerated between the bridge and Kontur when matching creation times. */
const CLOCK_SKEW_MS = 60_000;

export function requestHash(request: KcrCreateIssueRequest, employeeId: string | null): string {
  return createHash('sha256').update(JSON.stringify({ request, employeeId })).digest('hex');
}

export class IssueCreator {
  constructor(
    private readonly db: Db,
    private readonly kcr: KcrClient,
    private readonly mirror: IssueMirror,
    private readonly budgetMs: number,
  ) {}

  /** Returns Kontur's issue for this key, creating it at most once. */
  async create(actor: Actor, request: KcrCreateIssueRequest, options: { key?: string; employeeId: string | null }): Promise<{ issue: KcrIssue; reused: boolean }> {
    const key = options.key ?? randomUUID();
    const hash = requestHash(request, options.employeeId);
    const creation = await this.claim(actor, key, hash, request, options.employeeId);
    if (creation.state === 'created' && creation.issueId) {
      return { issue: await this.kcr.getIssue(creation.issueId), reused: true };
    }

    // The transport repeats a create Kontur provably did not carry out (503, 429, connection
    // refused). After an unknown outcome (timeout, 502/504) Kontur may have made the issue: it is
    // looked for first, and the create is sent again only when it is not there — all by the deadline.
    return withDeadline(this.budgetMs, async () => {
      const deadline = currentDeadline()!;
      let uncertain = creation.attempts > 0;
      // Paces the look-and-send rounds after quick 502s, so that Kontur is not hammered until the deadline.
      let pace = 100;
      for (;;) {
        if (uncertain) {
          const found = await this.findOrphan(creation);
          if (found) return { issue: await this.adopt(actor, creation, found), reused: false };
        }
        await this.touch(key);
        try {
          const issue = await this.kcr.createIssue(request);
          return { issue: await this.adopt(actor, creation, issue), reused: false };
        } catch (error) {
          if (error instanceof KcrUnavailableError && error.outcomeUnknown && !deadline.passed) {
            uncertain = true;
            await pause(pace, deadline);
            pace = Math.min(pace * 2, 2000);
            continue;
          }
          // Refused, or provably not carried out (503/429 past the deadline) with no uncertain try before: nothing exists at Kontur.
          if (!(error instanceof KcrUnavailableError) || (!error.outcomeUnknown && !uncertain)) {
            await this.db.update(issueCreations).set({ state: 'failed', error: (error as Error).message, updatedAt: new Date() }).where(eq(issueCreations.key, key));
          }
          throw error;
        }
      }
    });
  }

  /** Writes or takes over the creation row; refuses a key reused for other data or still in progress. */
  private async claim(actor: Actor, key: string, hash: string, request: KcrCreateIssueRequest, employeeId: string | null): Promise<IssueCreation> {
    const [inserted] = await this.db
      .insert(issueCreations)
      .values({
        key,
        employeeId,
        requestHash: hash,
        state: 'pending',
        subjectPhone: request.subjectInfo.phone ?? '',
        subjectInn: request.subjectInfo.inn ?? null,
        createdBy: actor.name,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) return inserted;
    const [existing] = await this.db.select().from(issueCreations).where(eq(issueCreations.key, key));
    if (existing.requestHash !== hash) {
      throw new ConflictError('Ключ идемпотентности уже использован для заявки с другими данными', [{ field: 'Idempotency-Key', message: 'Используйте новый ключ для новой заявки' }]);
    }
    if (existing.state === 'created') return existing;
    // A failed creation may be tried again with the same key; a pending one only once it is stale
    // (its process died or gave up), and then by one caller only.
    const [taken] = await this.db
      .update(issueCreations)
      .set({ state: 'pending', attempts: sql`${issueCreations.attempts} + 1`, updatedAt: new Date(), error: null })
      .where(
        and(
          eq(issueCreations.key, key),
          or(eq(issueCreations.state, 'failed'), lt(issueCreations.updatedAt, new Date(Date.now() - STALE_PENDING_MS))),
        ),
      )
      .returning();
    if (!taken) throw new ServiceError(409, 'creation-in-progress', 'Заявка с этим ключом идемпотентности уже создаётся: повторите запрос через минуту');
    // A failed row's POST was refused, so nothing exists at Kontur; a stale pending one is uncertain.
    return { ...taken, attempts: existing.state === 'failed' ? 0 : taken.attempts };
  }

  private async touch(key: string): Promise<void> {
    await this.db.update(issueCreations).set({ attempts: sql`${issueCreations.attempts} + 1`, updatedAt: new Date() }).where(eq(issueCreations.key, key));
  }

  /** An issue of this applicant created at Kontur since the creation began and not claimed by anyone. */
  private async findOrphan(creation: IssueCreation): Promise<KcrIssue | undefined> {
    const since = creation.createdAt.getTime() - CLOCK_SKEW_MS;
    const list = await this.kcr.searchIssues({ subjectPhone: creation.subjectPhone || undefined, inn: creation.subjectInn ?? undefined, status: ['preparing'], sortOrder: 'asc', limit: 100 });
    const candidates = list.issues.filter((issue) => Date.parse(issue.createdAt) >= since);
    if (candidates.length === 0) return undefined;
    const ids = candidates.map((issue) => issue.id);
    const known = new Set([
      ...(await this.db.select({ id: issues.id }).from(issues).where(inArray(issues.id, ids))).map((row) => row.id),
      ...(await this.db.select({ id: issueCreations.issueId }).from(issueCreations).where(inArray(issueCreations.issueId, ids))).map((row) => row.id),
    ]);
    return candidates.find((issue) => !known.has(issue.id));
  }

  private async adopt(actor: Actor, creation: IssueCreation, issue: KcrIssue): Promise<KcrIssue> {
    await this.db.transaction(async (tx) => {
      await tx.update(issueCreations).set({ state: 'created', issueId: issue.id, updatedAt: new Date() }).where(eq(issueCreations.key, creation.key));
      await this.mirror.insertCreated(tx, issue, { employeeId: creation.employeeId, creationKey: creation.key, actor });
    });
    return issue;
  }
}
