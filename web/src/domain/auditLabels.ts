import type { AuditOutcome } from '../api/types.ts';

const ACTION_LABELS: Record<string, string> = {
  'auth.login': 'Вход в систему',
  'auth.revoke': 'Выход из системы',
  'apiKey.create': 'Создание API-ключа',
  'apiKey.revoke': 'Отзыв API-ключа',
  'employee.create': 'Создание сотрудника',
  'employee.update': 'Изменение сотрудника',
  'employee.importCsv': 'Импорт сотрудников из CSV',
  'settings.update': 'Изменение настроек',
  'settings.reset': 'Сброс настройки',
  'user.create': 'Создание пользователя',
  'user.update': 'Изменение пользователя',
};

/** Actions the filter offers; the log may hold others (newer modules), shown by their code. */
export const KNOWN_AUDIT_ACTIONS = Object.keys(ACTION_LABELS);

export function auditActionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export const TARGET_TYPE_LABELS: Record<string, string> = {
  employee: 'Сотрудник',
  user: 'Пользователь',
  apiKey: 'API-ключ',
  token: 'Сессия',
  settings: 'Настройки',
};

export const OUTCOME_LABELS: Record<AuditOutcome, string> = {
  success: 'Успешно',
  failure: 'Ошибка',
  denied: 'Отказано',
};
