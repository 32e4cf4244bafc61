// The wire format of Kontur's cloud signature API v3 (docs/kontur-api.md §2 and §6): PascalCase JSON,
// enumerations as Kontur's public clients know them, and what the client makes of an answer.

export interface CloudCreateFileResponse {
  FileId: string;
  /** Bytes already received: an upload resumes from here. */
  Length: number;
}

export interface CloudSerializedFile {
  Id: string;
  FileName: string;
  ContentBase64: string;
}

export interface CloudFileHash {
  FileName: string;
  /** Streebog-256 as hex in OpenSSL's byte order (what `cpverify -mk -alg GR3411_2012_256` prints). */
  HashContent: string;
}

/** SignType: what Kontur returns as the signature. */
export const CLOUD_SIGN_TYPE = { DetachedCMS: 0, RawSign: 1, DetachedCAdEST: 2, DetachedCAdESXLT1: 3 } as const;

/** ConfirmMessage.Template: 0..3 (0: an SMS with the code). */
export type CloudConfirmTemplate = 0 | 1 | 2 | 3;

export interface CloudSignRequest {
  Thumbprint?: string;
  CertificateBase64?: string;
  FileIds?: string[];
  SerializedFiles?: CloudSerializedFile[];
  FileHashes?: CloudFileHash[];
  ConfirmMessage?: { Template: CloudConfirmTemplate };
  DisableCertificateConfirm?: boolean;
  DisableServerSign?: boolean;
  SignType?: (typeof CLOUD_SIGN_TYPE)[keyof typeof CLOUD_SIGN_TYPE];
}

/** ConfirmType: how the owner confirms (Diadoc's public enum also has 0 None). */
export const CLOUD_CONFIRM_TYPES = ['None', 'Sms', 'MyDss', 'Applet', 'MobileSdk'] as const;

/** The seed's KonturSignResponse, read from Sign's answer. */
export interface CloudSignResponse {
  OperationId: string;
  /** 1 SMS, 2 push in myDSS, 3 SIM applet, 4 push in the Kontur app; null when Kontur sent something else. */
  ConfirmType: number | null;
  PhoneLastNumbers: string | null;
  /** `{DssOperator}`: 1 Megafon, 2 Kontur, 3 Beeline. */
  AdditionalDssInfo: unknown;
}

/** OperationStatus, by its number. */
export const CLOUD_OPERATION_STATUSES = [
  'Enqueued',
  'InProgress',
  'Completed',
  'CanceledByUser',
  'Timeout',
  'Crashed',
  'UserHasUnconfirmedOperation',
  'AwaitingForConfirmation',
  'ExceededConfirmationAttemptsCount',
  'StartConfirmationFailed',
] as const;
export type CloudOperationStatusName = (typeof CLOUD_OPERATION_STATUSES)[number];

/** FileStatuses[].Status and .ErrorCode, by number. */
export const CLOUD_FILE_STATUSES = ['InProgress', 'Completed', 'Error'] as const;
export type CloudFileStatusName = (typeof CLOUD_FILE_STATUSES)[number];
export const CLOUD_FILE_ERROR_CODES = ['None', 'Unknown', 'BadEncryptedData', 'EncryptedForOtherRecipient', 'UnknownCertificate', 'Declined'] as const;
export type CloudFileErrorCodeName = (typeof CLOUD_FILE_ERROR_CODES)[number];

/** One file of GetStatus, read field by field; values Kontur sent that this client does not know are 'Unrecognized'. */
export interface CloudFileResult {
  fileId: string | null;
  /** Older answers name the file instead (kept for them). */
  fileName: string | null;
  hash: string | null;
  status: CloudFileStatusName | 'Unrecognized';
  errorId: string | null;
  errorCode: CloudFileErrorCodeName | 'Unrecognized';
  /** A free-text error some answers carry. */
  error: string | null;
  resultId: string | null;
  /** 0 until the result is ready. */
  resultSize: number;
  resultMd5: string | null;
}

/** GetStatus as the client understood it. */
export interface CloudOperationState {
  operationId: string | null;
  status: CloudOperationStatusName | 'Unrecognized';
  /** OperationStatus exactly as Kontur sent it (for logs and messages). */
  rawStatus: unknown;
  files: CloudFileResult[];
}
