// What services report when a request cannot be carried out. The HTTP layer turns these into
// problem+json responses; the library API into OperationResult messages.

export interface FieldProblem {
  /** Dotted path of the field in the request, e.g. `inn` or `rows[3].snils`. */
  field: string;
  message: string;
}

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ValidationError extends ServiceError {
  constructor(
    readonly errors: FieldProblem[],
    message = 'Проверьте заполнение полей',
  ) {
    super(400, 'validation', message);
  }
}

export class NotFoundError extends ServiceError {
  constructor(message: string) {
    super(404, 'not-found', message);
  }
}

export class ConflictError extends ServiceError {
  constructor(
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(409, 'conflict', message);
  }
}

export class ForbiddenError extends ServiceError {
  /**
   * `forbidden-role`: the route is closed to the caller's role; `forbidden`: this object is not
   * theirs; `cross-origin`: a cookie-authenticated change that did not come from this server's pages.
   */
  constructor(message = 'Недостаточно прав для этого действия', code: 'forbidden' | 'forbidden-role' | 'cross-origin' = 'forbidden') {
    super(403, code, message);
  }
}

export class UnauthorizedError extends ServiceError {
  constructor(message = 'Требуется вход в систему') {
    super(401, 'unauthorized', message);
  }
}

export class TooManyRequestsError extends ServiceError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    /** Which limit refused (the metrics' label), e.g. `sign-per-hour-per-signer`. */
    readonly limit = 'other',
  ) {
    super(429, 'too-many-requests', message);
  }
}
