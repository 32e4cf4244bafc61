// Who is acting: every service call that changes something names its actor for the audit log.
import type { Role } from '../domain/roles.ts';

export interface Actor {
  userId: string | null;
  name: string;
  role: Role | 'system' | 'anonymous';
  /** The employee card an `employee` user acts as. */
  employeeId: string | null;
  requestId?: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system', role: 'system', employeeId: null };

/** Someone not signed in (the sandbox console while it is open to all). */
export const ANONYMOUS_ACTOR: Actor = { userId: null, name: 'anonymous', role: 'anonymous', employeeId: null };
