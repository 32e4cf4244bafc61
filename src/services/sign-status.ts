// The seed's DssSignStatus and how the durable operation states map onto it.
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
