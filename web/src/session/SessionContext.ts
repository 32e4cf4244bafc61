import { createContext, useContext } from 'react';
import type { User } from '../api/types.ts';

export interface Session {
  user: User;
  signOut(): Promise<void>;
}

export interface SessionState {
  /** undefined while the first /auth/me is on its way. */
  session: Session | null | undefined;
  /** Why there is no session any more: the user signed out, or the server ended it (expired, revoked). */
  endedBecause: 'signed-out' | 'expired' | undefined;
  /** Set after a successful sign-in form. */
  signedIn(user: User): void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in user's session; only inside pages that require one. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession without a session');
  return session;
}
