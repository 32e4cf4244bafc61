// What the server's API sends and takes (see /api/openapi.json).
import type { EmployeeFields } from '../../../src/domain/employee.ts';

export type { EmployeeFields };

export type Role = 'admin' | 'operator' | 'employee' | 'sandbox';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  employeeId: string | null;
  serviceAccount: boolean;
  disabled: boolean;
  /** E-mail notices on (to the linked employee card's e-mail); each user switches them for herself. */
  mailNotifications: boolean;
  createdAt: string;
  updatedAt: string;
  /** In the list of users: the linked employee card's name. */
  employeeName?: string | null;
}

export type EmployeeField = keyof EmployeeFields;

export interface Employee extends EmployeeFields {
  id: string;
  /** dismissed: the employee left; the card offers to recall the certificates. */
  state?: 'active' | 'dismissed';
  dismissedAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EmployeeCertificate {
  id: string;
  revokedAt?: string | null;
  replacedById?: string | null;
  employeeId: string;
  thumbprint: string;
  serialNumber: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  source: string;
  cspType: string | null;
  issueId: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface CsvImportReport {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: { row: number; field: string; message: string }[];
}

export const SETTING_NAMES = [
  'CryptoApiConnectionAddress',
  'CryptoApiTransport',
  'CryptoAuthenticationCertificateThumbprint',
  'KcrApiConnectionAddress',
  'KcrApiKey',
  'RestClientMaxTimeout',
  'ReestroApiConnectionAddress',
  'ReestroApiKey',
  'ReestroOrganizationId',
] as const;

export type SettingName = (typeof SETTING_NAMES)[number];

/** direct: Node's http/https; gost-tunnel: GOST TLS through the server's stunnel. */
export type CryptoApiTransport = 'direct' | 'gost-tunnel';

export interface ConnectionSettings {
  CryptoApiConnectionAddress: string;
  CryptoApiTransport: CryptoApiTransport;
  CryptoAuthenticationCertificateThumbprint: string;
  KcrApiConnectionAddress: string;
  /** Masked: only the last four characters. */
  KcrApiKey: string;
  RestClientMaxTimeout: number;
  ReestroApiConnectionAddress: string;
  /** Masked: only the last four characters. */
  ReestroApiKey: string;
  ReestroOrganizationId: string;
  defaults: SettingName[];
  sandboxMode: boolean;
}

export type SettingsChange = Partial<Record<SettingName, string | number>>;

export type CheckStepStatus = 'ok' | 'failed' | 'skipped';

/** POST /settings/check: one harmless call per Kontur API, step by step. */
export interface ConnectionCheck {
  ok: boolean;
  checkedAt: string;
  apis: {
    api: 'kcr' | 'cloud';
    title: string;
    address: string;
    transport: CryptoApiTransport;
    ok: boolean;
    steps: { step: string; title: string; status: CheckStepStatus; message: string; ms?: number }[];
  }[];
}

export interface ApiKey {
  id: string;
  userId: string;
  username: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey {
  id: string;
  name: string;
  token: string;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  /** The login; `system` for the server itself, `anonymous` without a sign-in. */
  actorName: string;
  /** The user's name. */
  actorDisplayName: string;
  /** The operationId of the operation (or a system event). */
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** A person's name (the employee, the applicant of an issue), a file name, a key's name. */
  targetName: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown> | null;
  requestId: string | null;
  konturRequestId: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextBefore: number | null;
}

/** The manual's OperationResult: every issuance and signing call answers with it. */
export interface OperationResult<T> {
  success: boolean;
  message: string;
  data: T;
}

export type IssueStatus = 'preparing' | 'validating' | 'correction' | 'approved' | 'releasing' | 'released';

export interface IssueRequisite {
  type: string;
  value: string;
}

export interface IssueDocument {
  type: string;
  requisites: IssueRequisite[];
  pages: { id: string; contentType: string; size: number; createdAt: string }[];
}

export interface IssueRemark {
  code: string;
  target: string;
  targetDescription?: string;
  message: string;
}

export interface SmevValidation {
  documentType: string;
  state: 'inProgress' | 'valid' | 'invalid';
  errors: { code: string; level: 'warning' | 'fatal' }[];
}

/** KonturIssuesResponse as Kontur returns it. */
export interface KonturIssue {
  id: string;
  version: number;
  actualized: boolean;
  status: IssueStatus;
  forwardedStatus: 'none' | 'forwardedToCabinet';
  subjectInfo: { lastname?: string; firstname?: string; middlename?: string; email?: string; phone?: string; inn?: string };
  cspInfo: { type: string } | null;
  certificateReleasedInfo: Record<string, unknown> | null;
  documents: IssueDocument[];
  releaseStatementSigned: boolean;
  correctionInfo: { comment?: string; remarks: IssueRemark[] } | null;
  subjectIdentification: Record<string, unknown> | null;
  smevValidations: SmevValidation[];
  createdAt: string;
  updatedAt: string;
}

/** An issue in the bridge's own mirror (the list). */
export interface MirroredIssue {
  id: string;
  employeeId: string | null;
  status: IssueStatus;
  forwardedStatus: string;
  actualized: boolean;
  version: number;
  cspType: string | null;
  createdBy: string;
  deletedAt: string | null;
  certificateThumbprint: string | null;
  certificateError: string | null;
  snapshot: Partial<KonturIssue>;
  createdAt: string;
  updatedAt: string;
}

export interface IssueHistoryEntry {
  id: number;
  issueId: string;
  action: string;
  actor: string;
  status: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface IssueScan {
  id: string;
  documentType: string;
  fileName: string;
  contentType: string;
  size: number;
  createdBy: string;
  createdAt: string;
}

export interface IssueHistory {
  employeeId: string | null;
  history: IssueHistoryEntry[];
  scans: IssueScan[];
}

/** One server-sent event about an issue. */
export interface IssueNotification {
  type: 'issue.created' | 'issue.changed' | 'issue.statusChanged' | 'issue.deleted' | 'issue.certificateAttached';
  issueId: string;
  employeeId: string | null;
  status: string | null;
  previousStatus?: string | null;
  actualized?: boolean;
  thumbprint?: string;
  at: string;
}

export interface DocumentSignature {
  id: string;
  operationId: string;
  employeeId: string | null;
  certificateThumbprint: string;
  certificateSubject: string;
  certificateSerialNumber: string;
  signerName: string | null;
  signingTime: string | null;
  verifiedAt: string;
  createdAt: string;
}

export interface StoredDocument {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  streebog256: string;
  sha256: string;
  ownerEmployeeId: string | null;
  ownerName: string | null;
  uploadedBy: string | null;
  uploadedByName: string | null;
  createdAt: string;
  signatures: DocumentSignature[];
}

export interface SignatureCheck {
  documentId: string;
  signatureId: string;
  valid: boolean;
  reason: string | null;
  message: string;
  signer: { subject: string; issuer: string; serialNumber: string; thumbprint: string; validFrom: string; validTo: string } | null;
  signingTime: string | null;
  level: string | null;
  timeStamp: string | null;
  verifiedAt: string;
}

export interface CloudCertificate {
  id: string;
  thumbprint: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
}

export type SignStatusName = 'Unknown' | 'WaitingUser' | 'InProgress' | 'Complete' | 'Error';

export interface SignStarted {
  operationId: string;
  documentId: string;
  /** Every document of the operation (one SMS code for all of them). */
  documentIds: string[];
  method: string;
  confirmType: number | null;
  phoneLastNumbers: string | null;
  signStatus: number;
  signStatusName: SignStatusName;
}

/** One document of a signing operation and its own outcome. */
export interface SignedDocumentStatus {
  documentId: string;
  fileName: string;
  state: 'pending' | 'signed' | 'error';
  signatureId: string | null;
  error: string | null;
}

export interface SignStatus {
  operationId: string;
  documentId: string;
  signStatusName: SignStatusName;
  /** `complete` when at least one document is signed. */
  state: 'created' | 'waitingUser' | 'inProgress' | 'complete' | 'error';
  fileStatuses: SignedDocumentStatus[];
  signedCount: number;
  certificateThumbprint: string;
  phoneLastNumbers: string | null;
  attemptsLeft: number | null;
  errorCode: string | null;
  message: string;
  signatureId: string | null;
}

export interface StoredCertificate {
  kind: 'trustedRoot' | 'client';
  thumbprint: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  createdAt: string;
  format: 'pem' | 'pfx' | null;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: string;
  eventKey: string;
  eventType: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface SandboxSms {
  id: string;
  phone: string;
  text: string;
  code: string | null;
  issueId: string | null;
  purpose: string;
  createdAt: string;
}

export interface SandboxIssue extends KonturIssue {
  pendingConfirmation: { operation: string; state: string } | null;
  releaseStatementSignedBy: 'sms' | 'esia' | 'scan' | null;
}

export interface FaultSettings {
  latencyMs: number;
  errorRate: number;
  timeoutRate: number;
  injected?: { requests: number; errors: number; timeouts: number };
}

/** A subject at Kontur Реестро made by the module (GET /reestro-subjects). */
export interface ReestroSubject {
  id: string;
  kind: 'person' | 'soleProprietor' | 'organization';
  employeeId: string | null;
  subjectId: string | null;
  externalId: string;
  displayName: string;
  inn: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface ReestroContentInfo {
  contentId: string;
  contentType: string;
  md5: string;
  size?: number;
}

export interface CertificateFormDocument {
  documentId: string;
  type: string;
  typeName: string;
  code: string;
  requisites: { number?: string; series?: string; issueDate?: string; issuerCode?: string; issuerName?: string };
  source: 'file' | 'document' | 'issueScan' | 'content';
  fileName?: string;
  content?: ReestroContentInfo;
}

export interface CertificateFormCertificate {
  certificateState: string;
  validFrom: string;
  validTo: string;
  name: string | null;
  inn: string | null;
  ogrn: string | null;
  kpp: string | null;
  thumbprint: string | null;
  serialNumber: string | null;
  subject: string | null;
  inEmployeeCard: boolean;
}

/** A certificate form at Kontur Реестро (GET /certificate-forms/{id}). */
export interface CertificateForm {
  id: string;
  formId: string | null;
  externalId: string;
  ownerType: 'person' | 'soleProprietor' | 'legalEntity';
  ownerTypeName: string;
  ownerName: string;
  organizationName: string | null;
  employeeId: string | null;
  personSubjectId: string;
  organizationSubjectId: string | null;
  state: string | null;
  stateName: string | null;
  editable: boolean;
  documents: CertificateFormDocument[];
  validationErrors: { code: string; field: string; message: string }[];
  statement: (ReestroContentInfo & { fileName?: string }) | null;
  certificate: CertificateFormCertificate | null;
  certificateError: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  releasedAt: string | null;
  checkedAt: string | null;
}
