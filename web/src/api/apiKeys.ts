import { apiRequest } from './client.ts';
import type { ApiKey, CreatedApiKey } from './types.ts';

export const fetchApiKeys = () => apiRequest<ApiKey[]>('GET', '/api-keys');

export const createApiKey = (userId: string, name: string) => apiRequest<CreatedApiKey>('POST', '/api-keys', { json: { userId, name } });

export const revokeApiKey = (id: string) => apiRequest<void>('DELETE', `/api-keys/${encodeURIComponent(id)}`);
