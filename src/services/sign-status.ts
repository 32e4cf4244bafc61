// The seed's DssSignStatus, how the durable operation states map onto it, and what each of
// Kontur's OperationStatus values means for an operation (docs/kontur-api.md §6).
import type { CloudOperationStatusName } from '../kontur/cloud-types.ts';
import type { SignOperationState } from '../store/schema/index.ts';

export const DSS_SIGN_STATUS = { Unknown: 0, WaitingUser: 1, InProgress: 2, Complete: 3, Error: 4 } as const;
export type DssSignStatusName = keyof typeof DSS_SIGN_STATUS;

/** `created` (not yet registered at Kontur) is Unknown; the rest map one to one. */
export const DSS_STATUS_OF_STATE: Record<SignOperationState, DssSignStatusName> = {
  created: 'Unknown',
  waitingUser: 'WaitingUser',
  inProgress: 'InProgress',
  complete: 'Complete',
  error: 'Error',
};

export const FINAL_STATES: readonly SignOperationState[] = ['complete', 'error'];

/**
 * Kontur's OperationStatus as the seed's DssSignStatus: waiting for the owner's code (7) is
 * WaitingUser; queued or signing (0, 1) is InProgress; 2 is Complete; every other value ends
 * the operation without a signature (Error). A value the client does not know is Unknown.
 */
export const DSS_STATUS_OF_CLOUD: Record<CloudOperationStatusName | 'Unrecognized', DssSignStatusName> = {
  Enqueued: 'InProgress',
  InProgress: 'InProgress',
  Completed: 'Complete',
  CanceledByUser: 'Error',
  Timeout: 'Error',
  Crashed: 'Error',
  UserHasUnconfirmedOperation: 'Error',
  AwaitingForConfirmation: 'WaitingUser',
  ExceededConfirmationAttemptsCount: 'Error',
  StartConfirmationFailed: 'Error',
  Unrecognized: 'Unknown',
};

export function dssSignStatusOfCloud(status: CloudOperationStatusName | 'Unrecognized'): DssSignStatusName {
  return DSS_STATUS_OF_CLOUD[status];
}
