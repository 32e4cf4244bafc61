// Reads KCR answers into the client's types without trusting their shape: the real service (and
// its next version) may add fields, send enum values this client has not seen, or leave out or
// null a list. Unknown values become `unknown` (and are reported once through `notice`), missing
// lists become empty, extra fields are kept; only an issue without an id is refused.
import { FORWARDED_STATUSES, ISSUE_STATUSES } from '../domain/issue.ts';
import type { KcrDocument, KcrIssue, KcrIssueEvent, KcrIssueEvents, KcrIssueList, KcrSmevValidation } from './kcr-types.ts';

/** Told about every value the client does not know (field path, value). */
export type Notice = (field: string, value: unknown) => void;

export class KcrAnswerError extends Error {}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

function known<T extends string>(values: readonly T[], value: unknown, field: string, notice: Notice, absent: T | 'unknown'): T | 'unknown' {
  if (value === undefined || value === null) return absent;
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  notice(field, value);
  return 'unknown';
}

const SMEV_STATES = ['inProgress', 'valid', 'invalid'] as const;
const SMEV_LEVELS = ['warning', 'fatal'] as const;

function readDocument(raw: unknown): KcrDocument | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  // Requisites as a list of {type, value}; a map {type: value} is taken as well.
  const requisites = Array.isArray(raw.requisites)
    ? raw.requisites.filter(isObject).map((r) => ({ type: String(r.type), value: textOf(r.value) ?? '' }))
    : isObject(raw.requisites)
      ? Object.entries(raw.requisites).map(([type, value]) => ({ type, value: textOf(value) ?? '' }))
      : [];
  const pages = listOf(raw.pages)
    .filter(isObject)
    .map((page) => ({ ...page, id: textOf(page.id) ?? '', contentType: textOf(page.contentType) ?? 'application/octet-stream' }));
  return { ...raw, type: raw.type as KcrDocument['type'], requisites, pages };
}

function readSmevValidation(raw: unknown, notice: Notice): KcrSmevValidation | undefined {
  if (!isObject(raw)) return undefined;
  return {
    ...raw,
    documentType: textOf(raw.documentType) ?? 'unknown',
    state: known(SMEV_STATES, raw.state, 'smevValidations[].state', notice, 'unknown'),
    errors: listOf(raw.errors)
      .filter(isObject)
      .map((error) => ({ ...error, code: textOf(error.code) ?? 'Unknown', level: known(SMEV_LEVELS, error.level, 'smevValidations[].errors[].level', notice, 'unknown') })),
  };
}

export function readIssue(raw: unknown, notice: Notice): KcrIssue {
  if (!isObject(raw)) throw new KcrAnswerError('KCR answered something that is not an issue object');
  const id = textOf(raw.id);
  if (!id) throw new KcrAnswerError('KCR answered an issue without an id');
  let version = typeof raw.version === 'number' ? raw.version : Number(raw.version);
  if (!Number.isFinite(version)) {
    notice('version', raw.version);
    version = 0;
  }
  const correction = isObject(raw.correctionInfo) ? raw.correctionInfo : undefined;
  return {
    ...raw,
    id,
    baseIssueId: textOf(raw.baseIssueId) ?? null,
    version,
    // Without the field nothing says a re-check runs: waiting for it would never end.
    actualized: raw.actualized !== false,
    status: known(ISSUE_STATUSES, raw.status, 'status', notice, 'unknown'),
    forwardedStatus: known(FORWARDED_STATUSES, raw.forwardedStatus, 'forwardedStatus', notice, 'none'),
    certificateTemplateInfo: (isObject(raw.certificateTemplateInfo) ? raw.certificateTemplateInfo : {}) as unknown as KcrIssue['certificateTemplateInfo'],
    subjectInfo: (isObject(raw.subjectInfo) ? raw.subjectInfo : {}) as unknown as KcrIssue['subjectInfo'],
    cspInfo: (isObject(raw.cspInfo) ? raw.cspInfo : {}) as unknown as KcrIssue['cspInfo'],
    certificateReleasedInfo: isObject(raw.certificateReleasedInfo) ? (raw.certificateReleasedInfo as unknown as KcrIssue['certificateReleasedInfo']) : null,
    documents: listOf(raw.documents).map(readDocument).filter((d): d is KcrDocument => d !== undefined),
    correctionInfo: correction ? { ...correction, comment: textOf(correction.comment) ?? '', remarks: listOf(correction.remarks).filter(isObject) as unknown as NonNullable<KcrIssue['correctionInfo']>['remarks'] } : null,
    subjectIdentification: isObject(raw.subjectIdentification) ? (raw.subjectIdentification as KcrIssue['subjectIdentification']) : null,
    innerErrors: listOf(raw.innerErrors),
    smevValidations: listOf(raw.smevValidations).map((v) => readSmevValidation(v, notice)).filter((v): v is KcrSmevValidation => v !== undefined),
    createdAt: textOf(raw.createdAt) ?? '',
    updatedAt: textOf(raw.updatedAt) ?? '',
  };
}

/** A search answer: `{issues, totalCount}`; list items may carry `cspType` and `certificateState`. */
export function readIssueList(raw: unknown, notice: Notice): KcrIssueList {
  if (!isObject(raw)) throw new KcrAnswerError('KCR answered a search with something that is not an object');
  const issues = listOf(raw.issues).map((item) => readIssue(item, notice));
  const totalCount = typeof raw.totalCount === 'number' ? raw.totalCount : issues.length;
  return { ...raw, issues, totalCount };
}

/** The event feed: ids are strings whether sent as strings or numbers; `lastId` falls back to the last event's id, then to `prevId`. */
export function readIssueEvents(raw: unknown, prevId: string | undefined): KcrIssueEvents {
  if (!isObject(raw)) throw new KcrAnswerError('KCR answered the event feed with something that is not an object');
  const events: KcrIssueEvent[] = listOf(raw.events)
    .filter(isObject)
    .map((event) => ({ ...event, id: textOf(event.id) ?? '', issueId: textOf(event.issueId) ?? '', type: textOf(event.type) ?? 'unknown' }))
    .filter((event) => event.id !== '' && event.issueId !== '');
  const lastId = textOf(raw.lastId) ?? events.at(-1)?.id ?? prevId ?? '';
  return { ...raw, events, lastId };
}
