// Failures of the cloud signature API as the bridge's service errors, and the reasons Kontur
// ends an operation without a signature, in Russian.
import {
  CloudApiError,
  CloudNotFoundError,
  CloudRateLimitedError,
  CloudTunnelError,
  CloudUnauthorizedError,
  CloudUnavailableError,
  CloudValidationError,
} from '../kontur/cloud-errors.ts';
import type { CloudFileErrorCodeName, CloudFileResult, CloudOperationStatusName } from '../kontur/cloud-types.ts';
import { NotFoundError, ServiceError, TooManyRequestsError, ValidationError } from './errors.ts';

export const MAX_WRONG_CODES = 3;

export function serviceErrorOfCloud(error: unknown): unknown {
  if (!(error instanceof CloudApiError)) return error;
  if (error instanceof CloudValidationError) {
    switch (error.code) {
      case 'CertificateNotFound':
        return new ServiceError(422, 'cloud-certificate-unknown', 'УЦ Контур не знает этот облачный сертификат: подписать им нельзя');
      case 'CertificateRevoked':
        return new ServiceError(422, 'cloud-certificate-revoked', 'Облачный сертификат отозван удостоверяющим центром: подписать им нельзя');
      case 'Md5Mismatch':
        return new ServiceError(502, 'cloud-upload-corrupted', 'Файл повредился при передаче в УЦ Контур: повторите подписание');
      default:
        return new ValidationError([{ field: 'document', message: `УЦ Контур не принял запрос: ${error.message}` }], 'УЦ Контур не принял запрос на подписание');
    }
  }
  if (error instanceof CloudNotFoundError) return new NotFoundError('Операция не найдена в УЦ Контур');
  if (error instanceof CloudRateLimitedError) return new TooManyRequestsError('УЦ Контур просит подождать: повторите позже', error.retryAfterSeconds);
  if (error instanceof CloudUnauthorizedError) {
    return new ServiceError(502, 'kontur-unauthorized', 'Облачная подпись УЦ Контур не приняла клиентский сертификат: проверьте настройку CryptoAuthenticationCertificateThumbprint');
  }
  // The tunnel's own message names the cause (certificate refused, server untrusted, stunnel down).
  if (error instanceof CloudTunnelError) return new ServiceError(502, `gost-tunnel-${error.failure}`, error.message);
  if (error instanceof CloudUnavailableError) {
    return error.status === 504
      ? new ServiceError(504, 'kontur-timeout', 'УЦ Контур не ответил вовремя: повторите позже')
      : new ServiceError(502, 'kontur-unavailable', 'УЦ Контур временно недоступен: повторите позже');
  }
  return new ServiceError(502, 'kontur-protocol', `УЦ Контур ответил непредусмотренным образом (${error.status})`);
}

/** An operation Kontur ended without a signature: the bridge's error code and the reason, in Russian. */
export interface CloudFailure {
  code: string;
  message: string;
}

const FAILURES: Record<Exclude<CloudOperationStatusName, 'Enqueued' | 'InProgress' | 'Completed' | 'AwaitingForConfirmation'>, CloudFailure> = {
  CanceledByUser: { code: 'cancelled-by-user', message: 'Владелец сертификата отклонил операцию подписания в УЦ Контур' },
  Timeout: { code: 'expired', message: 'Время на ввод кода из СМС истекло: начните подписание заново' },
  Crashed: { code: 'kontur-crashed', message: 'Сбой подписания в УЦ Контур: начните подписание заново' },
  UserHasUnconfirmedOperation: {
    code: 'unconfirmed-operation-exists',
    message: 'У владельца сертификата есть другая операция подписания, ожидающая кода из СМС: подтвердите её или дождитесь, пока время на ввод кода истечёт, и начните подписание заново',
  },
  ExceededConfirmationAttemptsCount: { code: 'wrong-code-limit', message: `Код из СМС введён неверно ${MAX_WRONG_CODES} раза: операция подписания отменена. Начните подписание заново` },
  StartConfirmationFailed: { code: 'sms-not-sent', message: 'УЦ Контур не смог отправить СМС с кодом подтверждения: проверьте номер телефона владельца сертификата и начните подписание заново' },
};

const FILE_ERRORS: Record<CloudFileErrorCodeName | 'Unrecognized', string> = {
  None: 'подпись не сформирована',
  Unknown: 'неизвестная ошибка',
  BadEncryptedData: 'повреждённые зашифрованные данные',
  EncryptedForOtherRecipient: 'данные зашифрованы для другого получателя',
  UnknownCertificate: 'УЦ Контур не знает сертификат подписанта',
  Declined: 'владелец сертификата отклонил операцию',
  Unrecognized: 'ошибка неизвестного вида',
};

/** Why Kontur ended the operation without a signature (a status other than 0, 1, 2 and 7). */
export function cloudFailure(status: CloudOperationStatusName | 'Unrecognized', rawStatus?: unknown): CloudFailure {
  if (status in FAILURES) return FAILURES[status as keyof typeof FAILURES];
  return { code: 'kontur-failed', message: `Операция подписания завершилась ошибкой в УЦ Контур (статус ${JSON.stringify(rawStatus ?? status)})` };
}

/** Why one file of a completed operation has no signature. */
export function cloudFileFailure(file: CloudFileResult): CloudFailure {
  return { code: 'kontur-file-failed', message: `УЦ Контур не подписал файл: ${FILE_ERRORS[file.errorCode]}${file.error ? ` (${file.error})` : ''}. Начните подписание заново` };
}
