import { apiRequest } from './client.ts';

export type CertificateState = 'valid' | 'expiring' | 'expired' | 'revoked';
export type CertificateSource = 'kcr' | 'reestro' | 'upload';

export interface InventoryCertificate {
  id: string;
  employeeId: string;
  ownerName: string;
  ownerState: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  thumbprint: string;
  validFrom: string;
  validTo: string;
  state: CertificateState;
  source: CertificateSource;
  cspType: string | null;
  issueId: string | null;
  revokedAt: string | null;
  replacedById: string | null;
  renewal: { state: string; issueId: string | null; reason: string | null } | null;
}

export interface CertificateSummary {
  total: number;
  byState: Record<CertificateState, number>;
  daysToNearestExpiry: number | null;
  expiriesByMonth: { month: string; count: number }[];
}

export interface RevocationAnswer {
  status: 'good' | 'revoked' | 'unknown';
  source: 'ocsp' | 'crl' | null;
  checkedAt: string;
  ageSeconds: number;
  cached: boolean;
  revokedAt: string | null;
  reason: string | null;
  message: string;
}

export interface CertificateCondition {
  type: 'Ready' | 'RenewalDue' | 'Renewing' | 'RenewalFailed' | 'Replaced';
  reason: string;
  renewalIssueId: string | null;
}

export interface CertificateNotice {
  certificateId: string;
  thumbprint: string;
  daysBefore: number;
  validTo: string;
  createdAt: string;
}

export const listCertificates = (filter: { state?: CertificateState; source?: CertificateSource; employeeId?: string; query?: string; limit: number; after?: string }) =>
  apiRequest<{ items: InventoryCertificate[]; nextCursor: string | null }>('GET', '/certificates', { query: filter });

export const fetchCertificateSummary = () => apiRequest<CertificateSummary>('GET', '/certificates/summary');

export const renewCertificate = (id: string) => apiRequest<CertificateCondition>('POST', `/certificates/${encodeURIComponent(id)}/renewal`);

export const fetchCertificateCondition = (id: string) => apiRequest<CertificateCondition>('GET', `/certificates/${encodeURIComponent(id)}/condition`);

export const fetchRevocation = (id: string, fresh = false) => apiRequest<RevocationAnswer>('GET', `/certificates/${encodeURIComponent(id)}/revocation`, { query: { fresh: fresh ? 'true' : undefined } });

export const requestRecall = (id: string) => apiRequest<{ phone: string }>('POST', `/certificates/${encodeURIComponent(id)}/recall-requests`);

export const recallCertificate = (id: string, smsCode: string) =>
  apiRequest<{ certificateId: string; revocation: RevocationAnswer }>('POST', `/certificates/${encodeURIComponent(id)}/recall`, { json: { smsCode } });

export const fetchCertificateNotices = (employeeId: string) => apiRequest<CertificateNotice[]>('GET', `/employees/${encodeURIComponent(employeeId)}/certificate-notices`);

export const dismissEmployee = (employeeId: string) =>
  apiRequest<{ employeeId: string; state: 'dismissed'; recallable: { id: string; thumbprint: string; validTo: string; recallable: boolean }[] }>('POST', `/employees/${encodeURIComponent(employeeId)}/dismissal`);

export const reinstateEmployee = (employeeId: string) => apiRequest<void>('DELETE', `/employees/${encodeURIComponent(employeeId)}/dismissal`);
