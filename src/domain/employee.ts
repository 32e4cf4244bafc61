// The employee card (the manual's StaffEmployee): what it holds and how its fields are checked.
import {
  checkBirthDate,
  checkCyrillicName,
  checkEmail,
  checkInn,
  checkMobilePhone,
  checkSnils,
  type Checked,
} from './identifiers.ts';

export interface EmployeeFields {
  lastName: string;
  firstName: string;
  middleName: string | null;
  email: string | null;
  phone: string;
  inn: string | null;
  snils: string | null;
  birthDate: string | null;
  position: string | null;
  department: string | null;
}

export type EmployeeInput = { [K in keyof EmployeeFields]?: string | null };

export interface FieldError {
  field: string;
  message: string;
}

type FieldRule = { required: boolean; check: (value: string) => Checked; label: string };

function freeText(max: number): (value: string) => Checked {
  return (value) => {
    const trimmed = value.trim().replace(/\s+/g, ' ');
    return trimmed.length > max ? { ok: false, message: `Не длиннее ${max} символов` } : { ok: true, value: trimmed };
  };
}

export const EMPLOYEE_FIELDS: Record<keyof EmployeeFields, FieldRule> = {
  lastName: { required: true, check: checkCyrillicName, label: 'Фамилия' },
  firstName: { required: true, check: checkCyrillicName, label: 'Имя' },
  middleName: { required: false, check: checkCyrillicName, label: 'Отчество' },
  email: { required: false, check: checkEmail, label: 'Электронная почта' },
  phone: { required: true, check: checkMobilePhone, label: 'Мобильный телефон' },
  inn: { required: false, check: (v) => checkInn(v, 'person'), label: 'ИНН' },
  snils: { required: false, check: checkSnils, label: 'СНИЛС' },
  birthDate: { required: false, check: (v) => checkBirthDate(v), label: 'Дата рождения' },
  position: { required: false, check: freeText(200), label: 'Должность' },
  department: { required: false, check: freeText(200), label: 'Подразделение' },
};

export type EmployeeCheck = { ok: true; value: EmployeeFields } | { ok: false; errors: FieldError[] };

/** Checks a whole card. Empty strings clear optional fields; required fields must be present and non-empty. */
export function checkEmployee(input: EmployeeInput): EmployeeCheck {
  const errors: FieldError[] = [];
  const value: Partial<Record<keyof EmployeeFields, string | null>> = {};
  for (const [field, rule] of Object.entries(EMPLOYEE_FIELDS) as [keyof EmployeeFields, FieldRule][]) {
    const raw = input[field];
    if (raw === undefined || raw === null || raw.trim() === '') {
      if (rule.required) errors.push({ field, message: `Заполните поле «${rule.label}»` });
      else value[field] = null;
      continue;
    }
    const checked = rule.check(raw);
    if (checked.ok) value[field] = checked.value;
    // Identifier checks already name what they check ("Неверное контрольное число ИНН").
    else errors.push({ field, message: checked.message.includes(rule.label) ? checked.message : `${rule.label}: ${checked.message}` });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: value as EmployeeFields };
}

export function fullName(employee: Pick<EmployeeFields, 'lastName' | 'firstName' | 'middleName'>): string {
  return [employee.lastName, employee.firstName, employee.middleName].filter(Boolean).join(' ');
}
