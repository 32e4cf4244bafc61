// Certificate issues at the Kontur CA (KCR): statuses and what may change in each, document,
// template and remark types, SMEV check codes, with the Russian names users see. Pure data
// shared by the KCR client, the issues service and the web client. (The sandbox keeps its own.)

export const ISSUE_STATUSES = ['preparing', 'validating', 'correction', 'approved', 'releasing', 'released'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export const ISSUE_STATUS_NAMES: Record<IssueStatus | 'unknown', string> = {
  unknown: 'Неизвестно',
  preparing: 'Подготовка',
  validating: 'На проверке у оператора УЦ',
  correction: 'Требует исправлений',
  approved: 'Одобрена',
  releasing: 'Выпускается',
  released: 'Сертификат выпущен',
};

export const FORWARDED_STATUSES = ['none', 'forwardedToCabinet'] as const;
export type ForwardedStatus = (typeof FORWARDED_STATUSES)[number];

/** The manual: delete only in these statuses. */
export const DELETABLE_STATUSES: readonly IssueStatus[] = ['preparing', 'correction', 'approved'];

/** Applicant data and documents may change here; in `approved` only identity documents. */
export const EDITABLE_STATUSES: readonly IssueStatus[] = ['preparing', 'correction'];

export const DOCUMENT_TYPES = [
  'passport',
  'otherIdentity',
  'snils',
  'egrul',
  'managementCompanyEgrul',
  'egrip',
  'naturalPersonInn',
  'signingAuthority',
  'warrantWithUseAreas',
  'releaseStatement',
  'applicantWarrant',
  'applicantPhoto',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_TYPE_NAMES: Record<DocumentType, string> = {
  passport: 'Паспорт РФ',
  otherIdentity: 'Другой документ, удостоверяющий личность',
  snils: 'СНИЛС',
  egrul: 'Выписка из ЕГРЮЛ',
  managementCompanyEgrul: 'Выписка из ЕГРЮЛ управляющей компании',
  egrip: 'Выписка из ЕГРИП',
  naturalPersonInn: 'ИНН физического лица',
  signingAuthority: 'Подтверждение права подписи',
  warrantWithUseAreas: 'Доверенность с областями применения',
  releaseStatement: 'Заявление на выпуск сертификата',
  applicantWarrant: 'Доверенность на получение',
  applicantPhoto: 'Фото обратившегося',
};

/** Documents that prove identity: the only ones that may change in `approved`. */
export const IDENTITY_DOCUMENT_TYPES: readonly DocumentType[] = ['passport', 'otherIdentity', 'applicantPhoto'];

export const TEMPLATE_TYPES = [
  'releaseStatement',
  'signingAuthority',
  'warrantWithUseAreas',
  'applicantWarrant',
  'recallStatement',
  'receipt',
  'phoneChangeStatement',
  'certificateCopy',
] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

export const TEMPLATE_TYPE_NAMES: Record<TemplateType, string> = {
  releaseStatement: 'Заявление на выпуск сертификата',
  signingAuthority: 'Подтверждение права подписи',
  warrantWithUseAreas: 'Доверенность с областями применения',
  applicantWarrant: 'Доверенность на получение сертификата',
  recallStatement: 'Заявление на отзыв сертификата',
  receipt: 'Расписка в получении сертификата',
  phoneChangeStatement: 'Заявление на смену номера телефона',
  certificateCopy: 'Копия сертификата на бумажном носителе',
};

export const REMARK_TARGETS = ['common', ...DOCUMENT_TYPES, 'esiaConfirmation'] as const;
export type RemarkTarget = (typeof REMARK_TARGETS)[number];

export const REMARK_TARGET_NAMES: Record<RemarkTarget, string> = {
  common: 'Общие замечания',
  ...DOCUMENT_TYPE_NAMES,
  esiaConfirmation: 'Подтверждение выпуска НЭП через Госуслуги',
};

export const SMEV_STATES = ['inProgress', 'valid', 'invalid'] as const;
export type SmevState = (typeof SMEV_STATES)[number];

export const SMEV_STATE_NAMES: Record<SmevState, string> = {
  inProgress: 'Идёт проверка документа в СМЭВ',
  valid: 'Документ проверен в СМЭВ, ошибки не выявлены',
  invalid: 'Документ проверен в СМЭВ, выявлены ошибки',
};

/** SMEV error codes with their meaning (the seed's table shifts descriptions by one row; these are matched by name). */
export const SMEV_ERROR_NAMES: Record<string, string> = {
  Unknown: 'Неизвестная ошибка, напишите о ней в техническую поддержку',
  PassportExpired: 'Срок действия паспорта истёк',
  PassportReplaced: 'Паспорт заменён на новый',
  PassportIssuedWithViolation: 'Паспорт выдан с нарушением',
  PassportIsSearched: 'Паспорт числится в розыске',
  PassportDestroyed: 'Паспорт числится как изъятый или уничтоженный',
  PassportOwnerDied: 'Паспорт недействителен в связи со смертью владельца',
  PassportDefect: 'У паспорта стоит отметка о техническом браке',
  PassportLost: 'Паспорт утрачен',
  SnilsNotMatchWithPfr: 'По СНИЛС, ФИО и дате рождения нет данных в ПФР или данные не совпадают',
  InnNotMatchWithFns: 'Паспортные данные, указанные в ФНС для этого ИНН, не совпадают с предоставленными',
  NotValidSnilsChecksum: 'Неверное контрольное число у номера СНИЛС',
  PfrNotAvailable: 'Не удалось проверить документ в ПФР',
  FnsNotAvailable: 'Не удалось проверить документ в ФНС',
  FmsNotAvailable: 'Не удалось проверить документ в ФМС',
  OrganizationNotFoundInFns: 'Организация не найдена в ФНС',
};

export type SmevLevel = 'warning' | 'fatal';

/** Confirmation failures of the release statement (400 ConfirmationFailed, details[0].code). */
export const CONFIRMATION_FAILURE_NAMES: Record<string, string> = {
  ConfirmationRejected: 'Заявитель отклонил выпуск сертификата в Госуслугах',
  UserNotFoundInEsia: 'Заявитель не найден в ЕСИА (Госуслугах)',
  ConfirmationExpired: 'Срок подтверждения истёк: запросите подтверждение заново',
};

export const PAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'application/pdf'] as const;
export type PageContentType = (typeof PAGE_CONTENT_TYPES)[number];

/** Largest scan page the service accepts (Kontur's limit is not published). */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;

/** Guess a page's content type from its first bytes. */
export function sniffContentType(bytes: Uint8Array): PageContentType | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'image/gif';
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'application/pdf';
  return undefined;
}
