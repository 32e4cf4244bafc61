import { apiRequest } from './client.ts';
import type { ConnectionCheck, ConnectionSettings, SettingName, SettingsChange } from './types.ts';

export const fetchSettings = () => apiRequest<ConnectionSettings>('GET', '/settings');

export const updateSettings = (change: SettingsChange) => apiRequest<ConnectionSettings>('PATCH', '/settings', { json: change });

export const resetSetting = (name: SettingName) => apiRequest<ConnectionSettings>('DELETE', `/settings/${name}`);

export const checkConnection = () => apiRequest<ConnectionCheck>('POST', '/settings/check');
