import type { KonturIssue } from '../api/types.ts';

/** «Иванова Мария Петровна» from Kontur's subject info. */
export function applicantName(subject: Partial<KonturIssue['subjectInfo']> | undefined): string {
  const name = [subject?.lastname, subject?.firstname, subject?.middlename].filter(Boolean).join(' ');
  return name || 'Заявитель не указан';
}

export function cspTypeName(type: string | null | undefined): string {
  if (type === 'dss') return 'Облачный (подпись по СМС)';
  if (type === 'cryptoPro') return 'КриптоПро на компьютере';
  // Another provider Kontur names (e.g. `asess`): shown as Kontur writes it.
  return type || '—';
}
