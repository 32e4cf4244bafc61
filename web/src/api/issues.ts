import { apiRequest } from './client.ts';
import type { IssueHistory, IssueStatus, KonturIssue, MirroredIssue, OperationResult, Page } from './types.ts';

const issuePath = (id: string, rest = '') => `/issues/${encodeURIComponent(id)}${rest}`;

export interface IssueSearch {
  employeeId?: string;
  status?: IssueStatus;
  offset: number;
  limit: number;
}

export const searchIssues = (search: IssueSearch) => apiRequest<Page<MirroredIssue>>('GET', '/issues', { query: { ...search } });

/** The issue as Kontur has it; the server waits for Kontur's re-check to finish first. */
export const fetchIssue = (id: string) => apiRequest<OperationResult<KonturIssue>>('GET', issuePath(id)).then((result) => result.data);

export const fetchIssueHistory = (id: string) => apiRequest<IssueHistory>('GET', issuePath(id, '/history'));

export interface IssueCreation {
  employeeId: string;
  cspType: 'dss' | 'cryptoPro';
  /** Repeating the same key returns the same issue instead of a second one. */
  idempotencyKey: string;
}

export const createIssue = ({ employeeId, cspType, idempotencyKey }: IssueCreation) =>
  apiRequest<OperationResult<KonturIssue>>('POST', '/issues', { json: { employeeId, cspType }, headers: { 'idempotency-key': idempotencyKey } });

export const deleteIssue = (id: string) => apiRequest<OperationResult<null>>('DELETE', issuePath(id));

export interface PassportRequisites {
  series: string;
  number: string;
  issueDate: string;
  issuerCode: string;
  issuerName?: string;
  birthDate: string;
  birthPlace: string;
}

export const savePassport = (id: string, requisites: PassportRequisites) =>
  apiRequest<OperationResult<null>>('PUT', issuePath(id, '/documents/passport'), { json: requisites });

/** Sends one scan page; the server takes it as base64 JSON (SendingFileInfo). */
export const sendScan = (id: string, documentType: string, file: { name: string; size: number; base64: string }) =>
  apiRequest<OperationResult<unknown>>('POST', issuePath(id, `/documents/${documentType}/scans`), {
    json: { name: file.name, longSize: file.size, data: file.base64 },
  });

/** Kontur sends the SMS code to the applicant's phone; the answer is the masked phone. */
export const deleteScanPage = (id: string, documentType: string, pageId: string) =>
  apiRequest<OperationResult<null>>('DELETE', issuePath(id, `/documents/${documentType}/pages/${encodeURIComponent(pageId)}`));

export const requestStatementSmsCode = (id: string) => apiRequest<OperationResult<string>>('POST', issuePath(id, '/release-statement/sms-confirmation'));

export const requestStatementEsiaConfirmation = (id: string, applicant: { snils: string; birthDate: string }) =>
  apiRequest<OperationResult<string>>('POST', issuePath(id, '/release-statement/esia-confirmation'), { json: applicant });

/** With the SMS code, or without it once the applicant confirmed in Госуслуги. */
export const signReleaseStatement = (id: string, smsCode?: string) =>
  apiRequest<OperationResult<null>>('POST', issuePath(id, '/release-statement/sign'), { json: smsCode ? { smsCode } : {} });

export const sendForValidation = (id: string) => apiRequest<OperationResult<null>>('POST', issuePath(id, '/validation'));

export const identifySubject = (id: string, identifiedByEmployeeId: string) =>
  apiRequest<OperationResult<null>>('PUT', issuePath(id, '/subject-identification'), { json: { identifiedByEmployeeId } });

export const forwardToCabinet = (id: string) => apiRequest<OperationResult<null>>('POST', issuePath(id, '/forward-to-cabinet'));

export const assignCertificate = (id: string) => apiRequest<OperationResult<unknown>>('POST', issuePath(id, '/certificate/assign'), { json: {} });

export const releaseStatementTemplatePath = (id: string) => issuePath(id, '/templates/releaseStatement');
export const issuedCertificatePath = (id: string) => issuePath(id, '/certificate');
