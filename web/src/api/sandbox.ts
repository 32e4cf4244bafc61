// The built-in sandbox's console (/sandbox/console): administrators and the sandbox role (an
// employee may read only the SMS sent to his own phone, through the API).
import { apiRequest, SANDBOX_CONSOLE_BASE } from './client.ts';
import { fetchSettings } from './settings.ts';
import type { FaultSettings, Role, SandboxIssue, SandboxSms } from './types.ts';

// A 401 here means the console is closed to this user, not that the session ended.
const consoleOptions = { base: SANDBOX_CONSOLE_BASE, quietUnauthorized: true } as const;

/** Whether the settings point at the built-in sandbox, as far as the menu needs it: admins read the settings. */
export async function isSandboxMode(role: Role): Promise<boolean> {
  return role === 'admin' ? (await fetchSettings()).sandboxMode : false;
}

export const fetchSmsOutbox = (phone?: string) =>
  apiRequest<{ messages: SandboxSms[] }>('GET', '/sms', { ...consoleOptions, query: { phone } }).then((answer) => answer.messages);

export const fetchSandboxIssues = () =>
  apiRequest<{ issues: SandboxIssue[]; totalCount: number }>('GET', '/issues', { ...consoleOptions, query: { limit: 50 } });

const issueAction = (id: string, action: string, json?: unknown) =>
  apiRequest<unknown>('POST', `/issues/${encodeURIComponent(id)}/${action}`, { ...consoleOptions, json });

export const approveIssue = (id: string) => issueAction(id, 'approve');
export const requestCorrection = (id: string, comment: string, remarks: { target: string; message: string }[]) =>
  issueAction(id, 'correction', { comment, remarks });
export type EsiaResult = 'confirmed' | 'rejected' | 'userNotFound' | 'expired';
export const answerEsia = (id: string, result: EsiaResult) => issueAction(id, 'esia', { result });
export const releaseIssue = (id: string) => issueAction(id, 'release');

/** KCR (issuance) and cloud signature have separate fault switches. */
export type FaultTarget = 'kcr' | 'cloud';
const faultsPath = (target: FaultTarget) => (target === 'kcr' ? '/faults' : '/cloud/faults');

export const fetchFaults = (target: FaultTarget) => apiRequest<FaultSettings>('GET', faultsPath(target), consoleOptions);
export const saveFaults = (target: FaultTarget, settings: FaultSettings) =>
  apiRequest<FaultSettings>('PUT', faultsPath(target), {
    ...consoleOptions,
    json: { latencyMs: settings.latencyMs, errorRate: settings.errorRate, timeoutRate: settings.timeoutRate },
  });

/** A Реестро form as the sandbox CA sees it. */
export interface SandboxReestroForm {
  formId: string;
  state: string;
  person: { subjectId: string; person?: Record<string, unknown>; soleProprietor?: Record<string, unknown> };
  organization?: { subjectId: string; organization?: Record<string, unknown> };
  releasedAt: string | null;
}

export const fetchSandboxReestroForms = () =>
  apiRequest<{ forms: SandboxReestroForm[] }>('GET', '/reestro/forms', { ...consoleOptions, query: { state: 'Releasing' } }).then((answer) => answer.forms);

export const approveReestroForm = (formId: string) => apiRequest<unknown>('POST', `/reestro/forms/${encodeURIComponent(formId)}/approve`, consoleOptions);
export const rejectReestroForm = (formId: string, message: string) =>
  apiRequest<unknown>('POST', `/reestro/forms/${encodeURIComponent(formId)}/reject`, { ...consoleOptions, json: { reasons: [{ message }] } });

/** A message the sandbox's SMTP mail catcher received. */
export interface CaughtMailSummary {
  id: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  from: string | null;
  to: string | null;
  subject: string | null;
  receivedAt: string;
}

export interface CaughtMail extends CaughtMailSummary {
  text: string | null;
  html: string | null;
  size: number;
}

export const fetchMailbox = (to?: string) =>
  apiRequest<{ smtp: { host: string; port: number }; messages: CaughtMailSummary[] }>('GET', '/mail', { ...consoleOptions, query: { to, limit: 50 } });

export const fetchCaughtMail = (id: string) => apiRequest<CaughtMail>('GET', `/mail/${encodeURIComponent(id)}`, consoleOptions);
