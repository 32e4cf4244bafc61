// Certificate forms at Kontur Реестро as users read them (mirrors src/domain/certificate-form.ts).
import type { BadgeTone } from './issueStatus.ts';

export const FORM_STATES = ['Created', 'Releasing', 'ValidationError', 'Issued', 'Revoked'] as const;

export const FORM_STATE_NAMES: Record<string, string> = {
  Created: 'Создана',
  Releasing: 'Отправлена в УЦ',
  ValidationError: 'Есть ошибки',
  Issued: 'Сертификат выпущен',
  Revoked: 'Сертификат отозван',
};

export const FORM_STATE_TONES: Record<string, BadgeTone> = {
  Created: 'neutral',
  Releasing: 'info',
  ValidationError: 'error',
  Issued: 'success',
  Revoked: 'warning',
};

export type OwnerType = 'person' | 'soleProprietor' | 'legalEntity';

export const OWNER_TYPE_NAMES: Record<OwnerType, string> = {
  person: 'Физическое лицо',
  soleProprietor: 'Индивидуальный предприниматель',
  legalEntity: 'Представитель организации',
};

/** Documents a user attaches by hand; the ЕГРЮЛ extract comes from Реестро itself. */
export const ATTACHABLE_DOCUMENTS = [
  { type: 'passport', label: 'Паспорт (разворот с фотографией)', required: true },
  { type: 'snils', label: 'СНИЛС', required: false },
  { type: 'inn', label: 'Свидетельство ИНН', required: false },
  { type: 'photo', label: 'Фотография владельца с паспортом', required: false },
] as const;
export type AttachableDocument = (typeof ATTACHABLE_DOCUMENTS)[number]['type'];

/** Scans Реестро accepts: PDF, PNG, JPEG, TIFF, up to 10 MB. */
export const SCAN_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'] as const;
export const SCAN_MAX_BYTES = 10 * 1024 * 1024;

/** Where a problem the server names lives, in words (the reasons of a refused form). */
const FIELD_LABELS: Record<string, string> = {
  'employee.lastName': 'Фамилия в карточке сотрудника',
  'employee.firstName': 'Имя в карточке сотрудника',
  'employee.middleName': 'Отчество в карточке сотрудника',
  'employee.birthDate': 'Дата рождения в карточке сотрудника',
  'employee.snils': 'СНИЛС в карточке сотрудника',
  'employee.inn': 'ИНН в карточке сотрудника',
  'employee.email': 'Электронная почта в карточке сотрудника',
  'employee.phone': 'Телефон в карточке сотрудника',
  personSubjectId: 'Владелец сертификата',
  organizationSubjectId: 'Организация',
  birthPlace: 'Место рождения',
  gender: 'Пол',
  address: 'Адрес',
  passport: 'Паспорт',
  form: 'Анкета',
};

export function fieldLabel(field: string, documentNames: string[] = []): string {
  const document = /^documents\[(\d+)\]/.exec(field);
  if (document) return documentNames[Number(document[1])] ?? 'Документ';
  return FIELD_LABELS[field] ?? FIELD_LABELS[field.split('.')[0]] ?? field;
}

/** Random enough to never repeat; getRandomValues works on plain http too (randomUUID does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
