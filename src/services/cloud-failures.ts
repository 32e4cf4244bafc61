// Failures of the cloud signature API as the bridge's service errors, in Russian.
import {
  CloudApiError,
  CloudNotFoundError,
  CloudRateLimitedError,
  CloudTunnelError,
  CloudUnauthorizedError,
  CloudUnavailableError,
  CloudValidationError,
} from '../kontur/cloud-errors.ts';
import { NotFoundError, ServiceError, TooManyRequestsError, ValidationError } from './errors.ts';

export function serviceErrorOfCloud(error: unknown): unknown {
  if (!(error instanceof CloudApiError)) return error;
  if (error instanceof CloudValidationError) {
    switch (error.code) {
      case 'CertificateNotFound':
        return new ServiceError(422, 'cloud-certificate-unknown', 'УЦ Контур не знает этот облачный сертификат: подписать им нельзя');
      case 'PhoneMissing':
        return new ServiceError(422, 'cloud-phone-missing', 'У владельца сертификата в УЦ Контур нет номера телефона для кода подтверждения');
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

/** OperationStatus values that end an operation without a signature, in Russian. */
export function cloudFailureMessage(operationStatus: number, fileError?: string | null): string {
  switch (operationStatus) {
    case 3:
      return 'Операция подписания отменена в УЦ Контур (подтверждение не получено)';
    case 4:
      return 'Время на подтверждение операции истекло: начните подписание заново';
    case 5:
      return `Сбой подписания в УЦ Контур${fileError ? `: ${fileError}` : ''}: начните подписание заново`;
    case 6:
      return 'У пользователя есть неподтверждённая операция в УЦ Контур: завершите или отмените её';
    case 7:
      return 'УЦ Контур просит повторить операцию: начните подписание заново';
    default:
      return `Операция подписания завершилась ошибкой в УЦ Контур (статус ${operationStatus})`;
  }
}
