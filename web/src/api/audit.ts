import { apiRequest, apiUrl } from './client.ts';
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

/** The address of the CSV export of the entries a filter selects (the session cookie signs the download). */
export function auditExportUrl(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  const query = params.toString();
  return apiUrl(`/audit/export${query ? `?${query}` : ''}`);
}
