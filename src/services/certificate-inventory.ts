// Every certificate the module knows — issued through KCR, through Реестро, or uploaded into a
// card — with its owner, validity and state: `revoked` (the CA says so), `expired`, `expiring`
// (within EXPIRING_DAYS), else `valid`. Listed in pages cut by (validTo, id), counted by state,
// and summed by month of expiry for the chart.
import { and, asc, count, eq, gt, ilike, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { certificateRenewals, employeeCertificates, employees } from '../store/schema/index.ts';
import { decodeCursor, pageOf } from './page-cursor.ts';

/** A certificate that ends within this many days is `expiring`. */
export const EXPIRING_DAYS = 30;

export const CERTIFICATE_STATES = ['valid', 'expiring', 'expired', 'revoked'] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];
export const CERTIFICATE_SOURCES = ['kcr', 'reestro', 'upload'] as const;

export interface InventoryFilter {
  state?: CertificateState;
  source?: (typeof CERTIFICATE_SOURCES)[number];
  employeeId?: string;
  /** Owner's name, thumbprint or serial number (a part of it). */
  query?: string;
  limit: number;
  after?: string;
}

export interface InventoryItem {
  id: string;
  employeeId: string;
  ownerName: string;
  ownerState: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  thumbprint: string;
  validFrom: Date;
  validTo: Date;
  state: CertificateState;
  source: string;
  cspType: string | null;
  issueId: string | null;
  revokedAt: Date | null;
  replacedById: string | null;
  renewal: { state: string; issueId: string | null; reason: string | null } | null;
}

export interface InventorySummary {
  total: number;
  byState: Record<CertificateState, number>;
  /** Days until the nearest end of validity among certificates neither expired nor revoked (null: none). */
  daysToNearestExpiry: number | null;
  /** Certificates (neither revoked nor replaced) ending in each of the next 12 months, `YYYY-MM`. */
  expiriesByMonth: { month: string; count: number }[];
}

/** The state as SQL, evaluated at `now`. */
function stateSql(now: Date): SQL<CertificateState> {
  const soon = new Date(now.getTime() + EXPIRING_DAYS * 86_400_000);
  return sql<CertificateState>`case when ${employeeCertificates.revokedAt} is not null then 'revoked' when ${employeeCertificates.validTo} <= ${now} then 'expired' when ${employeeCertificates.validTo} <= ${soon} then 'expiring' else 'valid' end`;
}

function stateCondition(state: CertificateState, now: Date): SQL | undefined {
  const soon = new Date(now.getTime() + EXPIRING_DAYS * 86_400_000);
  switch (state) {
    case 'revoked':
      return isNotNull(employeeCertificates.revokedAt);
    case 'expired':
      return and(isNull(employeeCertificates.revokedAt), lte(employeeCertificates.validTo, now));
    case 'expiring':
      return and(isNull(employeeCertificates.revokedAt), gt(employeeCertificates.validTo, now), lte(employeeCertificates.validTo, soon));
    case 'valid':
      return and(isNull(employeeCertificates.revokedAt), gt(employeeCertificates.validTo, soon));
  }
}

export class CertificateInventory {
  constructor(private readonly db: Db) {}

  async list(filter: InventoryFilter, now = new Date()): Promise<{ items: InventoryItem[]; nextCursor: string | null }> {
    const conditions: (SQL | undefined)[] = [];
    if (filter.state) conditions.push(stateCondition(filter.state, now));
    if (filter.source) conditions.push(eq(employeeCertificates.source, filter.source));
    if (filter.employeeId) conditions.push(eq(employeeCertificates.employeeId, filter.employeeId));
    if (filter.query?.trim()) {
      const like = `%${filter.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(or(ilike(employeeCertificates.thumbprint, like), ilike(employeeCertificates.serialNumber, like), ilike(employeeCertificates.subject, like), ilike(employees.lastName, like)));
    }
    if (filter.after) {
      const [validTo, id] = decodeCursor(filter.after, 2);
      conditions.push(sql`(${employeeCertificates.validTo}, ${employeeCertificates.id}) > (${new Date(validTo ?? 0)}, ${id})`);
    }
    const rows = await this.db
      .select({
        id: employeeCertificates.id,
        employeeId: employeeCertificates.employeeId,
        lastName: employees.lastName,
        firstName: employees.firstName,
        middleName: employees.middleName,
        ownerState: employees.state,
        subject: employeeCertificates.subject,
        issuer: employeeCertificates.issuer,
        serialNumber: employeeCertificates.serialNumber,
        thumbprint: employeeCertificates.thumbprint,
        validFrom: employeeCertificates.validFrom,
        validTo: employeeCertificates.validTo,
        state: stateSql(now),
        source: employeeCertificates.source,
        cspType: employeeCertificates.cspType,
        issueId: employeeCertificates.issueId,
        revokedAt: employeeCertificates.revokedAt,
        replacedById: employeeCertificates.replacedById,
        renewalState: certificateRenewals.state,
        renewalIssueId: certificateRenewals.issueId,
        renewalReason: certificateRenewals.reason,
      })
      .from(employeeCertificates)
      .innerJoin(employees, eq(employees.id, employeeCertificates.employeeId))
      .leftJoin(certificateRenewals, eq(certificateRenewals.certificateId, employeeCertificates.id))
      .where(and(...conditions))
      .orderBy(asc(employeeCertificates.validTo), asc(employeeCertificates.id))
      .limit(filter.limit + 1);
    const items: InventoryItem[] = rows.map((row) => ({
      id: row.id,
      employeeId: row.employeeId,
      ownerName: [row.lastName, row.firstName, row.middleName].filter(Boolean).join(' '),
      ownerState: row.ownerState,
      subject: row.subject,
      issuer: row.issuer,
      serialNumber: row.serialNumber,
      thumbprint: row.thumbprint,
      validFrom: row.validFrom,
      validTo: row.validTo,
      state: row.state,
      source: row.source,
      cspType: row.cspType,
      issueId: row.issueId,
      revokedAt: row.revokedAt,
      replacedById: row.replacedById,
      renewal: row.renewalState ? { state: row.renewalState, issueId: row.renewalIssueId, reason: row.renewalReason } : null,
    }));
    return pageOf(items, filter.limit, (last) => [last.validTo.toISOString(), last.id]);
  }

  async summary(now = new Date()): Promise<InventorySummary> {
    const state = stateSql(now);
    // Grouped by position: the expression's parameters would not match a repeated one.
    const counts = await this.db.select({ state, n: count() }).from(employeeCertificates).groupBy(sql`1`);
    const byState: Record<CertificateState, number> = { valid: 0, expiring: 0, expired: 0, revoked: 0 };
    for (const row of counts) byState[row.state] = Number(row.n);
    const [nearest] = await this.db
      .select({ validTo: sql<Date | string | null>`min(${employeeCertificates.validTo})` })
      .from(employeeCertificates)
      .where(and(isNull(employeeCertificates.revokedAt), gt(employeeCertificates.validTo, now)));
    const nearestTo = nearest?.validTo ? new Date(nearest.validTo) : null;
    const horizon = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 12, 1));
    const month = sql<string>`to_char(${employeeCertificates.validTo} at time zone 'UTC', 'YYYY-MM')`;
    const months = await this.db
      .select({ month, n: count() })
      .from(employeeCertificates)
      .where(and(isNull(employeeCertificates.revokedAt), isNull(employeeCertificates.replacedById), gt(employeeCertificates.validTo, now), lte(employeeCertificates.validTo, horizon)))
      .groupBy(month);
    const found = new Map(months.map((row) => [row.month, Number(row.n)]));
    const expiriesByMonth = Array.from({ length: 12 }, (_, i) => {
      const key = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1)).toISOString().slice(0, 7);
      return { month: key, count: found.get(key) ?? 0 };
    });
    return {
      total: Object.values(byState).reduce((a, b) => a + b, 0),
      byState,
      daysToNearestExpiry: nearestTo ? Math.max(0, (nearestTo.getTime() - now.getTime()) / 86_400_000) : null,
      expiriesByMonth,
    };
  }
}
