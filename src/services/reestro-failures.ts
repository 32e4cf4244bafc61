// Реестро's refusals and outages as the bridge's service errors, in Russian, naming the field of
// the bridge's own request. Реестро names a field only in the error's message (seed 004:
// "указано в описании ошибки в message") and otherwise gives a context: the duplicated
// documents, the subject id, the ContentInfo, the Address. Each request says how those map
// back to its own fields.
import { REESTRO_ERROR_MESSAGES } from '../domain/certificate-form.ts';
import {
  ReestroApiError,
  ReestroConflictError,
  ReestroNotFoundError,
  ReestroPreconditionFailedError,
  ReestroRateLimitedError,
  ReestroUnauthorizedError,
  ReestroUnavailableError,
  ReestroValidationError,
} from '../kontur/reestro-errors.ts';
import type { ReestroFormError } from '../kontur/reestro-types.ts';
import { ConflictError, NotFoundError, ServiceError, TooManyRequestsError, ValidationError, type FieldProblem } from './errors.ts';

/** How one request's Реестро context maps back to the fields of the bridge's request. */
export interface ReestroFieldMap {
  /** A Реестро field path (`person.dateBirth`, `documents[1].documentInfo.number`) to ours. */
  path?(path: string): string | undefined;
  /** Our field of a document Реестро names by its documentId. */
  document?(documentId: string): string | undefined;
  /** Our field of a content Реестро names by its contentId. */
  content?(contentId: string): string | undefined;
  /** Our field of a subject Реестро names by its id. */
  subject?(subjectId: string): string | undefined;
  /** Our field of an address Реестро quotes back. */
  address?(address: unknown): string | undefined;
  /** Our field of the identity document whose requisites disagree with the subject's. */
  identityDocument?(): string | undefined;
  /** Our field of the representative pair (UnexistentRepresentative). */
  representative?: string;
  /** Our field the externalId comes from (DuplicatedExternalId). */
  externalId?: string;
  /** Where anything unplaced is reported. */
  fallback: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The field path Реестро wrote into a message: `field 'person.dateBirth'` (quotes of any kind). */
export function fieldOfMessage(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const match = /field\s+['"«`]?([A-Za-z_][\w.[\]]*)['"»`]?/i.exec(message);
  return match?.[1];
}

function contentIdOf(context: unknown): string | undefined {
  if (!isObject(context)) return undefined;
  if (typeof context.contentId === 'string') return context.contentId;
  if (isObject(context.contentInfo) && typeof context.contentInfo.contentId === 'string') return context.contentInfo.contentId;
  return undefined;
}

function subjectIdOf(context: unknown): string | undefined {
  if (typeof context === 'string') return context;
  if (isObject(context) && typeof context.subjectId === 'string') return context.subjectId;
  return undefined;
}

function documentIdsOf(context: unknown): string[] {
  const list = Array.isArray(context) ? context : isObject(context) && Array.isArray(context.documents) ? context.documents : [];
  return list.filter(isObject).map((document) => document.documentId).filter((id): id is string => typeof id === 'string');
}

/** One field problem per Реестро error entry. */
export function fieldsOfReestro(errors: readonly ReestroFormError[], map: ReestroFieldMap): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string | undefined, message: string) => {
    const place = field ?? map.fallback;
    if (!problems.some((p) => p.field === place && p.message === message)) problems.push({ field: place, message });
  };
  for (const error of errors) {
    const known = REESTRO_ERROR_MESSAGES[error.code];
    const fromMessage = fieldOfMessage(error.message);
    switch (error.code) {
      case 'DuplicateDocument': {
        // The first of the duplicates is legitimate; the others are what to remove.
        const ids = documentIdsOf(error.context);
        const fields = ids.map((id) => map.document?.(id)).filter((f): f is string => !!f);
        if (fields.length > 1) for (const field of fields.slice(1)) add(field, known);
        else add(fields[0], known);
        break;
      }
      case 'UnexistentSubject':
        add(map.subject?.(subjectIdOf(error.context) ?? '') ?? (fromMessage ? map.path?.(fromMessage) : undefined), known);
        break;
      case 'BigContentSize':
      case 'UnsupportedContentType':
      case 'UnexistentContent':
        add(map.content?.(contentIdOf(error.context) ?? ''), known);
        break;
      case 'WrongAddress':
        add(map.address?.(error.context), known);
        break;
      case 'MismatchDocumentRequisites':
        add(map.identityDocument?.() ?? (fromMessage ? map.path?.(fromMessage) : undefined), known);
        break;
      case 'UnexistentRepresentative':
        add(map.representative, known);
        break;
      case 'DuplicatedExternalId':
        add(map.externalId, known);
        break;
      case 'WrongFieldValue':
      case 'AbsenceOfRequiredField': {
        const field = fromMessage ? map.path?.(fromMessage) : undefined;
        const detail = error.message ? ` (${error.message})` : '';
        add(field, error.code === 'AbsenceOfRequiredField' ? `${known}${field ? '' : detail}` : `${known}${detail}`);
        break;
      }
      default:
        add(fromMessage ? map.path?.(fromMessage) : undefined, known ?? error.message ?? error.code);
    }
  }
  return problems;
}

/** The service error for a failed Реестро call; anything else is returned as it is. */
export function reestroServiceError(error: unknown, map: ReestroFieldMap): unknown {
  if (!(error instanceof ReestroApiError)) return error;
  const reference = error.requestId ? ` (номер запроса в Реестро: ${error.requestId})` : '';
  if (error instanceof ReestroValidationError) {
    if (error.status === 415) return new ServiceError(502, 'reestro-protocol', `Реестро не принял тип содержимого запроса${reference}`);
    const fields = fieldsOfReestro(error.errors, map);
    return new ValidationError(fields.length ? fields : [{ field: map.fallback, message: error.message }], 'Реестро не принял данные');
  }
  if (error instanceof ReestroUnauthorizedError) {
    return error.status === 403
      ? new ServiceError(502, 'reestro-forbidden', `Ключ API Реестро не даёт доступа к организации из настройки ReestroOrganizationId${reference}`)
      : new ServiceError(502, 'reestro-unauthorized', `Реестро не принял ключ API: проверьте настройку ReestroApiKey${reference}`);
  }
  if (error instanceof ReestroNotFoundError) return new NotFoundError(`Не найдено в Реестро${reference}`);
  if (error instanceof ReestroPreconditionFailedError) return new ConflictError(`Анкета изменилась в Реестро, пока её меняли: повторите${reference}`);
  if (error instanceof ReestroConflictError) return new ConflictError(`Реестро отказал: ${error.message}${reference}`);
  if (error instanceof ReestroRateLimitedError) return new TooManyRequestsError('Реестро просит подождать: слишком много запросов', error.retryAfterSeconds);
  if (error instanceof ReestroUnavailableError) {
    return error.status === 504
      ? new ServiceError(504, 'reestro-timeout', `Реестро не ответил вовремя: повторите позже${reference}`)
      : new ServiceError(502, 'reestro-unavailable', `Реестро временно недоступен: повторите позже${reference}`);
  }
  return new ServiceError(502, 'reestro-protocol', `Реестро ответил непредусмотренным образом (${error.status})${reference}`);
}
