// Issue statuses as users read them (mirrors src/domain/issue.ts on the server).
import type { IssueStatus } from '../api/types.ts';

export const ISSUE_STATUS_ORDER: readonly IssueStatus[] = ['preparing', 'validating', 'correction', 'approved', 'releasing', 'released'];

export const ISSUE_STATUS_NAMES: Record<IssueStatus, string> = {
  preparing: 'Подготовка',
  validating: 'На проверке у оператора УЦ',
  correction: 'Требует исправлений',
  approved: 'Одобрена',
  releasing: 'Выпускается',
  released: 'Сертификат выпущен',
};

export type BadgeTone = 'success' | 'error' | 'warning' | 'neutral' | 'info';

export const ISSUE_STATUS_TONES: Record<IssueStatus, BadgeTone> = {
  preparing: 'neutral',
  validating: 'info',
  correction: 'error',
  approved: 'warning',
  releasing: 'info',
  released: 'success',
};

export function issueStatusName(status: string | null | undefined): string {
  return (status && ISSUE_STATUS_NAMES[status as IssueStatus]) || 'Неизвестно';
}

/** The manual: delete only in these statuses. */
export const DELETABLE_STATUSES: readonly IssueStatus[] = ['preparing', 'correction', 'approved'];

/** Applicant data and documents may change here. */
export const EDITABLE_STATUSES: readonly IssueStatus[] = ['preparing', 'correction'];
