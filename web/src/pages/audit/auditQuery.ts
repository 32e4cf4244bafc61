import type { AuditFilter } from '../../api/audit.ts';
import type { AuditOutcome } from '../../api/types.ts';

/** The filter form's values; dates are calendar days (YYYY-MM-DD) in the browser's time zone. */
export interface AuditFilterForm {
  actor: string;
  action: string;
  targetType: string;
  outcome: AuditOutcome | '';
  fromDay: string;
  toDay: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { actor: '', action: '', targetType: '', outcome: '', fromDay: '', toDay: '' };

const FORM_KEYS = Object.keys(EMPTY_AUDIT_FILTER) as (keyof AuditFilterForm)[];

export function filterFormFromUrl(params: URLSearchParams): AuditFilterForm {
  const form = { ...EMPTY_AUDIT_FILTER };
  for (const key of FORM_KEYS) (form as Record<string, string>)[key] = params.get(key) ?? '';
  return form;
}

export function filterFormToUrl(form: AuditFilterForm): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FORM_KEYS) if (form[key]) params.set(key, form[key].trim());
  return params;
}

function startOfDay(day: string): string | undefined {
  const date = new Date(`${day}T00:00:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function endOfDay(day: string): string | undefined {
  const date = new Date(`${day}T23:59:59.999`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function apiFilterOf(form: AuditFilterForm): AuditFilter {
  return {
    actor: form.actor.trim() || undefined,
    action: form.action || undefined,
    targetType: form.targetType || undefined,
    outcome: form.outcome || undefined,
    from: form.fromDay ? startOfDay(form.fromDay) : undefined,
    to: form.toDay ? endOfDay(form.toDay) : undefined,
  };
}
