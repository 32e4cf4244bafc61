import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Loader } from '@skbkontur/react-ui';
import { useSessionState } from './SessionContext.ts';

/** Sends visitors without a session to the sign-in page, remembering where they were going. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { session, endedBecause } = useSessionState();
  const location = useLocation();
  if (session === undefined) {
    return (
      <div className="page-loading">
        <Loader active caption="Загрузка…" />
      </div>
    );
  }
  if (session === null) {
    const from = location.pathname + location.search;
    const remember = from !== '/' && endedBecause !== 'signed-out';
    return <Navigate to={remember ? `/login?from=${encodeURIComponent(from)}` : '/login'} replace />;
  }
  return children;
}
