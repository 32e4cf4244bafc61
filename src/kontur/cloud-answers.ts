// Reading the cloud API's answers the way Kontur's real service may send them: enumerations as
// numbers, numeric strings or names, members missing or null, fields this client has never
// heard of. Unknown fields are ignored; an enumeration value the client does not know is kept
// as 'Unrecognized' and logged (once per value), never a crash. Only an answer without what the
// bridge cannot do without (an OperationId from Sign) is a protocol error.
import type { Logger } from 'pino';
import { CloudProtocolError } from './cloud-errors.ts';
import {
  CLOUD_CONFIRM_TYPES,
  CLOUD_FILE_ERROR_CODES,
  CLOUD_FILE_STATUSES,
  CLOUD_OPERATION_STATUSES,
  type CloudFileResult,
  type CloudOperationState,
  type CloudSignResponse,
} from './cloud-types.ts';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const warned = new Set<string>();

function warnOnce(logger: Logger, field: string, value: unknown): void {
  const key = `${field}=${JSON.stringify(value)}`;
  if (warned.has(key)) return;
  warned.add(key);
  logger.warn({ field, value }, 'Kontur cloud API: a value this client does not know; treated as unrecognized');
}

/** The member of `names` that `value` denotes (number, numeric string or name in any case), else 'Unrecognized'. */
export function readEnumValue<const T extends readonly string[]>(value: unknown, names: T, field: string, logger: Logger): T[number] | 'Unrecognized' {
  let index = -1;
  if (typeof value === 'number' && Number.isInteger(value)) index = value;
  else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) index = Number(value);
  else if (typeof value === 'string') index = names.findIndex((name) => name.toLowerCase() === value.trim().toLowerCase());
  if (index >= 0 && index < names.length) return names[index];
  warnOnce(logger, field, value);
  return 'Unrecognized';
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);

function size(value: unknown): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : 0;
}

/** Sign's answer: the seed's KonturSignResponse. */
export function readSignResponse(body: unknown, logger: Logger): CloudSignResponse {
  if (!isObject(body) || typeof body.OperationId !== 'string' || body.OperationId === '') {
    throw new CloudProtocolError(200, 'NoOperationId', 'the Sign answer carries no OperationId', 'cloud.sign');
  }
  let confirmType: number | null = null;
  if (body.ConfirmType !== undefined && body.ConfirmType !== null) {
    const name = readEnumValue(body.ConfirmType, CLOUD_CONFIRM_TYPES, 'ConfirmType', logger);
    confirmType = name === 'Unrecognized' ? null : CLOUD_CONFIRM_TYPES.indexOf(name);
  }
  return {
    OperationId: body.OperationId,
    ConfirmType: confirmType,
    PhoneLastNumbers: text(body.PhoneLastNumbers),
    AdditionalDssInfo: body.AdditionalDssInfo ?? null,
  };
}

function readFile(file: unknown, logger: Logger): CloudFileResult {
  const item = isObject(file) ? file : {};
  const status = item.Status === undefined || item.Status === null ? 'Unrecognized' : readEnumValue(item.Status, CLOUD_FILE_STATUSES, 'FileStatuses.Status', logger);
  const errorCode = item.ErrorCode === undefined || item.ErrorCode === null ? 'None' : readEnumValue(item.ErrorCode, CLOUD_FILE_ERROR_CODES, 'FileStatuses.ErrorCode', logger);
  return {
    fileId: text(item.FileId),
    fileName: text(item.FileName),
    hash: text(item.Hash),
    status,
    errorId: text(item.ErrorId),
    errorCode,
    error: text(item.Error),
    resultId: text(item.ResultId),
    resultSize: size(item.ResultSize),
    resultMd5: text(item.ResultMD5),
  };
}

/** GetStatus's (and Confirm's) answer. */
export function readOperationState(body: unknown, logger: Logger, operation = 'cloud.getStatus'): CloudOperationState {
  if (!isObject(body) || body.OperationStatus === undefined || body.OperationStatus === null) {
    throw new CloudProtocolError(200, 'NoOperationStatus', 'the answer carries no OperationStatus', operation);
  }
  return {
    operationId: text(body.OperationId),
    status: readEnumValue(body.OperationStatus, CLOUD_OPERATION_STATUSES, 'OperationStatus', logger),
    rawStatus: body.OperationStatus,
    files: Array.isArray(body.FileStatuses) ? body.FileStatuses.map((file) => readFile(file, logger)) : [],
  };
}
