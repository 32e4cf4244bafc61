import { apiRequest } from './client.ts';
import type { Webhook, WebhookDelivery } from './types.ts';

export const fetchWebhooks = () => apiRequest<Webhook[]>('GET', '/webhooks');

/** The signing secret comes back once, in this answer. */
export const createWebhook = (input: { url: string; events: string[] }) =>
  apiRequest<Webhook & { secret: string }>('POST', '/webhooks', { json: input });

export const updateWebhook = (id: string, change: { url?: string; events?: string[]; active?: boolean }) =>
  apiRequest<Webhook>('PATCH', `/webhooks/${encodeURIComponent(id)}`, { json: change });

export const deleteWebhook = (id: string) => apiRequest<void>('DELETE', `/webhooks/${encodeURIComponent(id)}`);

export const fetchWebhookDeliveries = (id: string) => apiRequest<WebhookDelivery[]>('GET', `/webhooks/${encodeURIComponent(id)}/deliveries`);
