// Kontur Реестро's rules as the sandbox applies them, written for the sandbox from seed 004 and
// docs/kontur-api.md §3, §7 (not the bridge's validators: the sandbox must be able to catch the
// bridge's mistakes). Where Kontur publishes nothing, the choice is documented in docs/sandbox.md.
import type { ReestroProblems } from './reestro-error.ts';
import { readInn, snilsChecksumHolds, snilsDigits as sandboxSnilsDigits } from './russian-identifiers.ts';

export const SUBJECT_KINDS = ['person', 'soleProprietor', 'organization'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** seed 004: `externalId` matches ^\w{1,256}$. */
export function isExternalId(value: unknown): value is string {
  return typeof value === 'string' && /^\w{1,256}$/.test(value);
}

/** The identity document list of Реестро ("Документы, удостоверяющие личность физического лица") is the 008001xxxxxx group; 008001001000 is the passport of the RF. */
export const PASSPORT_RF = '008001001000';
export const EGRUL_EXTRACT = '008002008000';
export const FORM_DOCUMENT_CODES = { snils: '100', inn: '200', photo: '5300' } as const;

export type DocumentKind = 'identity' | 'egrul' | 'snils' | 'inn' | 'photo';

export function documentKind(code: unknown): DocumentKind | undefined {
  if (typeof code !== 'string') return undefined;
  if (/^008001\d{6}$/.test(code)) return 'identity';
  if (code === EGRUL_EXTRACT) return 'egrul';
  if (code === FORM_DOCUMENT_CODES.snils) return 'snils';
  if (code === FORM_DOCUMENT_CODES.inn) return 'inn';
  if (code === FORM_DOCUMENT_CODES.photo) return 'photo';
  return undefined;
}

/** Content types a certificate form accepts (seed 004), and the largest content. */
export const FORM_CONTENT_TYPES = ['pdf', 'png', 'jpg', 'jpeg', 'tiff'] as const;
export const MAX_FORM_CONTENT_BYTES = 10 * 1024 * 1024;
/** What the content upload takes at most: more than a form accepts, so BigContentSize can be told. */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

/** The short type a content is known by, from the media type it was uploaded with. */
export function shortContentType(mediaType: string): string {
  const type = mediaType.split(';')[0].trim().toLowerCase();
  const known: Record<string, string> = {
    'application/pdf': 'pdf',
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/jpg': 'jpg',
    'image/pjpeg': 'jpg',
    'image/tiff': 'tiff',
    'text/plain': 'txt',
    'application/octet-stream': 'bin',
    'application/pkix-cert': 'cer',
  };
  return known[type] ?? (type.split('/')[1]?.replace(/^x-/, '') || 'bin');
}

/** Whether the bytes are what their declared type says (a PDF starts with %PDF, and so on). */
export function bytesMatchType(bytes: Buffer, type: string): boolean {
  switch (type) {
    case 'pdf':
      return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    case 'png':
      return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'jpg':
      return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    case 'tiff':
      return bytes.subarray(0, 4).equals(Buffer.from([0x49, 0x49, 0x2a, 0x00])) || bytes.subarray(0, 4).equals(Buffer.from([0x4d, 0x4d, 0x00, 0x2a]));
    default:
      return true;
  }
}

/** JSON bodies: compared case-insensitively, since Kontur's own pages write `Application/json`. */
export function isJsonMediaType(header: string | undefined): boolean {
  return !!header && header.split(';')[0].trim().toLowerCase() === 'application/json';
}

/** Codes of the constituent entities in addresses (01–89, 91–95 and 99 for Baikonur). */
function isRegionCode(value: string): boolean {
  if (!/^\d{2}$/.test(value)) return false;
  const code = Number(value);
  return (code >= 1 && code <= 89) || (code >= 91 && code <= 95) || code === 99;
}

const ADDRESS_LEVELS = ['district', 'city', 'settlement', 'street', 'house', 'building', 'flat'] as const;
/** Levels at the street or below: a form's subject needs one of them (seed 004). */
const STREET_OR_BELOW = ['street', 'house', 'building', 'flat'] as const;

export function addressReachesStreet(address: unknown): boolean {
  const structural = isObject(address) ? address.structuralAddress : undefined;
  return isObject(structural) && STREET_OR_BELOW.some((level) => isObject(structural[level]) && typeof structural[level].name === 'string' && (structural[level].name as string).trim() !== '');
}

function checkAddress(problems: ReestroProblems, field: string, value: unknown): void {
  if (value === undefined || value === null) return problems.required(field);
  const structural = isObject(value) ? value.structuralAddress : undefined;
  if (!isObject(structural)) return problems.required(`${field}.structuralAddress`);
  const region = structural.region;
  if (region === undefined || region === '') problems.required(`${field}.structuralAddress.region`);
  else if (typeof region !== 'string' || !isRegionCode(region)) problems.wrongField(`${field}.structuralAddress.region`, 'not a region code of the Russian Federation');
  if (structural.postalCode !== undefined && !(typeof structural.postalCode === 'string' && /^\d{6}$/.test(structural.postalCode))) problems.wrongField(`${field}.structuralAddress.postalCode`, '6 digits');
  for (const level of ADDRESS_LEVELS) {
    const part = structural[level];
    if (part === undefined || part === null) continue;
    if (!isObject(part) || typeof part.name !== 'string' || part.name.trim() === '' || part.name.length > 200) problems.wrongField(`${field}.structuralAddress.${level}`, '{name, abbreviation} with a name of 1 to 200 characters');
    else if (part.abbreviation !== undefined && (typeof part.abbreviation !== 'string' || part.abbreviation.length > 20)) problems.wrongField(`${field}.structuralAddress.${level}.abbreviation`, 'at most 20 characters');
  }
}

/** YYYY-MM-DD of a real day, not in the future and not before 1900. */
export function isPastDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value && time <= Date.now() && value >= '1900-01-01';
}

const NAME = /^[А-ЯЁа-яё]+(?:[ '-][А-ЯЁа-яё]+)*$/;

function checkName(problems: ReestroProblems, field: string, value: unknown, required: boolean): void {
  if (value === undefined || value === null || value === '') return required ? problems.required(field) : undefined;
  if (typeof value !== 'string' || value.length > 100 || !NAME.test(value.trim())) problems.wrongField(field, 'Cyrillic letters, hyphens and spaces, at most 100');
}

/** 11 digits, written NNN-NNN-NNN NN or bare (the control number is the registries' business: see smevFindings). */
function snilsDigits(value: unknown): string | undefined {
  return typeof value === 'string' ? sandboxSnilsDigits(value) : undefined;
}

export function checkIdentityDocument(problems: ReestroProblems, field: string, value: unknown): void {
  if (!isObject(value)) return problems.required(field);
  if (value.documentType === undefined) problems.required(`${field}.documentType`);
  else if (documentKind(value.documentType) !== 'identity') problems.wrongField(`${field}.documentType`, 'not an identity document code (008001xxxxxx)');
  if (value.documentType === PASSPORT_RF) {
    if (value.series === undefined) problems.required(`${field}.series`);
    else if (!(typeof value.series === 'string' && /^\d{4}$/.test(value.series))) problems.wrongField(`${field}.series`, '4 digits');
    if (value.number === undefined) problems.required(`${field}.number`);
    else if (!(typeof value.number === 'string' && /^\d{6}$/.test(value.number))) problems.wrongField(`${field}.number`, '6 digits');
    const issuer = isObject(value.issuer) ? value.issuer : undefined;
    if (!issuer) problems.required(`${field}.issuer`);
    else {
      if (!(typeof issuer.issuerCode === 'string' && /^\d{3}-\d{3}$/.test(issuer.issuerCode))) problems.wrongField(`${field}.issuer.issuerCode`, 'NNN-NNN');
      if (!(typeof issuer.issuerName === 'string' && issuer.issuerName.trim())) problems.required(`${field}.issuer.issuerName`);
    }
  } else if (value.number === undefined) problems.required(`${field}.number`);
  if (value.issueDate === undefined) problems.required(`${field}.issueDate`);
  else if (!isPastDate(value.issueDate)) problems.wrongField(`${field}.issueDate`, 'a past date YYYY-MM-DD');
}

function checkPerson(problems: ReestroProblems, field: string, person: Record<string, unknown>, soleProprietor: boolean): void {
  checkName(problems, `${field}.name`, person.name, true);
  checkName(problems, `${field}.surname`, person.surname, true);
  checkName(problems, `${field}.patronymic`, person.patronymic, false);
  if (person.dateBirth === undefined) problems.required(`${field}.dateBirth`);
  else if (!isPastDate(person.dateBirth)) problems.wrongField(`${field}.dateBirth`, 'a past date YYYY-MM-DD');
  if (person.birthPlace !== undefined && !(typeof person.birthPlace === 'string' && person.birthPlace.trim() && person.birthPlace.length <= 500)) problems.wrongField(`${field}.birthPlace`, '1 to 500 characters');
  // A qualified certificate carries the SNILS: Реестро asks for it on every person.
  if (person.snils === undefined) problems.required(`${field}.snils`);
  else if (!snilsDigits(person.snils)) problems.wrongField(`${field}.snils`, '11 digits, NNN-NNN-NNN NN');
  if (person.inn === undefined) {
    if (soleProprietor) problems.required(`${field}.inn`);
  } else if (!(typeof person.inn === 'string' && /^\d{12}$/.test(person.inn))) problems.wrongField(`${field}.inn`, '12 digits');
  if (person.email !== undefined && !(typeof person.email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(person.email))) problems.wrongField(`${field}.email`, 'an e-mail address');
  if (person.phone !== undefined && !(typeof person.phone === 'string' && /^\+?7\d{10}$/.test(person.phone.replace(/[\s()-]/g, '')))) problems.wrongField(`${field}.phone`, '7 and 10 digits');
  if (person.gender === undefined) problems.required(`${field}.gender`);
  else if (!(typeof person.gender === 'string' && ['male', 'female'].includes(person.gender.toLowerCase()))) problems.wrongField(`${field}.gender`, 'Male or Female');
  if (person.citizenship !== undefined && !(typeof person.citizenship === 'string' && /^\d{12}$/.test(person.citizenship))) problems.wrongField(`${field}.citizenship`, '12 digits (848000000643: Russia)');
  checkIdentityDocument(problems, `${field}.identityDocument`, person.identityDocument);
  checkAddress(problems, `${field}.address`, person.address);
  if (soleProprietor) {
    if (person.ogrnip === undefined) problems.required(`${field}.ogrnip`);
    else if (!(typeof person.ogrnip === 'string' && /^\d{15}$/.test(person.ogrnip) && ogrnControlOk(person.ogrnip))) problems.wrongField(`${field}.ogrnip`, '15 digits with the control digit');
  }
}

function checkOrganization(problems: ReestroProblems, field: string, organization: Record<string, unknown>): void {
  if (!(typeof organization.name === 'string' && organization.name.trim())) problems.required(`${field}.name`);
  else if (organization.name.length > 500) problems.wrongField(`${field}.name`, 'at most 500 characters');
  if (organization.kpp !== undefined && !(typeof organization.kpp === 'string' && /^\d{4}[\dA-Z]{2}\d{3}$/.test(organization.kpp))) problems.wrongField(`${field}.kpp`, '9 characters NNNNXXNNN');
  if (organization.regDate !== undefined && !isPastDate(organization.regDate)) problems.wrongField(`${field}.regDate`, 'a past date YYYY-MM-DD');
  const native = organization.nativeOrgParams;
  if (!isObject(native)) problems.required(`${field}.nativeOrgParams`);
  else {
    if (native.ogrn === undefined) problems.required(`${field}.nativeOrgParams.ogrn`);
    else if (!(typeof native.ogrn === 'string' && /^\d{13}$/.test(native.ogrn) && ogrnControlOk(native.ogrn))) problems.wrongField(`${field}.nativeOrgParams.ogrn`, '13 digits with the control digit');
    if (native.inn === undefined) problems.required(`${field}.nativeOrgParams.inn`);
    else if (!(typeof native.inn === 'string' && /^\d{10}$/.test(native.inn))) problems.wrongField(`${field}.nativeOrgParams.inn`, '10 digits');
  }
  checkAddress(problems, `${field}.address`, organization.address);
}

/**
 * Checks POST/PUT /subjects bodies: exactly one of person, soleProprietor, organization (and for
 * PUT the same one as before). Returns the kind and the subject's data.
 */
export function checkSubjectBody(problems: ReestroProblems, body: unknown, previousKind?: string): { kind: SubjectKind; data: Record<string, unknown> } | undefined {
  if (!isObject(body)) {
    problems.wrongField('body', 'a JSON object');
    return undefined;
  }
  if ('governance' in body) problems.wrongField('governance', 'governance subjects are not supported by this sandbox');
  const given = SUBJECT_KINDS.filter((kind) => body[kind] !== undefined && body[kind] !== null);
  if (given.length === 0) {
    problems.required('person');
    return undefined;
  }
  if (given.length > 1) {
    problems.wrongField(given[1], `exactly one of person, soleProprietor, organization (got ${given.join(', ')})`);
    return undefined;
  }
  const kind = given[0];
  const data = body[kind];
  if (!isObject(data)) {
    problems.wrongField(kind, 'an object');
    return undefined;
  }
  if (previousKind && previousKind !== kind) problems.wrongField(kind, `the subject is a ${previousKind}; its type cannot change`);
  if (kind === 'organization') checkOrganization(problems, kind, data);
  else checkPerson(problems, kind, data, kind === 'soleProprietor');
  return { kind, data };
}

// ---- what the state registries (СМЭВ) say after release ------------------------------------

function ogrnControlOk(ogrn: string): boolean {
  const body = BigInt(ogrn.slice(0, -1));
  const divisor = ogrn.length === 13 ? 11n : 13n;
  return Number((body % divisor) % 10n) === Number(ogrn.at(-1));
}

/** The pension fund (SNILS) and the tax service (INN) as the sandbox plays them: the control numbers must hold. */
export function smevFindings(subjects: { field: string; kind: string; data: Record<string, unknown> }[]): { field: string; why: string }[] {
  const findings: { field: string; why: string }[] = [];
  for (const { field, kind, data } of subjects) {
    if (kind === 'organization') {
      const inn = isObject(data.nativeOrgParams) ? String(data.nativeOrgParams.inn ?? '') : '';
      if (inn && readInn(inn, 'organization').problem) findings.push({ field: `${field}.nativeOrgParams.inn`, why: 'the tax service (ФНС) does not know this INN: wrong control digits' });
      continue;
    }
    const snils = snilsDigits(data.snils);
    if (snils && !snilsChecksumHolds(snils)) findings.push({ field: `${field}.snils`, why: 'the pension fund (СФР) does not know this SNILS: wrong control number' });
    if (typeof data.inn === 'string' && readInn(data.inn, 'person').problem) findings.push({ field: `${field}.inn`, why: 'the tax service (ФНС) does not know this INN: wrong control digits' });
  }
  return findings;
}
