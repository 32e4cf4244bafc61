// Wire types of the Kontur KCR API v1 (docs/kontur-api.md §1), camelCase as on the wire.
import type { DocumentType, ForwardedStatus, IssueStatus, TemplateType } from '../domain/issue.ts';

export interface KcrSubjectInfo {
  type: 'naturalPerson' | 'legalEntity' | 'individualEntrepreneur';
  inn?: string | null;
  lastname?: string | null;
  firstname?: string | null;
  middlename?: string | null;
  email?: string | null;
  phone?: string | null;
  organizationInfo?: { kpp?: string; position?: string; unit?: string; employeeInn?: string } | null;
}

export interface KcrCertificateTemplateInfo {
  type: 'notQualified' | 'qualified';
  useAreas?: string[];
  nonExportable?: boolean;
}

export interface KcrCspInfo {
  /** The values public clients use; the service may answer others, which are kept as they are. */
  type: 'cryptoPro' | 'dss' | 'asess' | (string & {});
  addCryptoProLicense?: boolean;
  dssApplication?: 'myDss';
}

export interface KcrCreateIssueRequest {
  certificateTemplateInfo: KcrCertificateTemplateInfo;
  subjectInfo: KcrSubjectInfo;
  cspInfo: KcrCspInfo;
}

export interface KcrPatchIssueRequest {
  subjectInfo?: Partial<KcrSubjectInfo>;
  certificateTemplateInfo?: KcrCertificateTemplateInfo;
  cspInfo?: KcrCspInfo;
}

export interface KcrRequisite {
  type: string;
  value: string;
}

export interface KcrDocumentRequest {
  requisitesToAddOrUpdate: KcrRequisite[];
  requisitesToDelete?: string[];
}

export interface KcrPage {
  id: string;
  contentType: string;
  size?: number;
  createdAt?: string;
}

export interface KcrDocument {
  type: DocumentType;
  requisites: KcrRequisite[];
  pages: KcrPage[];
}

export interface KcrRemark {
  code: string;
  target: string;
  targetDescription?: string;
  message: string;
}

export interface KcrSmevValidation {
  documentType: string;
  state: 'inProgress' | 'valid' | 'invalid' | 'unknown';
  errors: { code: string; level: 'warning' | 'fatal' | 'unknown' }[];
}

export interface KcrCertificateReleasedInfo {
  serialNumber: string;
  thumbprint: string;
  validFrom: string;
  validTo: string;
}

/** KonturIssuesResponse. */
export interface KcrIssue {
  id: string;
  baseIssueId: string | null;
  version: number;
  actualized: boolean;
  /** `unknown`: a status this client does not know (logged when read). */
  status: IssueStatus | 'unknown';
  forwardedStatus: ForwardedStatus | 'unknown';
  certificateTemplateInfo: KcrCertificateTemplateInfo;
  subjectInfo: KcrSubjectInfo;
  cspInfo: KcrCspInfo;
  certificateReleasedInfo: KcrCertificateReleasedInfo | null;
  documents: KcrDocument[];
  correctionInfo: { comment: string; remarks: KcrRemark[] } | null;
  subjectIdentification: { identificationSubjectType: string; identifiedBy: string } | null;
  innerErrors: unknown[];
  smevValidations: KcrSmevValidation[];
  createdAt: string;
  updatedAt: string;
  [more: string]: unknown;
}

export interface KcrIssueSearch {
  status?: IssueStatus[];
  inn?: string;
  subjectPhone?: string;
  subjectEmail?: string;
  offset?: number;
  limit?: number;
  sortOrder?: 'asc' | 'desc';
}

/** A search result item: the issue, with the summary fields the service adds to list items. */
export interface KcrIssueListItem extends KcrIssue {
  cspType?: string | null;
  /** Whether the certificate is in force (`valid`, ...); absent on issues without one. */
  certificateState?: string | null;
}

export interface KcrIssueList {
  issues: KcrIssueListItem[];
  totalCount: number;
}

export type KcrConfirmationRequest =
  | { operationToConfirm: 'signingReleaseStatement' }
  | { operationToConfirm: 'signingRecallStatement' }
  | { operationToConfirm: 'signingReleaseStatementWithEsia'; parameters: { snilsNumber: string; birthDate: string } };

export interface KcrSignRequest {
  confirmationInfo?: { smsCode: string };
}

export interface KcrSubjectIdentificationRequest {
  identificationSubjectType: 'headOfOrganization' | 'employee';
  identifiedBy: string;
}

export interface KcrIssueEvent {
  id: string;
  issueId: string;
  type: string;
  status?: string;
  createdAt?: string;
  [more: string]: unknown;
}

export interface KcrIssueEvents {
  events: KcrIssueEvent[];
  lastId: string;
}

export type { TemplateType, DocumentType };
