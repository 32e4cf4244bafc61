// Checks of Russian identifiers and personal data as the sandbox (playing Kontur) applies them
// to what clients send: INN, SNILS, mobile phone, e-mail, names, passport fields, dates. Written
// for the sandbox from the public rules (control digits of INN and SNILS, formats of docs/kontur-api.md
// §1, §4 and §6), not shared with the bridge. Each check returns the stored form or a problem in
// Russian, which the sandbox puts into error.details[].message.

export type Reading<T = string> = { value: T; problem?: undefined } | { value?: undefined; problem: string };

const read = <T>(value: T): Reading<T> => ({ value });
const refuse = (problem: string): Reading<never> => ({ problem });

/** Σ digits[i]·weights[i] mod 11 mod 10: the INN control digit. */
function innControlDigit(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((weight, i) => (sum += weight * digits[i]));
  return (sum % 11) % 10;
}

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_FIRST_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_SECOND_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/** INN: 12 digits for a person, 10 for an organization (`owner`), with their control digits. */
export function readInn(raw: string, owner: 'person' | 'organization' | 'either'): Reading {
  const inn = raw.trim();
  if (!/^\d{10}$|^\d{12}$/.test(inn)) return refuse('ИНН — это 10 цифр (организация) или 12 цифр (физическое лицо)');
  if (owner === 'person' && inn.length !== 12) return refuse('ИНН физического лица — 12 цифр');
  if (owner === 'organization' && inn.length !== 10) return refuse('ИНН организации — 10 цифр');
  const digits = [...inn].map(Number);
  const valid =
    inn.length === 10
      ? innControlDigit(digits, INN10_WEIGHTS) === digits[9]
      : innControlDigit(digits, INN12_FIRST_WEIGHTS) === digits[10] && innControlDigit(digits, INN12_SECOND_WEIGHTS) === digits[11];
  return valid ? read(inn) : refuse('Контрольные цифры ИНН не сходятся');
}

/** SNILS digits from `NNN-NNN-NNN NN`, `NNNNNNNNNNN` or anything between (spaces and hyphens dropped). */
export function snilsDigits(raw: string): string | undefined {
  const digits = raw.replace(/[\s-]/g, '');
  return /^\d{11}$/.test(digits) ? digits : undefined;
}

/** Whether the SNILS control number (last two digits) matches; numbers up to 001-001-998 have none. */
export function snilsChecksumHolds(digits: string): boolean {
  if (digits.slice(0, 9) <= '001001998') return true;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (9 - i);
  const remainder = sum % 101;
  return (remainder === 100 ? 0 : remainder) === Number(digits.slice(9));
}

/** SNILS with or without separators, with a valid control number; stored as 11 digits. */
export function readSnils(raw: string): Reading {
  const digits = snilsDigits(raw);
  if (!digits) return refuse('СНИЛС — 11 цифр, например 123-456-789 01');
  return snilsChecksumHolds(digits) ? read(digits) : refuse('Неверное контрольное число СНИЛС');
}

/**
 * A Russian mobile number in the spellings clients use: +7 912 345-67-89, 8 (912) 3456789,
 * 79123456789, or the bare ten digits 9123456789; stored as +7XXXXXXXXXX.
 */
export function readMobilePhone(raw: string): Reading {
  const compact = raw.replace(/[\s().-]/g, '');
  const match = /^(?:\+7|7|8)?(9\d{9})$/.exec(compact);
  return match ? read(`+7${match[1]}`) : refuse('Нужен номер мобильного телефона России: +7 и 10 цифр, начиная с 9');
}

export function readEmail(raw: string): Reading {
  const email = raw.trim();
  return email.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email) ? read(email) : refuse('Неверный адрес электронной почты');
}

/** A surname, name or patronymic: Cyrillic letters with single spaces, hyphens or apostrophes between them. */
export function readPersonName(raw: string): Reading {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) return refuse('Не может быть пустым');
  if (name.length > 100) return refuse('Не длиннее 100 символов');
  return /^[А-Яа-яЁё]+(?:[ '-][А-Яа-яЁё]+)*$/.test(name) ? read(name) : refuse('Только буквы русского алфавита, пробел и дефис');
}

/** Passport series: 4 digits, also written `NN NN`. */
export function readPassportSeries(raw: string): Reading {
  const series = raw.replace(/\s/g, '');
  return /^\d{4}$/.test(series) ? read(series) : refuse('Серия паспорта — 4 цифры');
}

export function readPassportNumber(raw: string): Reading {
  const number = raw.trim();
  return /^\d{6}$/.test(number) ? read(number) : refuse('Номер паспорта — 6 цифр');
}

/** Issuer code `NNN-NNN` or `NNNNNN` (both are on the wire); stored as six digits. */
export function readIssuerCode(raw: string): Reading {
  const match = /^(\d{3})-?(\d{3})$/.exec(raw.trim());
  return match ? read(match[1] + match[2]) : refuse('Код подразделения — NNN-NNN');
}

/** Whether year-month-day is a real calendar day. */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A date as the KCR wire writes it in requisites: DD.MM.YYYY only. */
export function readKonturDate(raw: string): Reading {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(raw.trim());
  if (!match) return refuse('Дата в формате ДД.ММ.ГГГГ');
  return isCalendarDay(Number(match[3]), Number(match[2]), Number(match[1])) ? read(match[0]) : refuse('Такой даты нет в календаре');
}

/**
 * A date as clients send it where they format it themselves (ESIA `birthDate`): DD.MM.YYYY,
 * YYYY-MM-DD, or an ISO date-time (`1990-05-17T00:00:00+05:00`), of which the date as written is
 * taken (no shift to UTC: the client meant that calendar day). Stored as DD.MM.YYYY.
 */
export function readLooseDate(raw: string): Reading {
  const text = raw.trim();
  const russian = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  const [day, month, year] = russian ? [russian[1], russian[2], russian[3]] : iso ? [iso[3], iso[2], iso[1]] : [];
  if (!year) return refuse('Дата в формате ДД.ММ.ГГГГ, ГГГГ-ММ-ДД или ГГГГ-ММ-ДДTчч:мм:сс');
  return isCalendarDay(Number(year), Number(month), Number(day)) ? read(`${day}.${month}.${year}`) : refuse('Такой даты нет в календаре');
}

/** Years from a DD.MM.YYYY date to `today`. */
export function yearsSince(konturDate: string, today: Date): number {
  const [day, month, year] = konturDate.split('.').map(Number);
  return (today.getTime() - Date.UTC(year, month - 1, day)) / (365.25 * 86_400_000);
}
