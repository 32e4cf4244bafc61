// Identity binding: who an issue's applicant is, and whether a certificate, an ESIA confirmation
// or an identification by an employee really concerns that person. A certificate belongs to a
// card only when its SNILS (and its INN, where both carry one) are the card's; the ESIA
// confirmation uses the applicant's own SNILS and birth date; nobody identifies himself.
import { checkDate, checkSnils } from '../domain/identifiers.ts';
import type { CertificateSummary } from '../crypto/x509.ts';
import type { KcrIssue } from '../kontur/kcr-types.ts';
import type { Employee } from './employees.ts';
import type { FieldProblem } from './errors.ts';

/** What is known of the applicant: SNILS and INN as digits, the birth date as YYYY-MM-DD. */
export interface ApplicantIdentity {
  employeeId: string | null;
  snils: string | null;
  inn: string | null;
  birthDate: string | null;
}

const digitsOf = (value: string | null | undefined): string | null => {
  const digits = value?.replace(/\D/g, '') ?? '';
  return digits || null;
};

function requisite(issue: KcrIssue | undefined, documentType: string, type: string): string | null {
  return issue?.documents?.find((d) => d.type === documentType)?.requisites?.find((r) => r.type === type)?.value ?? null;
}

/**
 * The applicant as the employee card says (the card the issue was created for), completed from
 * what the issue itself holds (its SNILS document, the passport's birth date, the subject's INN).
 */
export function applicantIdentity(employee: Employee | undefined, issue: KcrIssue | undefined): ApplicantIdentity {
  const issueBirthDate = requisite(issue, 'passport', 'birthDate');
  const checkedIssueBirthDate = issueBirthDate ? checkDate(issueBirthDate) : undefined;
  return {
    employeeId: employee?.id ?? null,
    snils: digitsOf(employee?.snils) ?? digitsOf(requisite(issue, 'snils', 'number')),
    inn: digitsOf(employee?.inn) ?? digitsOf(issue?.subjectInfo?.inn),
    birthDate: employee?.birthDate ?? (checkedIssueBirthDate?.ok ? checkedIssueBirthDate.value : null),
  };
}

const formatSnils = (digits: string) => (digits.length === 11 ? `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9)}` : digits);

/**
 * Why a certificate does not belong to an employee card, one problem per mismatch (empty when it
 * does): its SNILS must be the card's, and its person's INN (12 digits) the card's where both have one.
 */
export function certificateOwnerMismatches(certificate: CertificateSummary, employee: Employee): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const certificateSnils = digitsOf(certificate.subjectFields.SNILS);
  const cardSnils = digitsOf(employee.snils);
  if (!certificateSnils) problems.push({ field: 'certificate.snils', message: 'В сертификате нет СНИЛС: нельзя убедиться, что он выдан этому сотруднику' });
  else if (!cardSnils) problems.push({ field: 'employee.snils', message: 'В карточке сотрудника нет СНИЛС: заполните его, чтобы привязать сертификат' });
  else if (certificateSnils !== cardSnils) {
    problems.push({ field: 'snils', message: `СНИЛС в сертификате (${formatSnils(certificateSnils)}) не совпадает со СНИЛС в карточке сотрудника (${formatSnils(cardSnils)})` });
  }
  const certificateInn = digitsOf(certificate.subjectFields.INN);
  const cardInn = digitsOf(employee.inn);
  if (certificateInn?.length === 12 && cardInn && certificateInn !== cardInn) {
    problems.push({ field: 'inn', message: `ИНН в сертификате (${certificateInn}) не совпадает с ИНН в карточке сотрудника (${cardInn})` });
  }
  return problems;
}

/** The earliest birth date accepted. */
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** A birth date as YYYY-MM-DD, refused when it is in the future or before 1900. */
export function checkBirthDate(raw: string, today = new Date()): { ok: true; value: string } | { ok: false; message: string } {
  const checked = checkDate(raw);
  if (!checked.ok) return { ok: false, message: checked.message };
  if (checked.value < EARLIEST_BIRTH_DATE) return { ok: false, message: 'Дата рождения не может быть раньше 1900 года' };
  if (checked.value > today.toISOString().slice(0, 10)) return { ok: false, message: 'Дата рождения не может быть в будущем' };
  return { ok: true, value: checked.value };
}

/**
 * The SNILS and birth date an ESIA confirmation is requested with: the applicant's own. Values
 * given explicitly must be the applicant's (`mismatches`); where the applicant's are not known,
 * the given ones are taken. Bad or missing values are `invalid`.
 */
export function esiaConfirmationValues(
  applicant: ApplicantIdentity,
  given: { snils?: string; birthDate?: string },
): { snils: string; birthDate: string } | { invalid: FieldProblem[]; mismatches: FieldProblem[] } {
  const invalid: FieldProblem[] = [];
  const mismatches: FieldProblem[] = [];
  let snils = applicant.snils;
  if (given.snils !== undefined && given.snils.trim() !== '') {
    const checked = checkSnils(given.snils);
    if (!checked.ok) invalid.push({ field: 'snils', message: checked.message });
    else if (snils && digitsOf(checked.value) !== snils) {
      mismatches.push({ field: 'snils', message: `СНИЛС не совпадает со СНИЛС заявителя (${formatSnils(snils)}): подтвердить выпуск в Госуслугах может только сам заявитель` });
    } else snils = digitsOf(checked.value);
  } else if (!snils) invalid.push({ field: 'snils', message: 'Обязательное поле: СНИЛС заявителя' });
  let birthDate = applicant.birthDate;
  if (given.birthDate !== undefined && given.birthDate.trim() !== '') {
    const checked = checkBirthDate(given.birthDate);
    if (!checked.ok) invalid.push({ field: 'birthDate', message: checked.message });
    else if (birthDate && checked.value !== birthDate) mismatches.push({ field: 'birthDate', message: 'Дата рождения не совпадает с датой рождения заявителя' });
    else birthDate = checked.value;
  } else if (!birthDate) invalid.push({ field: 'birthDate', message: 'Обязательное поле: дата рождения заявителя' });
  else {
    const checked = checkBirthDate(birthDate);
    if (!checked.ok) invalid.push({ field: 'employee.birthDate', message: checked.message });
  }
  if (invalid.length || mismatches.length) return { invalid, mismatches };
  return { snils: snils!, birthDate: birthDate! };
}

/** Why an employee may not identify the applicant: he is the applicant (the same card, SNILS or INN). */
export function selfIdentificationProblem(applicant: ApplicantIdentity, identifier: Employee): FieldProblem | undefined {
  const same =
    (applicant.employeeId !== null && applicant.employeeId === identifier.id) ||
    (applicant.snils !== null && applicant.snils === digitsOf(identifier.snils)) ||
    (applicant.inn !== null && applicant.inn === digitsOf(identifier.inn));
  return same ? { field: 'identifiedByEmployeeId', message: 'Удостоверить личность заявителя должен другой сотрудник: заявитель не может удостоверить сам себя' } : undefined;
}
