import { apiRequest } from './client.ts';
import type { AuditOutcome, AuditPage } from './types.ts';

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  outcome?: AuditOutcome;
  /** ISO date-times. */
  from?: string;
  to?: string;
}

export const fetchAuditEntries = (filter: AuditFilter, before: number | undefined, limit: number) =>
  apiRequest<AuditPage>('GET', '/audit', { query: { ...filter, before, limit } });
