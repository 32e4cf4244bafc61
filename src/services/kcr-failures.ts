// Kontur's refusals and outages as the bridge's service errors, in Russian, with the fields of
// the bridge's own requests (Kontur's `subjectInfo.phone` is our `mobilePhone`).
import { CONFIRMATION_FAILURE_NAMES, SMEV_ERROR_NAMES } from '../domain/issue.ts';
import {
  KcrActualizingError,
  KcrApiError,
  KcrNotFoundError,
  KcrRateLimitedError,
  KcrUnauthorizedError,
  KcrUnavailableError,
  KcrValidationError,
} from '../kontur/kcr-errors.ts';
import { ConflictError, NotFoundError, ServiceError, TooManyRequestsError, ValidationError, type FieldProblem } from './errors.ts';

const FIELD_OF_TARGET: Record<string, string> = {
  'subjectInfo.inn': 'inn',
  'subjectInfo.lastname': 'lastName',
  'subjectInfo.firstname': 'firstName',
  'subjectInfo.middlename': 'middleName',
  'subjectInfo.email': 'email',
  'subjectInfo.phone': 'mobilePhone',
  'requisitesToAddOrUpdate.series': 'series',
  'requisitesToAddOrUpdate.number': 'number',
  'requisitesToAddOrUpdate.issueDate': 'issueDate',
  'requisitesToAddOrUpdate.birthDate': 'birthDate',
  'requisitesToAddOrUpdate.birthPlace': 'birthPlace',
  'requisitesToAddOrUpdate.issueOrganizationId': 'issuerCode',
  'requisitesToAddOrUpdate.issueOrganizationName': 'issuerName',
  'confirmationInfo.smsCode': 'smsCode',
  'parameters.snilsNumber': 'snils',
  'parameters.birthDate': 'birthDate',
};

const MESSAGE_OF_CODE: Record<string, string> = {
  RequiredFieldMissing: 'Обязательно для отправки заявки на проверку',
  RequisiteMissing: 'Не заполнен реквизит документа',
  DocumentMissing: 'Нужен документ, удостоверяющий личность',
  ScanMissing: 'Приложите скан документа',
  ReleaseStatementNotSigned: 'Подпишите заявление на выпуск (СМС или Госуслуги) или приложите скан подписанного заявления',
  WrongConfirmationCode: 'Неверный код из СМС',
  InvalidPageContent: 'Файл — не изображение JPEG, PNG, GIF и не PDF',
  SubjectNotIdentified: 'Сначала удостоверьте личность заявителя',
  ...SMEV_ERROR_NAMES,
};

export function fieldsOfKcr(error: KcrApiError): FieldProblem[] {
  return error.details.map((detail) => ({
    field: (detail.target && FIELD_OF_TARGET[detail.target]) ?? detail.target ?? 'issue',
    message: MESSAGE_OF_CODE[detail.code] ?? detail.message ?? detail.code,
  }));
}

/** The service error for a failed KCR call; anything that is not a KCR error is returned as is. */
export function serviceErrorOf(error: unknown): unknown {
  if (!(error instanceof KcrApiError)) return error;
  if (error instanceof KcrValidationError) {
    if (error.details.some((detail) => detail.code === 'InvalidPageContent')) return new ValidationError([{ field: 'data', message: MESSAGE_OF_CODE.InvalidPageContent }]);
    switch (error.code) {
      case 'InvalidIssueStatus':
        return new ConflictError('Это действие недоступно в текущем статусе заявки');
      case 'ConfirmationInProgress':
        return new ServiceError(409, 'confirmation-in-progress', 'Заявитель ещё не подтвердил выпуск сертификата в Госуслугах: повторите позже');
      case 'ConfirmationFailed': {
        const reason = error.details[0]?.code;
        return new ServiceError(422, 'confirmation-failed', CONFIRMATION_FAILURE_NAMES[reason ?? ''] ?? 'Подтверждение выпуска не получено');
      }
      case 'ConfirmationCodeExpired':
        return new ServiceError(422, 'confirmation-code-expired', 'Код из СМС больше не действует: запросите новый');
      case 'WrongConfirmationCode': {
        // Kontur's own text says how many tries are left ("Неверный код из СМС, осталось попыток: 2").
        const said = error.details.find((detail) => detail.code === 'WrongConfirmationCode')?.message ?? error.message;
        const message = /неверн/i.test(said ?? '') ? said : MESSAGE_OF_CODE.WrongConfirmationCode;
        return new ValidationError([{ field: 'smsCode', message }], message);
      }
      case 'ConfirmationNotRequested':
        return new ConflictError('Сначала запросите подтверждение заявления (код по СМС или через Госуслуги)');
      case 'ReleaseStatementAlreadySigned':
        return new ConflictError('Заявление на выпуск уже подписано');
      case 'CertificateNotReleased':
        return new ConflictError('Сертификат ещё не выпущен');
      case 'UnsupportedContentType':
        return new ValidationError([{ field: 'data', message: 'Скан должен быть в формате JPEG, PNG, GIF или PDF' }]);
      case 'InvalidCertificateRequest':
        return new ValidationError([{ field: 'data', message: error.message }], 'УЦ Контур не принял запрос на сертификат');
      case 'IssueNotReadyForValidation':
        return new ValidationError(fieldsOfKcr(error), 'Заявку пока нельзя отправить на проверку: исправьте замечания');
      default: {
        const fields = fieldsOfKcr(error);
        return new ValidationError(fields.length ? fields : [{ field: 'issue', message: error.message }], 'УЦ Контур не принял данные заявки');
      }
    }
  }
  if (error instanceof KcrActualizingError) {
    return new ServiceError(409, 'issue-actualizing', 'Заявка ещё проверяется в УЦ Контур после изменения: повторите через несколько секунд');
  }
  if (error instanceof KcrRateLimitedError) {
    return new TooManyRequestsError('Заявку изменяли слишком часто: УЦ Контур просит подождать', error.retryAfterSeconds);
  }
  if (error instanceof KcrNotFoundError) return new NotFoundError('Заявка не найдена в УЦ Контур');
  if (error instanceof KcrUnauthorizedError) {
    return new ServiceError(502, 'kontur-unauthorized', 'УЦ Контур не принял API-ключ: проверьте настройку KcrApiKey');
  }
  if (error instanceof KcrUnavailableError) {
    return error.status === 504
      ? new ServiceError(504, 'kontur-timeout', 'УЦ Контур не ответил вовремя: повторите позже')
      : new ServiceError(502, 'kontur-unavailable', 'УЦ Контур временно недоступен: повторите позже');
  }
  return new ServiceError(502, 'kontur-protocol', `УЦ Контур ответил непредусмотренным образом (${error.status})`);
}
