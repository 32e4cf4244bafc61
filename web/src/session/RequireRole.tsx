import type { ReactNode } from 'react';
import type { Role } from '../api/types.ts';
import { ForbiddenPage } from '../components/ForbiddenPage.tsx';
import { useSession } from './SessionContext.ts';

/** Shows the page only to the given roles; the server checks the same on every call. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useSession();
  return roles.includes(user.role) ? children : <ForbiddenPage />;
}
