import type { Role } from '../api/types.ts';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Администратор',
  operator: 'Оператор',
  employee: 'Сотрудник',
};

export const ADMIN_ONLY: readonly Role[] = ['admin'];
export const STAFF: readonly Role[] = ['admin', 'operator'];
export const ANY_ROLE: readonly Role[] = ['admin', 'operator', 'employee'];
