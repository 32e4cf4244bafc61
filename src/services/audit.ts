// The audit log: who did what to what, when, with what outcome, and which request (ours and
// Kontur's) it was. Insert-only. Each operation is recorded under one name: its operationId.
// Reading resolves ids to people's names (the actor's, the employee an object concerns).
import { and, desc, eq, gte, inArray, lte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { accessTokens, auditLog, certificateForms, documents, employees, issues, users, webhooks } from '../store/schema/index.ts';
import { fullName } from '../domain/employee.ts';
import { AUDIT_OUTCOME_LABELS, AUDIT_TARGET_TYPE_LABELS, auditActionLabel, type AuditOutcome } from '../domain/audit-actions.ts';
import { collectKonturRequestIds } from '../kontur/kontur-request-ids.ts';
import type { Actor } from './actor.ts';
import { ConflictError, ServiceError, ValidationError } from './errors.ts';
import type { OperationResult } from './operation-result.ts';
import { AuditReadBatch, type AuditReadBatchOptions, type AuditRow } from './audit-read-batch.ts';

export interface AuditEntryInput {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
  /** The request id of Kontur's answer that decided the outcome. */
  konturRequestId?: string | null;
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

/** An entry with the names of the people and objects its ids stand for. */
export type AuditEntryView = AuditEntry & {
  /** The acting user's display name (the login is `actorName`); «Система» for the system. */
  actorDisplayName: string;
  /** What the target is called: a person's name (the applicant's for an issue or a form), a file name, a key's name; null when unknown. */
  targetName: string | null;
};

/** Most rows one CSV export holds. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;
const EXPORT_BATCH_ROWS = 1000;

/** `denied` for a refusal of rights, `failure` for everything else that did not succeed. */
export function auditOutcomeOf(error: ServiceError): AuditOutcome {
  return error.status === 401 || error.status === 403 ? 'denied' : 'failure';
}

/** What the log keeps of a failure: code, HTTP status, the message the caller got, the fields at fault. */
export function failureDetails(error: unknown): Record<string, unknown> {
  if (!(error instanceof ServiceError)) return { code: 'internal', status: 500, message: error instanceof Error ? error.message : String(error) };
  const errors = error instanceof ValidationError || error instanceof ConflictError ? error.errors : [];
  return { code: error.code, status: error.status, message: error.message, ...(errors.length ? { errors } : {}) };
}

/** The object an operation is about, and how to describe its result once it succeeded. */
export interface AuditedOperation<T> {
  action: string;
  targetType: string | null;
  targetId: string | null;
  describe?: (data: T) => { targetId?: string | null; details?: Record<string, unknown> };
  /** A read that changes nothing: its successful outcome is written in a batch after the answer (audit-read-batch.ts). */
  read?: boolean;
}

function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A cell that a spreadsheet would take for a formula is quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_COLUMNS: [string, (e: AuditEntryView) => string | number | null][] = [
  ['Время (UTC)', (e) => e.at.toISOString()],
  ['Действие', (e) => auditActionLabel(e.action)],
  ['Код действия', (e) => e.action],
  ['Кто', (e) => e.actorDisplayName],
  ['Логин', (e) => e.actorName],
  ['Объект', (e) => (e.targetType ? (AUDIT_TARGET_TYPE_LABELS[e.targetType] ?? e.targetType) : null)],
  ['Название объекта', (e) => e.targetName],
  ['Идентификатор объекта', (e) => e.targetId],
  ['Результат', (e) => AUDIT_OUTCOME_LABELS[e.outcome] ?? e.outcome],
  ['Сообщение', (e) => (typeof e.details?.message === 'string' ? e.details.message : null)],
  ['Номер запроса', (e) => e.requestId],
  ['Номер запроса в Контуре', (e) => e.konturRequestId],
];

function auditRow(actor: Actor, entry: AuditEntryInput): AuditRow {
  return {
    actorId: actor.userId,
    actorName: actor.name,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome ?? 'success',
    details: entry.details ?? null,
    requestId: actor.requestId ?? null,
    konturRequestId: entry.konturRequestId ?? null,
  };
}

export class AuditService {
  private readonly reads: AuditReadBatch;

  constructor(
    private readonly db: Db,
    /** Told when a batch of read entries could not be written. */
    onLostReads: (error: unknown, rows: number) => void = () => undefined,
    readBatch?: AuditReadBatchOptions,
  ) {
    this.reads = new AuditReadBatch(async (rows) => void (await this.db.insert(auditLog).values(rows)), onLostReads, readBatch);
  }

  async record(actor: Actor, entry: AuditEntryInput, db: Pick<Db, 'insert'> = this.db): Promise<void> {
    await db.insert(auditLog).values(auditRow(actor, entry));
  }

  /** Writes the read entries still waiting for their batch (before reading the log, and at shutdown). */
  flushReads(): Promise<void> {
    return this.reads.flush();
  }

  /**
   * Runs one operation of the seed's services (a method returning OperationResult) and records
   * its outcome, successful or not, under its action name with the request id of Kontur's last
   * answer (all of them in `details.konturRequestIds` when it made several calls).
   */
  async operation<T>(actor: Actor, operation: AuditedOperation<T>, work: () => Promise<OperationResult<T>>): Promise<OperationResult<T>> {
    const { outcome, requestIds } = await collectKonturRequestIds(work);
    const konturRequestId = requestIds.at(-1) ?? null;
    const calls = requestIds.length > 1 ? { konturRequestIds: requestIds } : {};
    const entry = { action: operation.action, targetType: operation.targetType, targetId: operation.targetId, konturRequestId };
    if (!outcome.ok) {
      await this.record(actor, { ...entry, outcome: 'failure', details: { ...failureDetails(outcome.error), ...calls } }).catch(() => undefined);
      throw outcome.error;
    }
    const result = outcome.value;
    if (result.success) {
      const described = operation.describe?.(result.data);
      const succeeded = { ...entry, targetId: described?.targetId ?? entry.targetId, details: { ...described?.details, ...calls } };
      if (operation.read) this.reads.add(auditRow(actor, succeeded));
      else await this.record(actor, succeeded);
    } else {
      await this.record(actor, { ...entry, outcome: auditOutcomeOf(result.error), details: { ...failureDetails(result.error), ...calls } }).catch(() => undefined);
    }
    return result;
  }

  /**
   * Records an operation unless the service that ran it already recorded something for the
   * actor's request (services record their own operations, with more details).
   */
  async recordUnlessRecorded(actor: Actor, entry: AuditEntryInput): Promise<void> {
    if (actor.requestId) {
      if (this.reads.holds(actor.requestId)) return;
      const [already] = await this.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.requestId, actor.requestId)).limit(1);
      if (already) return;
    }
    await this.record(actor, entry);
  }

  async list(filter: AuditFilter): Promise<{ entries: AuditEntryView[]; nextBefore: number | null }> {
    await this.reads.flush();
    const entries = await this.db
      .select()
      .from(auditLog)
      .where(this.conditions(filter))
      .orderBy(desc(auditLog.id))
      .limit(filter.limit + 1);
    const more = entries.length > filter.limit;
    if (more) entries.pop();
    return { entries: await this.withNames(entries), nextBefore: more ? entries.at(-1)!.id : null };
  }

  /**
   * The entries a filter selects (newest first, at most AUDIT_EXPORT_MAX_ROWS) as CSV for a
   * spreadsheet: UTF-8 with a BOM, `;`-separated, Russian headers and action names.
   */
  async *exportCsv(filter: Omit<AuditFilter, 'limit' | 'before'>): AsyncGenerator<string> {
    yield '\uFEFF' + CSV_COLUMNS.map(([header]) => csvCell(header)).join(';') + '\r\n';
    let before: number | undefined;
    let written = 0;
    while (written < AUDIT_EXPORT_MAX_ROWS) {
      const page = await this.list({ ...filter, before, limit: Math.min(EXPORT_BATCH_ROWS, AUDIT_EXPORT_MAX_ROWS - written) });
      if (page.entries.length) yield page.entries.map((entry) => CSV_COLUMNS.map(([, value]) => csvCell(value(entry))).join(';') + '\r\n').join('');
      written += page.entries.length;
      if (page.nextBefore === null) return;
      before = page.nextBefore;
    }
  }

  private conditions(filter: Omit<AuditFilter, 'limit'>): SQL | undefined {
    const conditions: SQL[] = [];
    if (filter.actor) conditions.push(eq(auditLog.actorName, filter.actor));
    if (filter.action) conditions.push(eq(auditLog.action, filter.action));
    if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
    if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
    if (filter.outcome) conditions.push(eq(auditLog.outcome, filter.outcome));
    if (filter.from) conditions.push(gte(auditLog.at, filter.from));
    if (filter.to) conditions.push(lte(auditLog.at, filter.to));
    if (filter.before) conditions.push(lt(auditLog.id, filter.before));
    return and(...conditions);
  }

  /** Looks up, a page at a time, the names behind the actor and target ids. */
  private async withNames(entries: AuditEntry[]): Promise<AuditEntryView[]> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const idsOf = (type: string) => [...new Set(entries.filter((e) => e.targetType === type && e.targetId && uuid.test(e.targetId)).map((e) => e.targetId!))];
    const userIds = [...new Set([...entries.flatMap((e) => (e.actorId ? [e.actorId] : [])), ...idsOf('user')])];
    const employeeName = sql<string>`concat_ws(' ', ${employees.lastName}, ${employees.firstName}, ${employees.middleName})`;
    const [userRows, employeeRows, issueRows, documentRows, formRows, keyRows, webhookRows] = await Promise.all([
      userIds.length ? this.db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds)) : [],
      idsOf('employee').length ? this.db.select({ id: employees.id, name: employeeName }).from(employees).where(inArray(employees.id, idsOf('employee'))) : [],
      idsOf('issue').length
        ? this.db
            .select({ id: issues.id, name: employeeName, subject: issues.snapshot })
            .from(issues)
            .leftJoin(employees, eq(employees.id, issues.employeeId))
            .where(inArray(issues.id, idsOf('issue')))
        : [],
      idsOf('document').length ? this.db.select({ id: documents.id, name: documents.fileName }).from(documents).where(inArray(documents.id, idsOf('document'))) : [],
      idsOf('certificateForm').length
        ? this.db.select({ id: certificateForms.id, name: employeeName }).from(certificateForms).leftJoin(employees, eq(employees.id, certificateForms.employeeId)).where(inArray(certificateForms.id, idsOf('certificateForm')))
        : [],
      idsOf('apiKey').length ? this.db.select({ id: accessTokens.id, name: accessTokens.name }).from(accessTokens).where(inArray(accessTokens.id, idsOf('apiKey'))) : [],
      idsOf('webhook').length ? this.db.select({ id: webhooks.id, name: webhooks.url }).from(webhooks).where(inArray(webhooks.id, idsOf('webhook'))) : [],
    ]);
    const names = new Map<string, string>();
    const userNames = new Map(userRows.map((row) => [row.id, row.name]));
    for (const id of idsOf('user')) if (userNames.has(id)) names.set(`user:${id}`, userNames.get(id)!);
    for (const row of employeeRows) names.set(`employee:${row.id}`, row.name);
    for (const row of issueRows) {
      const subject = (row.subject as { subjectInfo?: { lastname?: string; firstname?: string; middlename?: string } } | null)?.subjectInfo;
      const name = row.name || (subject ? fullName({ lastName: subject.lastname ?? '', firstName: subject.firstname ?? '', middleName: subject.middlename ?? null }) : '');
      if (name) names.set(`issue:${row.id}`, name);
    }
    for (const row of documentRows) names.set(`document:${row.id}`, row.name);
    for (const row of formRows) if (row.name) names.set(`certificateForm:${row.id}`, row.name);
    for (const row of keyRows) if (row.name) names.set(`apiKey:${row.id}`, row.name);
    for (const row of webhookRows) names.set(`webhook:${row.id}`, row.name);
    return entries.map((entry) => ({
      ...entry,
      actorDisplayName: entry.actorId ? (userNames.get(entry.actorId) ?? entry.actorName) : entry.actorName === 'system' ? 'Система' : entry.actorName === 'anonymous' ? 'Без входа в систему' : entry.actorName,
      targetName: entry.targetType && entry.targetId ? (names.get(`${entry.targetType}:${entry.targetId}`) ?? null) : null,
    }));
  }
}
