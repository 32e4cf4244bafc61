import type { User } from '../api/types.ts';

export interface NavigationItem {
  to: string;
  label: string;
}

/**
 * What each role may open. Песочница is listed for administrators and the sandbox role only, while
 * the settings point at the sandbox (a sandbox user always has it: it is all that role may open).
 */
export function navigationItemsFor(user: User, sandboxMode = false): NavigationItem[] {
  const items: NavigationItem[] = [];
  if (user.role === 'admin' || user.role === 'operator') {
    items.push({ to: '/employees', label: 'Сотрудники' });
    items.push({ to: '/issues', label: 'Заявки на сертификат' });
    items.push({ to: '/certificates', label: 'Сертификаты' });
    items.push({ to: '/certificate-forms', label: 'Анкеты Реестро' });
  }
  if (user.role === 'employee' && user.employeeId) {
    items.push({ to: '/my/issues', label: 'Мои заявки' });
    items.push({ to: '/my/certificates', label: 'Мои сертификаты' });
    items.push({ to: `/employees/${user.employeeId}`, label: 'Моя карточка' });
  }
  if (user.role === 'admin' || user.role === 'operator' || user.employeeId) items.push({ to: '/documents', label: 'Документы' });
  if (user.role === 'admin') {
    items.push({ to: '/settings', label: 'Настройки' });
    items.push({ to: '/audit', label: 'Журнал' });
  }
  // Not /sandbox: that prefix belongs to the sandbox's own API on the server.
  if ((user.role === 'admin' && sandboxMode) || user.role === 'sandbox') items.push({ to: '/sandbox-console', label: 'Песочница' });
  return items;
}

/** Where a user lands after signing in. */
export function homePathFor(user: User): string {
  return navigationItemsFor(user)[0]?.to ?? '/no-card';
}
