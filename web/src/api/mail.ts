// The administrator's mail settings (SMTP), the test send and the outbox.
import { apiRequest } from './client.ts';

export type SmtpSecurity = 'none' | 'starttls' | 'tls';

export interface MailSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  passwordSet: boolean;
  from: string;
  source: 'stored' | 'sandbox' | 'none';
}

export interface MailSettingsChange {
  host?: string;
  port?: string;
  security?: SmtpSecurity;
  user?: string;
  password?: string;
  from?: string;
}

export type MailKind = 'issueCorrection' | 'certificateReleased' | 'signingCodeWaiting' | 'certificateExpiring' | 'test';

export interface OutboxMail {
  id: string;
  kind: MailKind;
  recipient: string;
  subject: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

export const fetchMailSettings = () => apiRequest<MailSettings>('GET', '/mail/settings');
export const saveMailSettings = (change: MailSettingsChange) => apiRequest<MailSettings>('PUT', '/mail/settings', { json: change });
export const resetMailSettings = () => apiRequest<MailSettings>('DELETE', '/mail/settings');
export const sendTestMail = (to: string) => apiRequest<OutboxMail>('POST', '/mail/test', { json: { to } });
export const fetchOutbox = () => apiRequest<OutboxMail[]>('GET', '/mail/outbox', { query: { limit: 30 } });
