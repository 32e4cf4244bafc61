// The rules the KCR sandbox enforces on issue data: field checks (400 with details[].target),
// the SMEV checks derived from the data, and what an issue needs before it may be validated.
import {
  checkCyrillicName,
  checkDate,
  checkEmail,
  checkInn,
  checkIssuerCode,
  checkMobilePhone,
  checkPassportNumber,
  checkPassportSeries,
  checkSnils,
  type Checked,
} from '../domain/identifiers.ts';
import { DOCUMENT_TYPES, SMEV_ERROR_NAMES, type DocumentType, type SmevLevel } from '../domain/issue.ts';
import type { SandboxDocument } from './store/kcr-schema.ts';
import type { KcrErrorDetail } from './kcr-error.ts';

export const SUBJECT_TYPES = ['naturalPerson', 'legalEntity', 'individualEntrepreneur'] as const;
export const TEMPLATE_KINDS = ['notQualified', 'qualified'] as const;
export const CSP_TYPES = ['cryptoPro', 'dss'] as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A date on the KCR wire: DD.MM.YYYY only. */
function checkKonturDate(raw: string): Checked {
  if (!/^\d{2}\.\d{2}\.\d{4}$/.test(raw)) return { ok: false, message: 'Date must be DD.MM.YYYY' };
  const checked = checkDate(raw);
  return checked.ok ? { ok: true, value: raw } : checked;
}

const SUBJECT_FIELDS: Record<string, (value: string, subjectType: string) => Checked> = {
  inn: (value, type) => checkInn(value, type === 'naturalPerson' ? 'person' : 'any'),
  lastname: checkCyrillicName,
  firstname: checkCyrillicName,
  middlename: checkCyrillicName,
  email: checkEmail,
  phone: checkMobilePhone,
};

/** Checks subjectInfo (whole on create, partial on PATCH) and returns it normalized. */
export function checkSubjectInfo(raw: unknown, details: KcrErrorDetail[], current?: Json): Json {
  if (!isObject(raw)) {
    details.push({ code: 'Required', target: 'subjectInfo', message: 'subjectInfo is required' });
    return {};
  }
  const result: Json = { ...(current ?? {}) };
  const type = raw.type ?? current?.type;
  if (typeof type !== 'string' || !(SUBJECT_TYPES as readonly string[]).includes(type)) {
    details.push({ code: 'InvalidValue', target: 'subjectInfo.type', message: `subjectInfo.type must be one of ${SUBJECT_TYPES.join(', ')}` });
  } else result.type = type;
  for (const [field, value] of Object.entries(raw)) {
    if (field === 'type') continue;
    if (field === 'organizationInfo') {
      if (value !== null && !isObject(value)) details.push({ code: 'InvalidValue', target: 'subjectInfo.organizationInfo', message: 'must be an object' });
      else result.organizationInfo = value;
      continue;
    }
    const check = SUBJECT_FIELDS[field];
    if (!check) {
      details.push({ code: 'UnknownField', target: `subjectInfo.${field}`, message: `Unknown field subjectInfo.${field}` });
      continue;
    }
    if (value === null || value === '') {
      result[field] = null;
      continue;
    }
    if (typeof value !== 'string') {
      details.push({ code: 'InvalidValue', target: `subjectInfo.${field}`, message: 'must be a string' });
      continue;
    }
    const checked = check(value, String(type));
    if (checked.ok) result[field] = checked.value;
    else details.push({ code: 'InvalidValue', target: `subjectInfo.${field}`, message: checked.message });
  }
  return result;
}

export function checkTemplateInfo(raw: unknown, details: KcrErrorDetail[]): Json {
  if (raw === undefined) return { type: 'notQualified', useAreas: [], nonExportable: false };
  if (!isObject(raw) || typeof raw.type !== 'string' || !(TEMPLATE_KINDS as readonly string[]).includes(raw.type)) {
    details.push({ code: 'InvalidValue', target: 'certificateTemplateInfo.type', message: `must be one of ${TEMPLATE_KINDS.join(', ')}` });
    return {};
  }
  if (raw.useAreas !== undefined && (!Array.isArray(raw.useAreas) || raw.useAreas.some((area) => typeof area !== 'string'))) {
    details.push({ code: 'InvalidValue', target: 'certificateTemplateInfo.useAreas', message: 'must be an array of strings' });
  }
  return { type: raw.type, useAreas: raw.useAreas ?? [], nonExportable: raw.nonExportable === true };
}

export function checkCspInfo(raw: unknown, details: KcrErrorDetail[]): Json {
  if (raw === undefined) return { type: 'cryptoPro', addCryptoProLicense: false };
  if (!isObject(raw) || typeof raw.type !== 'string' || !(CSP_TYPES as readonly string[]).includes(raw.type)) {
    details.push({ code: 'InvalidValue', target: 'cspInfo.type', message: `must be one of ${CSP_TYPES.join(', ')}` });
    return {};
  }
  const result: Json = { type: raw.type, addCryptoProLicense: raw.addCryptoProLicense === true };
  if (raw.type === 'dss') result.dssApplication = raw.dssApplication ?? 'myDss';
  return result;
}

const REQUISITE_CHECKS: Partial<Record<DocumentType, Record<string, (value: string) => Checked>>> = {
  passport: {
    series: checkPassportSeries,
    number: checkPassportNumber,
    issueDate: checkKonturDate,
    birthDate: checkKonturDate,
    birthPlace: (value) => (value.trim() ? { ok: true, value: value.trim() } : { ok: false, message: 'must not be empty' }),
    issueOrganizationId: (value) => {
      const checked = checkIssuerCode(value);
      return checked.ok ? { ok: true, value: checked.value.replace('-', '') } : checked;
    },
    issueOrganizationName: (value) => ({ ok: true, value: value.trim() }),
  },
  otherIdentity: {
    series: (value) => ({ ok: true, value }),
    number: (value) => (value.trim() ? { ok: true, value: value.trim() } : { ok: false, message: 'must not be empty' }),
    issueDate: checkKonturDate,
    issueOrganizationName: (value) => ({ ok: true, value }),
  },
  // The checksum is not checked here on purpose: a wrong one is a SMEV finding, not a 400.
  snils: { number: (value) => (/^\d{11}$/.test(value.replace(/[\s-]/g, '')) ? { ok: true, value: value.replace(/[\s-]/g, '') } : { ok: false, message: 'SNILS is 11 digits' }) },
  naturalPersonInn: { number: (value) => checkInn(value, 'person') },
};

/** Checks a PUT of document requisites; returns the document's new requisites. */
export function applyRequisites(documentType: DocumentType, body: unknown, current: Record<string, string>, details: KcrErrorDetail[]): Record<string, string> {
  const result = { ...current };
  if (!isObject(body)) {
    details.push({ code: 'Required', target: 'body', message: 'Body must be an object' });
    return result;
  }
  const checks = REQUISITE_CHECKS[documentType] ?? {};
  const add = body.requisitesToAddOrUpdate ?? [];
  const remove = body.requisitesToDelete ?? [];
  if (!Array.isArray(add)) details.push({ code: 'InvalidValue', target: 'requisitesToAddOrUpdate', message: 'must be an array' });
  if (!Array.isArray(remove)) details.push({ code: 'InvalidValue', target: 'requisitesToDelete', message: 'must be an array' });
  if (details.length) return result;
  for (const item of add as unknown[]) {
    if (!isObject(item) || typeof item.type !== 'string' || typeof item.value !== 'string') {
      details.push({ code: 'InvalidValue', target: 'requisitesToAddOrUpdate', message: 'each requisite is {type, value} with strings' });
      continue;
    }
    const check = checks[item.type];
    if (!check) {
      details.push({ code: 'UnknownRequisite', target: `requisitesToAddOrUpdate.${item.type}`, message: `Document ${documentType} has no requisite ${item.type}` });
      continue;
    }
    const checked = check(item.value);
    if (checked.ok) result[item.type] = checked.value;
    else details.push({ code: 'InvalidValue', target: `requisitesToAddOrUpdate.${item.type}`, message: checked.message });
  }
  for (const type of remove as unknown[]) {
    if (typeof type === 'string') delete result[type];
  }
  return result;
}

export function isDocumentType(value: string): value is DocumentType {
  return (DOCUMENT_TYPES as readonly string[]).includes(value);
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
  if (passport && passport.series && passport.number) {
    const errors: SmevValidation['errors'] = [];
    if (passport.number === '000000') errors.push({ code: 'PassportLost', level: 'fatal' });
    if (passport.series.startsWith('00')) errors.push({ code: 'PassportReplaced', level: 'warning' });
    if (passport.issueDate && passport.birthDate) {
      const years = (date: string) => (today.getTime() - Date.parse(date.split('.').reverse().join('-'))) / (365.25 * 86_400_000);
      if (years(passport.issueDate) > 20 && years(passport.birthDate) > 45) errors.push({ code: 'PassportExpired', level: 'warning' });
    }
    results.push({ documentType: 'passport', state: errors.length ? 'invalid' : 'valid', errors });
  }
  const snils = documents.snils?.requisites.number;
  if (snils) {
    const errors: SmevValidation['errors'] = [];
    if (!checkSnils(snils).ok) errors.push({ code: 'NotValidSnilsChecksum', level: 'fatal' });
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
  return SMEV_ERROR_NAMES[code] ?? code;
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
    if (!issue.subjectInfo[field]) problems.push({ code: 'RequiredFieldMissing', target: `subjectInfo.${field}`, message: `subjectInfo.${field} is required for validation` });
  }
  const identity = issue.documents.passport ?? issue.documents.otherIdentity;
  const identityType = issue.documents.passport ? 'passport' : issue.documents.otherIdentity ? 'otherIdentity' : 'passport';
  if (!identity) {
    problems.push({ code: 'DocumentMissing', target: 'documents.passport', message: 'An identity document is required' });
  } else {
    const needed = identityType === 'passport' ? ['series', 'number', 'issueDate', 'issueOrganizationId'] : ['number', 'issueDate'];
    for (const requisite of needed) {
      if (!identity.requisites[requisite]) problems.push({ code: 'RequisiteMissing', target: `documents.${identityType}.${requisite}`, message: `${identityType}.${requisite} is required` });
    }
    if (identity.pages.length === 0) problems.push({ code: 'ScanMissing', target: `documents.${identityType}.pages`, message: `A scan of ${identityType} is required` });
  }
  const statementScanned = (issue.documents.releaseStatement?.pages.length ?? 0) > 0;
  if (!issue.statementSignedBy && !statementScanned) {
    problems.push({ code: 'ReleaseStatementNotSigned', target: 'documents.releaseStatement', message: 'The release statement must be signed (SMS or ESIA) or its signed scan attached' });
  }
  for (const validation of issue.smevValidations) {
    for (const error of validation.errors) {
      if (error.level === 'fatal') problems.push({ code: error.code, target: `documents.${validation.documentType}`, message: smevErrorMessage(error.code) });
    }
  }
  return problems;
}
