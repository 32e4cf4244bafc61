// The manual's OperationResult<T>: every IKonturIssuesService method reports success or a
// message instead of throwing for the failures it expects (Kontur refused, timed out, ...).
// `error` keeps the details (HTTP status, code, the fields at fault) for the REST layer.
import type { ServiceError } from './errors.ts';

export type OperationResult<T> =
  | { success: true; message: string; data: T }
  | { success: false; message: string; data: null; error: ServiceError };

export function succeeded<T>(data: T, message: string): OperationResult<T> {
  return { success: true, message, data };
}

export function failed<T>(error: ServiceError): OperationResult<T> {
  return { success: false, message: error.message, data: null, error };
}

/** For the REST layer: the data, or the error thrown so that it becomes problem+json. */
export function unwrap<T>(result: OperationResult<T>): T {
  if (!result.success) throw result.error;
  return result.data;
}
