// The body of the cloud sandbox's Sign, read as Kontur's .NET service reads it (docs/kontur-api.md §6):
// JSON whatever the Content-Type says (or without one), members that are present but null count
// as absent (clients send `"Thumbprint": null` next to `CertificateBase64`, and the unused file
// lists as null), and enum values come as numbers, numeric strings or, for SignType, names in
// any case — what Newtonsoft.Json accepts by default.
import { cloudBadRequest } from './cloud-error.ts';

/** SignType: 0 DetachedCMS, 1 RawSign, 2 DetachedCAdEST, 3 DetachedCAdESXLT1. */
export const SIGN_TYPES = ['DetachedCMS', 'RawSign', 'DetachedCAdEST', 'DetachedCAdESXLT1'] as const;
/** ConfirmMessage.Template takes 0..3. */
const TEMPLATE_COUNT = 4;
export const MAX_FILES = 100;

export type SignFileInput =
  | { kind: 'uploaded'; fileId: string }
  | { kind: 'serialized'; id: string | null; fileName: string; contentBase64: string }
  | { kind: 'hash'; fileName: string | null; hashHex: string };

export interface SignRequestInput {
  thumbprint?: string;
  certificateBase64?: string;
  files: SignFileInput[];
  signType: number;
  template?: number;
  disableCertificateConfirm: boolean;
  disableServerSign: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const present = (value: unknown) => value !== undefined && value !== null;

/** Parses the body text as JSON (a UTF-8 byte order mark is allowed); 400 InvalidBody otherwise. */
export function readJsonBody(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '');
  if (trimmed.trim() === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    throw cloudBadRequest('InvalidBody', 'The body is not valid JSON');
  }
}

/** An enum member: a number, a numeric string, or (when `names` are given) a member name in any case. */
export function readEnum(value: unknown, field: string, count: number, names?: readonly string[]): number | undefined {
  if (!present(value)) return undefined;
  let number: number | undefined;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) number = Number(value);
  else if (typeof value === 'string' && names) {
    const index = names.findIndex((name) => name.toLowerCase() === value.trim().toLowerCase());
    if (index >= 0) number = index;
  }
  if (number === undefined || !Number.isInteger(number) || number < 0 || number >= count) {
    throw cloudBadRequest('InvalidEnumValue', `${field} must be one of 0..${count - 1}${names ? ` (${names.join(', ')})` : ''}`, field);
  }
  return number;
}

function readBoolean(value: unknown, field: string): boolean {
  if (!present(value)) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  throw cloudBadRequest('InvalidBody', `${field} must be true or false`, field);
}

function readString(value: unknown, field: string, code: string): string | undefined {
  if (!present(value)) return undefined;
  if (typeof value !== 'string') throw cloudBadRequest(code, `${field} must be a string`, field);
  return value;
}

export function parseSignRequest(body: unknown): SignRequestInput {
  if (!isObject(body)) throw cloudBadRequest('InvalidBody', 'The body must be a JSON object');
  const thumbprint = readString(body.Thumbprint, 'Thumbprint', 'InvalidThumbprint');
  const certificateBase64 = readString(body.CertificateBase64, 'CertificateBase64', 'InvalidCertificate');
  if (thumbprint === undefined && certificateBase64 === undefined) throw cloudBadRequest('SignerMissing', 'Give Thumbprint or CertificateBase64', 'Thumbprint');
  const kinds = (['FileIds', 'SerializedFiles', 'FileHashes'] as const).filter((k) => present(body[k]));
  if (kinds.length !== 1) throw cloudBadRequest('InvalidFiles', 'Give exactly one of FileIds, SerializedFiles, FileHashes', 'FileIds');
  const kind = kinds[0];
  const list = body[kind];
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_FILES) throw cloudBadRequest('InvalidFiles', `${kind} must list 1 to ${MAX_FILES} files`, kind);
  const files = list.map((item, index): SignFileInput => {
    const target = `${kind}[${index}]`;
    if (kind === 'FileIds') {
      if (typeof item !== 'string') throw cloudBadRequest('InvalidFileId', 'A FileId is a string', target);
      return { kind: 'uploaded', fileId: item };
    }
    if (kind === 'SerializedFiles') {
      if (!isObject(item) || typeof item.ContentBase64 !== 'string' || typeof item.FileName !== 'string' || !item.FileName) {
        throw cloudBadRequest('InvalidSerializedFile', 'A serialized file has Id, FileName and ContentBase64', target);
      }
      return { kind: 'serialized', id: typeof item.Id === 'string' && item.Id ? item.Id : null, fileName: item.FileName, contentBase64: item.ContentBase64 };
    }
    if (!isObject(item) || typeof item.HashContent !== 'string' || !/^[0-9a-fA-F]{64}$/.test(item.HashContent.trim())) {
      throw cloudBadRequest('InvalidHash', 'HashContent is a GOST R 34.11-2012 256-bit hash: 64 hexadecimal characters', `${target}.HashContent`);
    }
    return { kind: 'hash', fileName: typeof item.FileName === 'string' && item.FileName ? item.FileName : null, hashHex: item.HashContent.trim().toLowerCase() };
  });
  const confirmMessage = body.ConfirmMessage;
  if (present(confirmMessage) && !isObject(confirmMessage)) throw cloudBadRequest('InvalidBody', 'ConfirmMessage must be an object', 'ConfirmMessage');
  return {
    thumbprint,
    certificateBase64,
    files,
    signType: readEnum(body.SignType, 'SignType', SIGN_TYPES.length, SIGN_TYPES) ?? 0,
    template: isObject(confirmMessage) ? readEnum(confirmMessage.Template, 'ConfirmMessage.Template', TEMPLATE_COUNT) : undefined,
    disableCertificateConfirm: readBoolean(body.DisableCertificateConfirm, 'DisableCertificateConfirm'),
    disableServerSign: readBoolean(body.DisableServerSign, 'DisableServerSign'),
  };
}
