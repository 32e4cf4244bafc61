// How the employee card's fields are named and hinted in the interface.
import type { EmployeeField } from '../api/types.ts';

export interface EmployeeFieldInfo {
  label: string;
  hint?: string;
  placeholder?: string;
  required?: boolean;
  /** Needed to issue a certificate (Kontur refuses an issue without it), though a card may be saved without it. */
  forIssuance?: boolean;
  inputMode?: 'text' | 'tel' | 'email' | 'numeric';
}

export const EMPLOYEE_FIELDS: Record<EmployeeField, EmployeeFieldInfo> = {
  lastName: { label: 'Фамилия', required: true, forIssuance: true },
  firstName: { label: 'Имя', required: true, forIssuance: true },
  middleName: { label: 'Отчество' },
  phone: { label: 'Мобильный телефон', required: true, forIssuance: true, placeholder: '+7 900 123-45-67', hint: 'На этот номер приходят коды подтверждения подписи', inputMode: 'tel' },
  email: { label: 'Электронная почта', placeholder: 'ivanov@example.ru', inputMode: 'email', forIssuance: true, hint: 'Нужна для выпуска сертификата' },
  inn: { label: 'ИНН', placeholder: '12 цифр', inputMode: 'numeric', forIssuance: true, hint: 'Нужен для выпуска сертификата' },
  snils: { label: 'СНИЛС', placeholder: '123-456-789 01', inputMode: 'numeric' },
  birthDate: { label: 'Дата рождения', placeholder: 'ДД.ММ.ГГГГ' },
  position: { label: 'Должность' },
  department: { label: 'Подразделение' },
};

export const EMPLOYEE_FIELD_ORDER: EmployeeField[] = [
  'lastName', 'firstName', 'middleName', 'phone', 'email', 'inn', 'snils', 'birthDate', 'position', 'department',
];

/** The fields a certificate issue takes from the card, in the form's order. */
export const ISSUANCE_FIELDS: EmployeeField[] = EMPLOYEE_FIELD_ORDER.filter((field) => EMPLOYEE_FIELDS[field].forIssuance);

/** What the card lacks for issuing a certificate, by label. */
export function missingForIssuance(employee: Partial<Record<EmployeeField, string | null>>): EmployeeField[] {
  return ISSUANCE_FIELDS.filter((field) => !employee[field]?.trim());
}

export function employeeFieldLabel(field: string): string {
  return (EMPLOYEE_FIELDS as Record<string, EmployeeFieldInfo | undefined>)[field]?.label ?? field;
}

export function fullName(employee: { lastName: string; firstName: string; middleName: string | null }): string {
  return [employee.lastName, employee.firstName, employee.middleName].filter(Boolean).join(' ');
}
