import { Suspense, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { Button, Toast } from '@skbkontur/react-ui';
import { ROLE_LABELS } from '../domain/roles.ts';
import { useSession } from '../session/SessionContext.ts';
import { navigationItemsFor } from './navigationItems.ts';
import { useSandboxMode } from '../hooks/useSandboxMode.ts';
import { useActiveItemInView } from '../hooks/useActiveItemInView.ts';
import { LoadingBlock } from '../components/LoadingBlock.tsx';

/** The frame of every signed-in page: product name, navigation by role, the user and sign-out. */
export function AppShell() {
  const { user, signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);
  const sandboxMode = useSandboxMode(user.role);
  const navigation = useRef<HTMLElement>(null);
  const location = useLocation();
  useActiveItemInView(navigation, '.shell__nav-link_active', `${location.pathname} ${sandboxMode}`);

  // Without a session the page leaves for the sign-in form by itself (RequireSession).
  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
    } catch {
      Toast.push('Сеанс завершён на этом устройстве; сервер не ответил');
    }
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Перейти к содержимому
      </a>
      <header className="shell__header">
        <div className="shell__brand">
          <span className="shell__logo" aria-hidden="true">
            К
          </span>
          <span>
            Контур УЦ <span className="shell__brand-suffix">интеграция</span>
          </span>
        </div>
        <nav ref={navigation} className="shell__nav" aria-label="Разделы">
          {navigationItemsFor(user, sandboxMode).map((item) => (
            <NavLink key={item.to} to={item.to} className={({ isActive }) => (isActive ? 'shell__nav-link shell__nav-link_active' : 'shell__nav-link')}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="shell__user">
          {/* The name opens the user's own page: her switch for mail notices. */}
          <NavLink to="/notifications" className="shell__user-name shell__user-link" title={`${user.username}: уведомления по почте`}>
            {user.displayName || user.username}
            {user.displayName !== ROLE_LABELS[user.role] && <span className="shell__user-role">{ROLE_LABELS[user.role]}</span>}
          </NavLink>
          <Button use="text" onClick={onSignOut} loading={signingOut}>
            Выйти
          </Button>
        </div>
      </header>
      <main id="content" className="shell__content" tabIndex={-1}>
        <Suspense fallback={<LoadingBlock />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
