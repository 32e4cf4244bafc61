// What can go wrong in a KCR call, as typed errors the issues service handles one by one.

export interface KcrErrorDetail {
  code: string;
  target?: string;
  message?: string;
}

export class KcrApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: KcrErrorDetail[] = [],
    readonly operation = '',
  ) {
    super(message);
  }
}

/** 400: the request was refused; `details[].target` names the fields. */
export class KcrValidationError extends KcrApiError {}

/** 409: the issue is being actualized after a change; try again shortly. */
export class KcrActualizingError extends KcrApiError {}

/** 429: too many changes in a short time. */
export class KcrRateLimitedError extends KcrApiError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
    operation: string,
  ) {
    super(429, code, message, [], operation);
  }
}

export class KcrNotFoundError extends KcrApiError {}

/** 401/403: the API key was refused. */
export class KcrUnauthorizedError extends KcrApiError {}

/**
 * 5xx, timeout or broken connection. `outcomeUnknown`: the call may have been carried out
 * (a timeout after sending, a 500/502/504), so a call that is not safe to repeat must be
 * checked against Kontur's state before it is repeated.
 */
export class KcrUnavailableError extends KcrApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly outcomeUnknown: boolean,
    operation: string,
  ) {
    super(status, code, message, [], operation);
  }
}

/** Any other answer the client does not understand (a 3xx, a body that is not the documented shape). */
export class KcrProtocolError extends KcrApiError {}
