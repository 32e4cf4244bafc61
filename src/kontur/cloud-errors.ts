// What can go wrong in a call to the cloud signature API, as typed errors the signing service
// handles one by one.

export class CloudApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly operation: string,
    /** Extra fields of the error body: the field at fault, code tries left, bytes received. */
    readonly extra: { target?: string; attemptsLeft?: number; length?: number } = {},
  ) {
    super(message);
  }
}

/** 400: the request was refused (wrong code, bad hash, unknown certificate, ...). */
export class CloudValidationError extends CloudApiError {}

/** 404: no such file, operation or result. */
export class CloudNotFoundError extends CloudApiError {}

/** 409: the state does not allow it (offset past the bytes received, operation already confirmed). */
export class CloudConflictError extends CloudApiError {}

/** 401/403: the client certificate was refused. */
export class CloudUnauthorizedError extends CloudApiError {}

/** 429: slow down. */
export class CloudRateLimitedError extends CloudApiError {
  constructor(code: string, message: string, operation: string, readonly retryAfterSeconds: number) {
    super(429, code, message, operation);
  }
}

/**
 * 5xx, timeout or broken connection. `outcomeUnknown`: the call may have been carried out
 * (a timeout after sending, 500/502/504), so a call that is not safe to repeat must be checked
 * against the operation's state before anything is repeated.
 */
export class CloudUnavailableError extends CloudApiError {
  constructor(status: number, code: string, message: string, operation: string, readonly outcomeUnknown: boolean) {
    super(status, code, message, operation);
  }
}

/** An answer the client does not understand. */
export class CloudProtocolError extends CloudApiError {}

/**
 * The GOST TLS tunnel could not carry the call (stunnel missing or down, the server's certificate
 * untrusted, the client certificate refused, the server unreachable). `code` names the cause and
 * the message says it in Russian; `outcomeUnknown` is false when the request never left the tunnel.
 */
export class CloudTunnelError extends CloudUnavailableError {
  constructor(
    /** unavailable, start-failed, not-running, unreachable, server-certificate-untrusted, client-certificate-rejected, handshake-failed */
    readonly failure: string,
    message: string,
    operation: string,
    outcomeUnknown: boolean,
  ) {
    super(502, `GostTunnel.${failure}`, message, operation, outcomeUnknown);
  }
}
