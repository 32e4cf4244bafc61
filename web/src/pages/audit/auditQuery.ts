import type { AuditFilter } from '../../api/audit.ts';
import type { AuditOutcome } from '../../api/types.ts';
import { isoDayOf, russianDayOf } from '../../format/calendarDay.ts';

/**
 * The filter form's values. Dates are calendar days as the DatePicker shows them (ДД.ММ.ГГГГ),
 * in the browser's time zone; the address keeps them as ГГГГ-ММ-ДД.
 */
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
const DAY_KEYS = new Set<keyof AuditFilterForm>(['fromDay', 'toDay']);

export function filterFormFromUrl(params: URLSearchParams): AuditFilterForm {
  const form = { ...EMPTY_AUDIT_FILTER };
  for (const key of FORM_KEYS) {
    const value = params.get(key) ?? '';
    (form as Record<string, string>)[key] = DAY_KEYS.has(key) ? russianDayOf(value) : value;
  }
  return form;
}

export function filterFormToUrl(form: AuditFilterForm): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FORM_KEYS) {
    const value = DAY_KEYS.has(key) ? isoDayOf(form[key]) : form[key].trim();
    if (value) params.set(key, value);
  }
  return params;
}

function startOfDay(day: string): string | undefined {
  const iso = isoDayOf(day);
  return iso ? new Date(`${iso}T00:00:00`).toISOString() : undefined;
}

function endOfDay(day: string): string | undefined {
  const iso = isoDayOf(day);
  return iso ? new Date(`${iso}T23:59:59.999`).toISOString() : undefined;
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
