// The employee directory (the manual's StaffEmployee card): cards, search, CSV onboarding.
import { and, asc, count, eq, getTableColumns, like, sql, type SQL } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import type { Db } from '../store/db.ts';
import { employeeCertificates, employees } from '../store/schema/index.ts';
import { checkEmployee, EMPLOYEE_FIELDS, fullName, type EmployeeFields, type EmployeeInput } from '../domain/employee.ts';
import { certificateOwnerMismatches } from './applicant-identity.ts';
import type { Actor } from './actor.ts';
import { parseCertificate, summarizeCertificate, type CertificateSummary } from '../crypto/x509.ts';
import type { AuditService } from './audit.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from './errors.ts';
import { decodeCursor, pageOf } from './page-cursor.ts';

export type Employee = typeof employees.$inferSelect;
export type EmployeeCertificate = Omit<typeof employeeCertificates.$inferSelect, 'der'>;

export interface EmployeeSearch {
  query?: string;
  department?: string;
  offset: number;
  limit: number;
  /** The previous page's nextCursor. */
  after?: string;
}

export interface CsvRowProblem {
  /** Line number in the file, the header being line 1. */
  row: number;
  field: string;
  message: string;
}

export interface CsvImportReport {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: CsvRowProblem[];
}

export const CSV_MAX_ROWS = 50_000;
/** Rows looked up and inserted together (well below PostgreSQL's 65,535 parameters a statement). */
const CSV_BATCH_ROWS = 1000;

/** Column headers accepted in CSV files, Russian or English, in any case. */
const CSV_HEADERS: Record<string, keyof EmployeeFields> = {
  фамилия: 'lastName', lastname: 'lastName',
  имя: 'firstName', firstname: 'firstName',
  отчество: 'middleName', middlename: 'middleName',
  email: 'email', 'e-mail': 'email', почта: 'email', 'электронная почта': 'email',
  телефон: 'phone', 'мобильный телефон': 'phone', phone: 'phone',
  инн: 'inn', inn: 'inn',
  снилс: 'snils', snils: 'snils',
  'дата рождения': 'birthDate', birthdate: 'birthDate',
  должность: 'position', position: 'position',
  подразделение: 'department', отдел: 'department', department: 'department',
};

const EMPLOYEE_KEYS = Object.keys(EMPLOYEE_FIELDS) as (keyof EmployeeFields)[];
/** The card's columns an import writes. */
const CSV_COLUMNS = EMPLOYEE_KEYS;

function sameCard(a: EmployeeFields, b: Employee): boolean {
  return EMPLOYEE_KEYS.every((key) => (a[key] ?? null) === (b[key] ?? null));
}

function conflictOnUnique(error: unknown): FieldProblem | undefined {
  const text = String((error as { message?: string })?.message ?? '') + String((error as { cause?: { message?: string } })?.cause?.message ?? '');
  if (text.includes('employees_snils_uq')) return { field: 'snils', message: 'Сотрудник с таким СНИЛС уже есть' };
  if (text.includes('employees_inn_uq')) return { field: 'inn', message: 'Сотрудник с таким ИНН уже есть' };
  return undefined;
}

export class EmployeesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: EmployeeInput): Promise<Employee> {
    const checked = checkEmployee(input);
    if (!checked.ok) throw new ValidationError(checked.errors);
    let created: Employee;
    try {
      [created] = await this.db.insert(employees).values(checked.value).returning();
    } catch (error) {
      const problem = conflictOnUnique(error);
      if (problem) throw new ConflictError(problem.message, [problem]);
      throw error;
    }
    await this.audit.record(actor, { action: 'createEmployee', targetType: 'employee', targetId: created.id });
    return created;
  }

  async get(id: string): Promise<Employee> {
    const [employee] = await this.db.select().from(employees).where(eq(employees.id, id));
    if (!employee) throw new NotFoundError('Сотрудник не найден');
    return employee;
  }

  async update(actor: Actor, id: string, input: EmployeeInput): Promise<Employee> {
    const current = await this.get(id);
    const merged: EmployeeInput = Object.fromEntries(EMPLOYEE_KEYS.map((key) => [key, key in input ? input[key] : current[key]]));
    const checked = checkEmployee(merged);
    if (!checked.ok) throw new ValidationError(checked.errors);
    let updated: Employee;
    try {
      [updated] = await this.db
        .update(employees)
        .set({ ...checked.value, updatedAt: new Date() })
        .where(eq(employees.id, id))
        .returning();
    } catch (error) {
      const problem = conflictOnUnique(error);
      if (problem) throw new ConflictError(problem.message, [problem]);
      throw error;
    }
    const changed = EMPLOYEE_KEYS.filter((key) => current[key] !== updated[key]);
    await this.audit.record(actor, { action: 'updateEmployee', targetType: 'employee', targetId: id, details: { changed } });
    return updated;
  }

  /**
   * A page of the directory in name order. Each word of the query must occur in the card (name,
   * email, position, or, for words with three or more digits, the phone, INN or SNILS digits):
   * a trigram index on the search column answers it. Pages after the first go by `after` (the
   * previous page's nextCursor); the total is counted only for a page asked for without a cursor.
   */
  async search(search: EmployeeSearch): Promise<{ items: Employee[]; total?: number; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    for (const word of (search.query?.trim() ?? '').split(/\s+/).filter(Boolean).slice(0, 5)) {
      const digits = word.replace(/\D/g, '');
      const needle = digits.length >= 3 ? digits : word.toLowerCase();
      conditions.push(like(employees.searchText, `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
    }
    if (search.department) conditions.push(eq(employees.department, search.department));
    const filter = and(...conditions);
    const page = and(
      filter,
      search.after
        ? (([lastName, firstName, id]) => sql`(${employees.lastName}, ${employees.firstName}, ${employees.id}) > (${lastName}, ${firstName}, ${id}::uuid)`)(decodeCursor(search.after, 3))
        : undefined,
    );
    const rows = this.db
      .select()
      .from(employees)
      .where(page)
      .orderBy(asc(employees.lastName), asc(employees.firstName), asc(employees.id))
      .offset(search.after ? 0 : search.offset)
      .limit(search.limit + 1);
    const [found, total] = await Promise.all([rows, search.after ? undefined : this.db.select({ total: count() }).from(employees).where(filter).then(([row]) => row.total)]);
    const { items, nextCursor } = pageOf(found, search.limit, (last) => [last.lastName, last.firstName, last.id]);
    return { items, ...(total === undefined ? {} : { total }), nextCursor };
  }

  async certificates(employeeId: string): Promise<EmployeeCertificate[]> {
    await this.get(employeeId);
    const { der: _der, ...columns } = getTableColumns(employeeCertificates);
    return this.db
      .select(columns)
      .from(employeeCertificates)
      .where(eq(employeeCertificates.employeeId, employeeId))
      .orderBy(asc(employeeCertificates.validTo));
  }

  /**
   * Puts a certificate into the employee card (the manual's DownloadCertificateAndAssignToEmployee).
   * Only the card's owner's certificate: its SNILS (and its INN, where both have one) must be the
   * card's, else a 409 names the mismatch. Idempotent on (employee, thumbprint): attaching the
   * same certificate again returns the stored row. The caller's operation is what the audit records.
   */
  async attachCertificate(
    employeeId: string,
    der: Uint8Array,
    options: { source: 'kcr' | 'reestro' | 'upload'; cspType?: string | null; issueId?: string | null },
  ): Promise<{ certificate: EmployeeCertificate; created: boolean }> {
    const employee = await this.get(employeeId);
    let summary: CertificateSummary;
    try {
      summary = summarizeCertificate(parseCertificate(der));
    } catch (error) {
      throw new ValidationError([{ field: 'certificate', message: `Файл не является сертификатом X.509: ${(error as Error).message}` }]);
    }
    const mismatches = certificateOwnerMismatches(summary, employee);
    if (mismatches.length) throw new ConflictError(`Сертификат выдан не владельцу карточки ${fullName(employee)}`, mismatches);
    const { der: _der, ...columns } = getTableColumns(employeeCertificates);
    const [inserted] = await this.db
      .insert(employeeCertificates)
      .values({
        employeeId,
        thumbprint: summary.thumbprint,
        serialNumber: summary.serialNumber,
        subject: summary.subject,
        issuer: summary.issuer,
        validFrom: new Date(summary.notBefore),
        validTo: new Date(summary.notAfter),
        der: Buffer.from(der),
        source: options.source,
        cspType: options.cspType ?? null,
        issueId: options.issueId ?? null,
      })
      .onConflictDoNothing({ target: [employeeCertificates.employeeId, employeeCertificates.thumbprint] })
      .returning(columns);
    if (inserted) return { certificate: inserted, created: true };
    const [existing] = await this.db
      .select(columns)
      .from(employeeCertificates)
      .where(and(eq(employeeCertificates.employeeId, employeeId), eq(employeeCertificates.thumbprint, summary.thumbprint)));
    return { certificate: existing, created: false };
  }

  /**
   * Imports a CSV file (comma or semicolon separated, header row with Russian or English
   * column names). Valid rows are stored, bad rows reported; a row that matches an existing
   * card (by SNILS, then INN, then name and phone) updates it, so re-importing adds nothing.
   */
  async importCsv(actor: Actor, content: string): Promise<CsvImportReport> {
    const records = this.parseCsv(content);
    const report: CsvImportReport = { total: records.length, created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
    const seen = new Map<string, number>();
    const valid: { row: number; value: EmployeeFields }[] = [];

    records.forEach((record, index) => {
      const row = index + 2;
      const checked = checkEmployee(record);
      if (!checked.ok) {
        report.errors.push(...checked.errors.map((e) => ({ row, ...e })));
        report.failed++;
        return;
      }
      for (const key of ['snils', 'inn'] as const) {
        const value = checked.value[key];
        if (!value) continue;
        const earlier = seen.get(`${key}:${value}`);
        if (earlier !== undefined) {
          report.errors.push({ row, field: key, message: `${EMPLOYEE_FIELDS[key].label} повторяет строку ${earlier}` });
          report.failed++;
          return;
        }
      }
      for (const key of ['snils', 'inn'] as const) {
        if (checked.value[key]) seen.set(`${key}:${checked.value[key]}`, row);
      }
      valid.push({ row, value: checked.value });
    });

    await this.db.transaction(async (tx) => {
      // In batches: one query finds the cards a batch's rows match, one statement inserts the new ones.
      for (let start = 0; start < valid.length; start += CSV_BATCH_ROWS) {
        const batch = valid.slice(start, start + CSV_BATCH_ROWS);
        // Arrays as parameters (a handful a statement, not one a value: building a statement of
        // 11,000 parameters cost more than running it).
        const byName = batch.filter(({ value }) => !value.snils && !value.inn).map(({ value }) => value);
        const column = (values: (string | null)[]) => sql.param(values);
        const found = await tx
          .select()
          .from(employees)
          .where(
            sql`${employees.snils} = any(${column(batch.flatMap(({ value }) => (value.snils ? [value.snils] : [])))}::text[])
              or ${employees.inn} = any(${column(batch.flatMap(({ value }) => (value.inn ? [value.inn] : [])))}::text[])
              or (${employees.lastName}, ${employees.firstName}, ${employees.phone}) in
                (select * from unnest(${column(byName.map((v) => v.lastName))}::text[], ${column(byName.map((v) => v.firstName))}::text[], ${column(byName.map((v) => v.phone))}::text[]))`,
          );
        const cards = new Map<string, Employee>();
        for (const card of found) {
          if (card.snils) cards.set(`snils:${card.snils}`, card);
          if (card.inn) cards.set(`inn:${card.inn}`, card);
          cards.set(`name:${card.lastName}|${card.firstName}|${card.phone}`, card);
        }
        const inserts = new Map<string, EmployeeFields>();
        for (const { row, value } of batch) {
          const keys = value.snils || value.inn ? [value.snils && `snils:${value.snils}`, value.inn && `inn:${value.inn}`].filter((k): k is string => !!k) : [`name:${value.lastName}|${value.firstName}|${value.phone}`];
          const matched = new Set(keys.map((k) => cards.get(k)).filter((card): card is Employee => !!card));
          if (matched.size > 1) {
            report.errors.push({ row, field: 'inn', message: 'СНИЛС и ИНН принадлежат разным сотрудникам в справочнике' });
            report.failed++;
            continue;
          }
          const [existing] = matched;
          const pending = !existing && keys.length === 1 ? inserts.get(keys[0]) : undefined;
          if (pending) {
            // The same person without SNILS or INN twice in the file: the later row wins.
            if (EMPLOYEE_KEYS.every((key) => (pending[key] ?? null) === (value[key] ?? null))) report.unchanged++;
            else {
              inserts.set(keys[0], value);
              report.updated++;
            }
          } else if (!existing) {
            inserts.set(keys[0], value);
            report.created++;
          } else if (sameCard(value, existing)) {
            report.unchanged++;
          } else {
            await tx.update(employees).set({ ...value, updatedAt: new Date() }).where(eq(employees.id, existing.id));
            report.updated++;
          }
        }
        if (inserts.size) {
          const rows = [...inserts.values()];
          const names = CSV_COLUMNS.map((key) => sql.identifier(employees[key].name));
          const arrays = CSV_COLUMNS.map((key) => sql`${column(rows.map((row) => row[key] ?? null))}::${sql.raw(key === 'birthDate' ? 'date' : 'text')}[]`);
          await tx.execute(sql`insert into ${employees} (${sql.join(names, sql`, `)}) select * from unnest(${sql.join(arrays, sql`, `)})`);
        }
      }
      await this.audit.record(
        actor,
        { action: 'importEmployeesCsv', targetType: 'employee', outcome: report.failed ? 'failure' : 'success', details: { ...report, errors: report.errors.length } },
        tx,
      );
    });
    report.errors.sort((a, b) => a.row - b.row);
    return report;
  }

  private parseCsv(content: string): EmployeeInput[] {
    const firstLine = content.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    let rows: string[][];
    try {
      rows = parse(content, { bom: true, delimiter, skip_empty_lines: true, relax_column_count: true, trim: true });
    } catch (error) {
      throw new ValidationError([{ field: 'file', message: `Файл не читается как CSV: ${(error as Error).message}` }]);
    }
    const [header, ...body] = rows;
    if (!header) throw new ValidationError([{ field: 'file', message: 'Файл пуст: нужна строка заголовков и строки сотрудников' }]);
    const columns = header.map((name) => CSV_HEADERS[name.trim().toLowerCase()]);
    const missing = (['lastName', 'firstName', 'phone'] as const).filter((field) => !columns.includes(field));
    if (missing.length) {
      throw new ValidationError(
        missing.map((field) => ({ field: 'file', message: `В заголовке нет обязательного столбца «${EMPLOYEE_FIELDS[field].label}»` })),
      );
    }
    if (body.length > CSV_MAX_ROWS) throw new ValidationError([{ field: 'file', message: `Не больше ${CSV_MAX_ROWS} строк за один импорт` }]);
    return body.map((cells) => {
      const record: EmployeeInput = {};
      columns.forEach((field, i) => {
        if (field) record[field] = cells[i] ?? '';
      });
      return record;
    });
  }
}
