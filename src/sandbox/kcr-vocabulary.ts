// The words of the KCR API v1 as the sandbox knows them (docs/kontur-api.md §1 and §6, the seed's
// enums in camelCase): statuses, document, template and remark types, SMEV codes, the values of
// cspInfo.type and subjectInfo.type, and the Russian names the sandbox prints on its forms. The
// sandbox keeps its own copy, apart from the bridge's, so that a test of the bridge against the
// sandbox compares two readings of Kontur, not one reading with itself.

export const ISSUE_STATUSES = ['preparing', 'validating', 'correction', 'approved', 'releasing', 'released'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/** Applicant data and documents change only here (in `approved`, identity documents too: IDENTITY_DOCUMENTS). */
export const EDITABLE_STATUSES: readonly IssueStatus[] = ['preparing', 'correction'];
/** The manual: an issue is deleted only in these statuses. */
export const DELETABLE_STATUSES: readonly IssueStatus[] = ['preparing', 'correction', 'approved'];

export const FORWARDED_STATUSES = ['none', 'forwardedToCabinet'] as const;

/** The seed's DocumentTypes with their Russian names (Unknown is only ever returned, never accepted). */
export const DOCUMENT_NAMES = {
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
} as const;
export type DocumentType = keyof typeof DOCUMENT_NAMES;

/** Documents that prove identity: the only ones that may still change in `approved`. */
export const IDENTITY_DOCUMENTS: readonly DocumentType[] = ['passport', 'otherIdentity', 'applicantPhoto'];

export function isDocumentType(value: string): value is DocumentType {
  return Object.hasOwn(DOCUMENT_NAMES, value);
}

/** Printable forms (POST /templates/{templateType}) with their titles. */
export const TEMPLATE_NAMES = {
  releaseStatement: 'Заявление на выпуск сертификата',
  signingAuthority: 'Подтверждение права подписи',
  warrantWithUseAreas: 'Доверенность с областями применения',
  applicantWarrant: 'Доверенность на получение сертификата',
  recallStatement: 'Заявление на отзыв сертификата',
  receipt: 'Расписка в получении сертификата',
  phoneChangeStatement: 'Заявление на смену номера телефона',
  certificateCopy: 'Копия сертификата на бумажном носителе',
} as const;
export type TemplateType = keyof typeof TEMPLATE_NAMES;

export function isTemplateType(value: string): value is TemplateType {
  return Object.hasOwn(TEMPLATE_NAMES, value);
}

/** The seed's RemarkTargets: what an operator's remark points at, with the description Kontur sends along. */
export const REMARK_TARGET_NAMES: Record<string, string> = {
  common: 'Общие замечания',
  ...DOCUMENT_NAMES,
  esiaConfirmation: 'Подтверждение выпуска НЭП через Госуслуги',
};

/**
 * The seed's SmevValidationErrorCode with what each means. (The seed's table slides every
 * description one row down; they are matched here by name.)
 */
export const SMEV_ERROR_DESCRIPTIONS: Record<string, string> = {
  Unknown: 'Неизвестная ошибка, напишите о ней в техническую поддержку',
  PassportExpired: 'Срок действия паспорта истёк',
  PassportReplaced: 'Паспорт заменён на новый',
  PassportIssuedWithViolation: 'Паспорт выдан с нарушением',
  PassportIsSearched: 'Паспорт числится в розыске',
  PassportDestroyed: 'Паспорт числится как изъятый или уничтоженный',
  PassportOwnerDied: 'Паспорт недействителен в связи со смертью владельца',
  PassportDefect: 'У паспорта стоит отметка о техническом браке, его использование запрещено',
  PassportLost: 'Паспорт утрачен',
  SnilsNotMatchWithPfr: 'По номеру СНИЛС, ФИО и дате рождения нет данных в ПФР или данные не совпадают',
  InnNotMatchWithFns: 'Паспортные данные, указанные в ФНС для этого ИНН, не совпадают с предоставленными',
  NotValidSnilsChecksum: 'Неверное контрольное число у номера СНИЛС',
  PfrNotAvailable: 'Не удалось проверить документ в ПФР',
  FnsNotAvailable: 'Не удалось проверить документ в ФНС',
  FmsNotAvailable: 'Не удалось проверить документ в ФМС',
  OrganizationNotFoundInFns: 'Организация не найдена в ФНС',
};

export type SmevLevel = 'warning' | 'fatal';

/** subjectInfo.type values. */
export const SUBJECT_TYPES = ['naturalPerson', 'legalEntity', 'individualEntrepreneur'] as const;

/** certificateTemplateInfo.type values. */
export const CERTIFICATE_KINDS = ['notQualified', 'qualified'] as const;

/**
 * cspInfo.type values public clients send (§6): CryptoPro on the applicant's machine, the cloud
 * signature (DSS) and `asess`, which a low-code platform's module sends for its built-in signing.
 * Any other value is refused, naming these.
 */
export const CSP_TYPES = ['cryptoPro', 'dss', 'asess'] as const;
export type CspType = (typeof CSP_TYPES)[number];

/** What a list item's `certificateState` says (the sandbox's choice of words: the service's are not public beyond `valid`). */
export type CertificateState = 'notReleased' | 'valid' | 'expired';

/** Page formats (POST .../pages) by their declared Content-Type. */
export const PAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'application/pdf'] as const;
export type PageContentType = (typeof PAGE_CONTENT_TYPES)[number];

/** Largest page the sandbox takes (Kontur's limit is not published; Реестро's is 10 MB). */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;
