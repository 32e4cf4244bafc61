// The rules the KCR sandbox enforces on issue data, on its own vocabulary and identifier checks:
// field checks (400 with details[].target), the SMEV findings derived from the data, and what an
// issue needs before it may be validated.
import {
  CERTIFICATE_KINDS,
  CSP_TYPES,
  SMEV_ERROR_DESCRIPTIONS,
  SUBJECT_TYPES,
  type DocumentType,
  type SmevLevel,
} from './kcr-vocabulary.ts';
import {
  readEmail,
  readInn,
  readIssuerCode,
  readKonturDate,
  readMobilePhone,
  readPassportNumber,
  readPassportSeries,
  readPersonName,
  snilsChecksumHolds,
  snilsDigits,
  yearsSince,
  type Reading,
} from './russian-identifiers.ts';
import type { SandboxDocument } from './store/kcr-schema.ts';
import type { KcrErrorDetail } from './kcr-error.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Strings as sent; numbers as their decimal text (a public Python client sends INN and phone as numbers). */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

const SUBJECT_FIELDS: Record<string, (value: string, subjectType: string) => Reading> = {
  inn: (value, type) => readInn(value, type === 'naturalPerson' || type === 'individualEntrepreneur' ? 'person' : 'either'),
  lastname: readPersonName,
  firstname: readPersonName,
  middlename: readPersonName,
  email: readEmail,
  phone: readMobilePhone,
};

/** Checks subjectInfo (whole on create, partial on PATCH) and returns it in stored form. */
export function checkSubjectInfo(raw: unknown, details: KcrErrorDetail[], current?: Json): Json {
  if (!isObject(raw)) {
    details.push({ code: 'Required', target: 'subjectInfo', message: 'Нужны сведения о владельце сертификата (subjectInfo)' });
    return {};
  }
  const result: Json = { ...(current ?? {}) };
  const type = raw.type ?? current?.type;
  if (typeof type !== 'string' || !(SUBJECT_TYPES as readonly string[]).includes(type)) {
    details.push({ code: 'InvalidValue', target: 'subjectInfo.type', message: `Одно из значений: ${SUBJECT_TYPES.join(', ')}` });
  } else result.type = type;
  for (const [field, value] of Object.entries(raw)) {
    if (field === 'type') continue;
    if (field === 'organizationInfo') {
      if (value !== null && !isObject(value)) details.push({ code: 'InvalidValue', target: 'subjectInfo.organizationInfo', message: 'Объект или null' });
      else result.organizationInfo = value;
      continue;
    }
    const check = SUBJECT_FIELDS[field];
    if (!check) {
      details.push({ code: 'UnknownField', target: `subjectInfo.${field}`, message: `Нет такого поля: subjectInfo.${field}` });
      continue;
    }
    if (value === null || value === '') {
      result[field] = null;
      continue;
    }
    const text = textOf(value);
    if (text === undefined) {
      details.push({ code: 'InvalidValue', target: `subjectInfo.${field}`, message: 'Ожидается строка' });
      continue;
    }
    const reading = check(text, String(type));
    if (reading.problem === undefined) result[field] = reading.value;
    else details.push({ code: 'InvalidValue', target: `subjectInfo.${field}`, message: reading.problem });
  }
  return result;
}

export function checkTemplateInfo(raw: unknown, details: KcrErrorDetail[]): Json {
  if (raw === undefined || raw === null) return { type: 'notQualified', useAreas: [], nonExportable: false };
  if (!isObject(raw) || typeof raw.type !== 'string' || !(CERTIFICATE_KINDS as readonly string[]).includes(raw.type)) {
    details.push({ code: 'InvalidValue', target: 'certificateTemplateInfo.type', message: `Одно из значений: ${CERTIFICATE_KINDS.join(', ')}` });
    return {};
  }
  const useAreas = raw.useAreas ?? [];
  if (!Array.isArray(useAreas) || useAreas.some((area) => typeof area !== 'string')) {
    details.push({ code: 'InvalidValue', target: 'certificateTemplateInfo.useAreas', message: 'Список строк' });
  }
  return { type: raw.type, useAreas, nonExportable: raw.nonExportable === true };
}

export function checkCspInfo(raw: unknown, details: KcrErrorDetail[]): Json {
  if (raw === undefined || raw === null) return { type: 'cryptoPro', addCryptoProLicense: false };
  if (!isObject(raw) || typeof raw.type !== 'string' || !(CSP_TYPES as readonly string[]).includes(raw.type)) {
    details.push({ code: 'InvalidValue', target: 'cspInfo.type', message: `Одно из значений: ${CSP_TYPES.join(', ')}` });
    return {};
  }
  const result: Json = { type: raw.type, addCryptoProLicense: raw.addCryptoProLicense === true };
  if (raw.type === 'dss') {
    if (raw.dssApplication !== undefined && raw.dssApplication !== null && raw.dssApplication !== 'myDss') {
      details.push({ code: 'InvalidValue', target: 'cspInfo.dssApplication', message: 'myDss' });
    }
    result.dssApplication = 'myDss';
  }
  return result;
}

const nonEmpty = (value: string): Reading => (value.trim() ? { value: value.trim() } : { problem: 'Не может быть пустым' });
const anyText = (value: string): Reading => ({ value: value.trim() });

/** Requisites each document takes (the facts page's passport list; other identity documents as public clients fill them). */
const REQUISITES: Partial<Record<DocumentType, Record<string, (value: string) => Reading>>> = {
  passport: {
    series: readPassportSeries,
    number: readPassportNumber,
    issueDate: readKonturDate,
    birthDate: readKonturDate,
    birthPlace: nonEmpty,
    issueOrganizationId: readIssuerCode,
    issueOrganizationName: anyText,
  },
  otherIdentity: {
    series: anyText,
    number: nonEmpty,
    issueDate: readKonturDate,
    validTo: readKonturDate,
    birthDate: readKonturDate,
    birthPlace: nonEmpty,
    issueOrganization: anyText,
    issueOrganizationName: anyText,
  },
  // The control number is not checked here on purpose: a wrong one is a SMEV finding, not a 400.
  snils: { number: (value) => (snilsDigits(value) ? { value: snilsDigits(value)! } : { problem: 'СНИЛС — 11 цифр' }) },
  naturalPersonInn: { number: (value) => readInn(value, 'person') },
};

/** Checks a PUT of document requisites; returns the document's new requisites. */
export function applyRequisites(documentType: DocumentType, body: unknown, current: Record<string, string>, details: KcrErrorDetail[]): Record<string, string> {
  const result = { ...current };
  if (!isObject(body)) {
    details.push({ code: 'Required', target: 'body', message: 'Тело запроса — объект {requisitesToAddOrUpdate, requisitesToDelete}' });
    return result;
  }
  const checks = REQUISITES[documentType] ?? {};
  const add = body.requisitesToAddOrUpdate ?? [];
  const remove = body.requisitesToDelete ?? [];
  if (!Array.isArray(add)) details.push({ code: 'InvalidValue', target: 'requisitesToAddOrUpdate', message: 'Ожидается список' });
  if (!Array.isArray(remove)) details.push({ code: 'InvalidValue', target: 'requisitesToDelete', message: 'Ожидается список' });
  if (details.length) return result;
  for (const item of add as unknown[]) {
    const text = isObject(item) ? textOf(item.value) : undefined;
    if (!isObject(item) || typeof item.type !== 'string' || text === undefined) {
      details.push({ code: 'InvalidValue', target: 'requisitesToAddOrUpdate', message: 'Каждый реквизит — {type, value} со строками' });
      continue;
    }
    const check = checks[item.type];
    if (!check) {
      details.push({ code: 'UnknownRequisite', target: `requisitesToAddOrUpdate.${item.type}`, message: `У документа ${documentType} нет реквизита ${item.type}` });
      continue;
    }
    const reading = check(text);
    if (reading.problem === undefined) result[item.type] = reading.value;
    else details.push({ code: 'InvalidValue', target: `requisitesToAddOrUpdate.${item.type}`, message: reading.problem });
  }
  for (const type of remove as unknown[]) {
    if (typeof type === 'string') delete result[type];
  }
  return result;
}

export interface SmevValidation {
  documentType: string;
  state: 'inProgress' | 'valid' | 'invalid';
  errors: { code: string; level: SmevLevel }[];
}

/**
 * What the state registries would say, derived from the data so that tests can provoke each
 * answer (documented in docs/sandbox.md):
 * - SNILS with a wrong control number → NotValidSnilsChecksum (fatal);
 *   SNILS starting with 999 → SnilsNotMatchWithPfr (warning).
 * - passport number 000000 → PassportLost (fatal); series starting with 00 → PassportReplaced (warning);
 *   issued more than 20 years ago and the holder older than 45 by now → PassportExpired (warning).
 * - INN starting with 00 → InnNotMatchWithFns (warning).
 */
export function smevChecks(subject: Json, documents: Record<string, SandboxDocument>, today = new Date()): SmevValidation[] {
  const results: SmevValidation[] = [];
  const passport = documents.passport?.requisites;
  if (passport?.series && passport.number) {
    const errors: SmevValidation['errors'] = [];
    if (passport.number === '000000') errors.push({ code: 'PassportLost', level: 'fatal' });
    if (passport.series.startsWith('00')) errors.push({ code: 'PassportReplaced', level: 'warning' });
    if (passport.issueDate && passport.birthDate && yearsSince(passport.issueDate, today) > 20 && yearsSince(passport.birthDate, today) > 45) {
      errors.push({ code: 'PassportExpired', level: 'warning' });
    }
    results.push({ documentType: 'passport', state: errors.length ? 'invalid' : 'valid', errors });
  }
  const snils = documents.snils?.requisites.number;
  if (snils) {
    const errors: SmevValidation['errors'] = [];
    if (!snilsChecksumHolds(snils)) errors.push({ code: 'NotValidSnilsChecksum', level: 'fatal' });
    else if (snils.startsWith('999')) errors.push({ code: 'SnilsNotMatchWithPfr', level: 'warning' });
    results.push({ documentType: 'snils', state: errors.length ? 'invalid' : 'valid', errors });
  }
  const inn = (documents.naturalPersonInn?.requisites.number ?? subject.inn) as string | undefined;
  if (inn) {
    const errors: SmevValidation['errors'] = inn.startsWith('00') ? [{ code: 'InnNotMatchWithFns', level: 'warning' }] : [];
    results.push({ documentType: 'naturalPersonInn', state: errors.length ? 'invalid' : 'valid', errors });
  }
  return results;
}

export function smevErrorMessage(code: string): string {
  return SMEV_ERROR_DESCRIPTIONS[code] ?? code;
}

/** What is still missing before the issue may go to the CA operator. */
export function readinessProblems(issue: {
  subjectInfo: Json;
  documents: Record<string, SandboxDocument>;
  statementSignedBy: string | null;
  smevValidations: SmevValidation[];
}): KcrErrorDetail[] {
  const problems: KcrErrorDetail[] = [];
  for (const field of ['lastname', 'firstname', 'email', 'phone', 'inn']) {
    if (!issue.subjectInfo[field]) problems.push({ code: 'RequiredFieldMissing', target: `subjectInfo.${field}`, message: `Для проверки нужно поле subjectInfo.${field}` });
  }
  const identityType = issue.documents.passport ? 'passport' : issue.documents.otherIdentity ? 'otherIdentity' : undefined;
  if (!identityType) {
    problems.push({ code: 'DocumentMissing', target: 'documents.passport', message: 'Нужен документ, удостоверяющий личность' });
  } else {
    const identity = issue.documents[identityType];
    const needed = identityType === 'passport' ? ['series', 'number', 'issueDate', 'issueOrganizationId'] : ['number', 'issueDate'];
    for (const requisite of needed) {
      if (!identity.requisites[requisite]) problems.push({ code: 'RequisiteMissing', target: `documents.${identityType}.${requisite}`, message: `Не заполнен реквизит ${identityType}.${requisite}` });
    }
    if (identity.pages.length === 0) problems.push({ code: 'ScanMissing', target: `documents.${identityType}.pages`, message: `Нужен скан документа ${identityType}` });
  }
  const statementScanned = (issue.documents.releaseStatement?.pages.length ?? 0) > 0;
  if (!issue.statementSignedBy && !statementScanned) {
    problems.push({ code: 'ReleaseStatementNotSigned', target: 'documents.releaseStatement', message: 'Заявление на выпуск нужно подписать (СМС или Госуслуги) или приложить его подписанный скан' });
  }
  for (const validation of issue.smevValidations) {
    for (const error of validation.errors) {
      if (error.level === 'fatal') problems.push({ code: error.code, target: `documents.${validation.documentType}`, message: smevErrorMessage(error.code) });
    }
  }
  return problems;
}
