// What can go wrong in a call to Kontur Реестро, as typed errors the certificate-forms service
// handles one by one. Реестро answers errors as
// {"code": "validation", "message", "target", "errors": [{"code", "message", "target", "context"}]}.
import type { ReestroFormError } from './reestro-types.ts';

/** The eleven codes seed 004 documents for POST /certificate-forms. */
export const REESTRO_FORM_ERROR_CODES = [
  'WrongFieldValue',
  'AbsenceOfRequiredField',
  'DuplicatedExternalId',
  'DuplicateDocument',
  'MismatchDocumentRequisites',
  'UnexistentRepresentative',
  'UnexistentSubject',
  'BigContentSize',
  'UnsupportedContentType',
  'UnexistentContent',
  'WrongAddress',
] as const;
export type ReestroFormErrorCode = (typeof REESTRO_FORM_ERROR_CODES)[number];

export class ReestroApiError extends Error {
  constructor(
    readonly status: number,
    /** The top-level `code` (e.g. `validation`), or what the client made of the answer. */
    readonly code: string,
    message: string,
    readonly operation: string,
    /** Each `errors[]` entry of the answer. */
    readonly errors: ReestroFormError[] = [],
    /** Kontur's id of the request (X-Kontur-Request-Id or X-Request-Id), for support. */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** 400 (and 415): the request was refused; `errors[]` say why. */
export class ReestroValidationError extends ReestroApiError {}

/** 401 (not authenticated) or 403 (the key may not act for that organization). */
export class ReestroUnauthorizedError extends ReestroApiError {}

/** 404: no such form, subject, representative or content. */
export class ReestroNotFoundError extends ReestroApiError {}

/** 409: the form's state does not allow it (release twice, change after release), or a duplicate. */
export class ReestroConflictError extends ReestroApiError {}

/** 412: `If-Match` named an older version of the form. */
export class ReestroPreconditionFailedError extends ReestroApiError {
  constructor(
    message: string,
    operation: string,
    requestId: string | undefined,
    /** True when the transport sent the request more than once: an earlier try may have been applied. */
    readonly afterRepeat: boolean,
  ) {
    super(412, 'PreconditionFailed', message, operation, [], requestId);
  }
}

/** 429: slow down. */
export class ReestroRateLimitedError extends ReestroApiError {
  constructor(
    message: string,
    operation: string,
    readonly retryAfterSeconds: number,
    requestId?: string,
  ) {
    super(429, 'TooManyRequests', message, operation, [], requestId);
  }
}

/**
 * 5xx, timeout or broken connection. `outcomeUnknown`: the call may have been carried out (a
 * timeout after sending, 500/502/504), so a call that is not safe to repeat must be checked
 * against Реестро's state before it is repeated; false after a 503 or a refused connection.
 */
export class ReestroUnavailableError extends ReestroApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    operation: string,
    readonly outcomeUnknown: boolean,
    requestId?: string,
  ) {
    super(status, code, message, operation, [], requestId);
  }
}

/** Any other answer the client does not understand (a 3xx, a body that is not the documented shape). */
export class ReestroProtocolError extends ReestroApiError {}
