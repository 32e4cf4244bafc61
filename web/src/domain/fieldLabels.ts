// The names people see for the fields the server names in its problems ("email" → "Электронная
// почта"), so that a refusal says which field it is about, in the words of the forms.
import { EMPLOYEE_FIELDS } from './employeeFields.ts';

const FIELD_LABELS: Record<string, string> = {
  mobilePhone: EMPLOYEE_FIELDS.phone.label,
  series: 'Серия паспорта',
  number: 'Номер',
  issueDate: 'Дата выдачи',
  issuerCode: 'Код подразделения',
  issuerName: 'Кем выдан',
  birthPlace: 'Место рождения',
  smsCode: 'Код из СМС',
  username: 'Имя пользователя',
  password: 'Пароль',
  displayName: 'Имя для показа',
  role: 'Роль',
  employeeId: 'Сотрудник',
  ownerEmployeeId: 'Сотрудник',
  fileName: 'Имя файла',
  data: 'Файл',
  body: 'Файл',
  documentType: 'Вид документа',
  cspType: 'Вид сертификата',
};

/** The label of a field the server named (`applicant.email` is the applicant's e-mail), if it has one. */
export function fieldLabel(field: string): string | undefined {
  const name = field.split('.').pop() ?? field;
  return (EMPLOYEE_FIELDS as Record<string, { label: string } | undefined>)[name]?.label ?? FIELD_LABELS[name] ?? FIELD_LABELS[field];
}

/**
 * One style for a problem shown away from its field: "Электронная почта: обязательное поле".
 * A message that names its field already, or a field without a label (the issue as a whole), stays as it is.
 */
export function fieldProblemText(problem: { field: string; message: string }): string {
  const label = fieldLabel(problem.field);
  if (!label || problem.message.toLowerCase().startsWith(label.toLowerCase())) return problem.message;
  return `${label}: ${lowerFirst(problem.message)}`;
}

function lowerFirst(text: string): string {
  // "Обязательное поле" → "обязательное поле"; keep abbreviations ("ИНН …", "СНИЛС …") as they are.
  return /^[А-ЯЁA-Z][а-яёa-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}
