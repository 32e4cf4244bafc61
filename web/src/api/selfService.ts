// The employee's own issues and certificates, and every user's switch for e-mail notices.
import { apiRequest, apiUrl } from './client.ts';
import type { EmployeeCertificate } from './types.ts';

export type MyIssueStep = 'signStatement' | 'confirmInEsia' | 'visitHr' | 'finishInCabinet' | 'downloadCertificate' | 'wait';

export interface MyIssue {
  id: string;
  status: string;
  statusName: string;
  createdAt: string;
  updatedAt: string;
  next: { step: MyIssueStep; text: string };
  statementCodeSent: boolean;
  correction: { comment: string; remarks: { code: string; target: string; targetDescription?: string; message: string }[] } | null;
  certificateThumbprint: string | null;
}

export interface MyCertificate extends EmployeeCertificate {
  daysLeft: number;
  state: 'valid' | 'notYetValid' | 'expired';
}

export interface MailSubscription {
  subscribed: boolean;
  address: string | null;
}

export const fetchMyIssues = () => apiRequest<MyIssue[]>('GET', '/me/issues');

export const requestMyStatementCode = (issueId: string) =>
  apiRequest<{ success: boolean; message: string; data: string }>('POST', `/me/issues/${encodeURIComponent(issueId)}/release-statement/sms-confirmation`);

export const signMyStatement = (issueId: string, smsCode: string) =>
  apiRequest<{ success: boolean; message: string }>('POST', `/me/issues/${encodeURIComponent(issueId)}/release-statement/sign`, { json: { smsCode } });

export const fetchMyCertificates = () => apiRequest<MyCertificate[]>('GET', '/me/certificates');

export const myCertificateFileUrl = (thumbprint: string) => apiUrl(`/me/certificates/${encodeURIComponent(thumbprint)}/file`);

export const fetchMySubscription = () => apiRequest<MailSubscription>('GET', '/me/notifications');

export const saveMySubscription = (subscribed: boolean) => apiRequest<MailSubscription>('PUT', '/me/notifications', { json: { subscribed } });
