// The wire format of Kontur's cloud signature API v3 (KONTUR_API.md §2): PascalCase JSON.

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

export interface CloudSignRequest {
  Thumbprint?: string;
  CertificateBase64?: string;
  FileIds?: string[];
  SerializedFiles?: CloudSerializedFile[];
  FileHashes?: CloudFileHash[];
  ConfirmMessage?: { Template: string };
  DisableCertificateConfirm?: boolean;
  DisableServerSign?: boolean;
  /** 0 = detached CMS. */
  SignType?: 0 | 1 | 2 | 3;
}

/** The seed's KonturSignResponse. */
export interface CloudSignResponse {
  OperationId: string;
  /** 1 SMS, 2 push in myDSS, 4 push in the Kontur app. */
  ConfirmType: number;
  PhoneLastNumbers: string | null;
  AdditionalDssInfo: unknown;
}

export interface CloudFileStatus {
  FileId?: string | null;
  FileName?: string | null;
  ResultId: string | null;
  ResultSize: number | null;
  Error: string | null;
}

export interface CloudStatusResponse {
  /** Finished when greater than 1; 2 = completed; other finished values are failures. */
  OperationStatus: number;
  FileStatuses: CloudFileStatus[];
}

export const CLOUD_OPERATION_COMPLETED = 2;
