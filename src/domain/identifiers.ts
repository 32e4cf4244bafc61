// Russian identifiers and personal data checks, shared by the services and the Kontur clients
// (the sandbox has its own). Pure functions: a value in, a normalized value or a Russian message out.

export type Checked<T = string> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (message: string): Checked<never> => ({ ok: false, message });

function digitsOf(value: string): number[] {
  return [...value].map(Number);
}

function weightedSum(digits: number[], weights: number[]): number {
  return weights.reduce((sum, weight, i) => sum + weight * digits[i], 0);
}

/** INN control digit: weighted sum mod 11, then mod 10. */
function innControl(digits: number[], weights: number[]): number {
  return (weightedSum(digits, weights) % 11) % 10;
}

/** INN of a legal entity (10 digits) or of a person (12 digits), with control digits. */
export function checkInn(raw: string, kind: 'any' | 'person' | 'legal' = 'any'): Checked {
  const value = raw.trim();
  if (!/^\d+$/.test(value)) return fail('ИНН должен состоять только из цифр');
  if (kind === 'person' && value.length !== 12) return fail('ИНН физического лица состоит из 12 цифр');
  if (kind === 'legal' && value.length !== 10) return fail('ИНН юридического лица состоит из 10 цифр');
  const d = digitsOf(value);
  if (value.length === 10) {
    if (innControl(d, [2, 4, 10, 3, 5, 9, 4, 6, 8]) !== d[9]) return fail('Неверное контрольное число ИНН');
    return ok(value);
  }
  if (value.length === 12) {
    const first = innControl(d, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    const second = innControl(d, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
    if (first !== d[10] || second !== d[11]) return fail('Неверное контрольное число ИНН');
    return ok(value);
  }
  return fail('ИНН состоит из 10 цифр (организация) или 12 цифр (физическое лицо)');
}

/** SNILS: 11 digits, stored as NNN-NNN-NNN NN. The control number is checked for numbers above 001-001-998. */
export function checkSnils(raw: string): Checked {
  const digits = raw.replace(/[\s-]/g, '');
  if (!/^\d{11}$/.test(digits)) return fail('СНИЛС состоит из 11 цифр: NNN-NNN-NNN NN');
  const d = digitsOf(digits);
  const number = digits.slice(0, 9);
  if (number > '001001998') {
    const sum = weightedSum(d, [9, 8, 7, 6, 5, 4, 3, 2, 1]);
    let control = sum % 101;
    if (control === 100) control = 0;
    if (control !== Number(digits.slice(9))) return fail('Неверное контрольное число СНИЛС');
  }
  return ok(formatSnils(digits));
}

export function formatSnils(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9, 11)}`;
}

/** OGRN (13 digits) or OGRNIP (15 digits) with the control digit. */
export function checkOgrn(raw: string): Checked {
  const value = raw.trim();
  if (!/^\d{13}$|^\d{15}$/.test(value)) return fail('ОГРН состоит из 13 цифр, ОГРНИП из 15 цифр');
  const body = BigInt(value.slice(0, -1));
  const divisor = value.length === 13 ? 11n : 13n;
  const control = Number((body % divisor) % 10n);
  if (control !== Number(value.at(-1))) return fail('Неверное контрольное число ОГРН');
  return ok(value);
}

export function checkKpp(raw: string): Checked {
  const value = raw.trim().toUpperCase();
  if (!/^\d{4}[\dA-Z]{2}\d{3}$/.test(value)) return fail('КПП состоит из 9 символов: NNNNXXNNN');
  return ok(value);
}

/** Russian mobile phone in any common spelling (8 912 ..., +7 (912) ..., 912...), stored as +7XXXXXXXXXX. */
export function checkMobilePhone(raw: string): Checked {
  let digits = raw.replace(/[\s()\-.]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (!/^\d+$/.test(digits)) return fail('Телефон может содержать только цифры, пробелы, скобки, дефисы и + в начале');
  if (digits.length === 11 && (digits[0] === '8' || digits[0] === '7')) digits = digits.slice(1);
  if (digits.length !== 10) return fail('Мобильный телефон должен содержать 10 цифр после +7');
  if (digits[0] !== '9') return fail('Номер мобильного телефона в России начинается с 9 после +7');
  return ok(`+7${digits}`);
}

export function checkEmail(raw: string): Checked {
  const value = raw.trim();
  if (value.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return fail('Неверный адрес электронной почты');
  return ok(value.toLowerCase());
}

/** Person's name part in Cyrillic: letters, hyphen, apostrophe and single spaces. */
export function checkCyrillicName(raw: string): Checked {
  const value = raw.trim().replace(/\s+/g, ' ');
  if (value === '') return fail('Поле не может быть пустым');
  if (value.length > 100) return fail('Не длиннее 100 символов');
  if (!/^[А-ЯЁа-яё]+(?:[ '\-][А-ЯЁа-яё]+)*$/.test(value)) return fail('Используйте только буквы кириллицы, дефис и пробел');
  return ok(value);
}

export function checkPassportSeries(raw: string): Checked {
  const value = raw.replace(/\s/g, '');
  if (!/^\d{4}$/.test(value)) return fail('Серия паспорта состоит из 4 цифр');
  return ok(value);
}

export function checkPassportNumber(raw: string): Checked {
  const value = raw.trim();
  if (!/^\d{6}$/.test(value)) return fail('Номер паспорта состоит из 6 цифр');
  return ok(value);
}

/** Passport issuer code: NNN-NNN (also accepted without the hyphen). */
export function checkIssuerCode(raw: string): Checked {
  const value = raw.trim();
  const match = /^(\d{3})-?(\d{3})$/.exec(value);
  if (!match) return fail('Код подразделения в формате NNN-NNN');
  return ok(`${match[1]}-${match[2]}`);
}

/** A calendar date as YYYY-MM-DD or DD.MM.YYYY; returns YYYY-MM-DD. */
export function checkDate(raw: string): Checked {
  const value = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const russian = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : russian ? [russian[3], russian[2], russian[1]] : [];
  if (!year) return fail('Дата в формате ДД.ММ.ГГГГ или ГГГГ-ММ-ДД');
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    return fail('Такой даты не существует');
  }
  return ok(`${year}-${month}-${day}`);
}

/** A document's issue date: a real date, not in the future (Moscow's day, a day's leeway for time zones). */
export function checkIssueDate(raw: string, today = new Date()): Checked {
  const date = checkDate(raw);
  if (!date.ok) return date;
  if (Date.parse(`${date.value}T00:00:00Z`) > today.getTime() + 24 * 3600 * 1000) return fail('Дата выдачи не может быть в будущем');
  return date;
}

export function checkBirthDate(raw: string, today = new Date()): Checked {
  const date = checkDate(raw);
  if (!date.ok) return date;
  const born = new Date(`${date.value}T00:00:00Z`);
  const age = (today.getTime() - born.getTime()) / (365.25 * 24 * 3600 * 1000);
  if (age < 14) return fail('Сотруднику должно быть не меньше 14 лет');
  if (age > 120) return fail('Проверьте год рождения');
  return date;
}

/** DD.MM.YYYY, the format Kontur's KCR API uses for dates. */
export function toKonturDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}
