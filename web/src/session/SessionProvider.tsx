import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { fetchCurrentUser, signOut as endSession } from '../api/auth.ts';
import { ApiError, SESSION_EXPIRED, sessionExpiredEvent } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { SessionContext, type SessionState } from './SessionContext.ts';

/** Knows who is signed in: asks the server once at start, and forgets on sign-out or any 401. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [endedBecause, setEndedBecause] = useState<SessionState['endedBecause']>();

  useEffect(() => {
    let cancelled = false;
    fetchCurrentUser()
      .then((current) => !cancelled && setUser(current))
      .catch((error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.status !== 401) console.error('cannot check the session', error);
        setUser(null);
      });
    const expire = () => {
      setEndedBecause((reason) => reason ?? 'expired');
      setUser(null);
    };
    sessionExpiredEvent.addEventListener(SESSION_EXPIRED, expire);
    return () => {
      cancelled = true;
      sessionExpiredEvent.removeEventListener(SESSION_EXPIRED, expire);
    };
  }, []);

  const signOut = useCallback(async () => {
    try {
      await endSession();
    } finally {
      setEndedBecause('signed-out');
      setUser(null);
    }
  }, []);

  const signedIn = useCallback((signedInUser: User) => {
    setEndedBecause(undefined);
    setUser(signedInUser);
  }, []);

  const state = useMemo<SessionState>(
    () => ({ session: user ? { user, signOut } : user, endedBecause, signedIn }),
    [user, endedBecause, signOut, signedIn],
  );
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}
