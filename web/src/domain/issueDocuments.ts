// Names of the documents, requisites, remarks and SMEV findings of an issue (mirrors src/domain/issue.ts).

export const DOCUMENT_TYPE_NAMES: Record<string, string> = {
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

export const REMARK_TARGET_NAMES: Record<string, string> = {
  common: 'Общие замечания',
  ...DOCUMENT_TYPE_NAMES,
  esiaConfirmation: 'Подтверждение выпуска НЭП через Госуслуги',
};

export const REQUISITE_NAMES: Record<string, string> = {
  series: 'Серия',
  number: 'Номер',
  issueDate: 'Дата выдачи',
  birthDate: 'Дата рождения',
  birthPlace: 'Место рождения',
  issueOrganizationId: 'Код подразделения',
  issuerCode: 'Код подразделения',
  issuerName: 'Кем выдан',
  issueOrganizationName: 'Кем выдан',
};

export const SMEV_STATE_NAMES: Record<string, string> = {
  inProgress: 'Идёт проверка в СМЭВ',
  valid: 'Проверен в СМЭВ, ошибок нет',
  invalid: 'Проверен в СМЭВ, выявлены ошибки',
};

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

export const documentTypeName = (type: string) => DOCUMENT_TYPE_NAMES[type] ?? type;

/** Scans Kontur accepts, and the largest page (the server's MAX_PAGE_BYTES). */
export const SCAN_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'application/pdf'] as const;
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;
