import { Navigate } from 'react-router';
import { useSession } from '../session/SessionContext.ts';
import { homePathFor } from './navigationItems.ts';

export function HomeRedirect() {
  const { user } = useSession();
  return <Navigate to={homePathFor(user)} replace />;
}
