import type { Role } from '../api/types.ts';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Администратор',
  operator: 'Оператор',
  employee: 'Сотрудник',
  sandbox: 'Тестировщик песочницы',
};

export const ADMIN_ONLY: readonly Role[] = ['admin'];
export const STAFF: readonly Role[] = ['admin', 'operator'];
export const ANY_ROLE: readonly Role[] = ['admin', 'operator', 'employee'];
/** Self-service («Мои заявки», «Мои сертификаты»): the employee's own. */
export const EMPLOYEE_ONLY: readonly Role[] = ['employee'];
/** Who may open the sandbox console: an administrator, or a user with the sandbox role. */
export const SANDBOX_CONSOLE: readonly Role[] = ['admin', 'sandbox'];
