/** Issue events a webhook may be told about (src/services/webhooks.ts). */
export const WEBHOOK_EVENT_NAMES: Record<string, string> = {
  'issue.created': 'Заявка создана',
  'issue.changed': 'Заявка изменена',
  'issue.statusChanged': 'Статус заявки изменён',
  'issue.deleted': 'Заявка удалена',
  'issue.certificateAttached': 'Сертификат загружен в карточку',
};

export const DELIVERY_STATE_NAMES: Record<string, string> = {
  pending: 'Ожидает отправки',
  delivered: 'Доставлено',
  failed: 'Не доставлено',
  retrying: 'Повторная отправка',
};
