// Certificate forms at Kontur Реестро (seed 004) as the module names them: document types and
// their Реестро codes, owner types, form states and what each means, in Russian.

/** The module's document types and Реестро's codes for them (seed 004's table). */
export const FORM_DOCUMENT_CODES = {
  /** Паспорт гражданина РФ: the list "Документы, удостоверяющие личность физического лица". */
  passport: '008001001000',
  /** Выписка из ЕГРЮЛ (for a sole proprietor Реестро gives an ЕГРИП extract under the same code). */
  egrul: '008002008000',
  snils: '100',
  inn: '200',
  /** Фотография владельца с паспортом. */
  photo: '5300',
} as const;
export type FormDocumentType = keyof typeof FORM_DOCUMENT_CODES;
export const FORM_DOCUMENT_TYPES = Object.keys(FORM_DOCUMENT_CODES) as FormDocumentType[];

export const FORM_DOCUMENT_NAMES: Record<FormDocumentType, string> = {
  passport: 'Паспорт гражданина РФ',
  egrul: 'Выписка из ЕГРЮЛ (ЕГРИП)',
  snils: 'СНИЛС',
  inn: 'Свидетельство ИНН',
  photo: 'Фотография владельца с паспортом',
};

export function formDocumentTypeOfCode(code: string): FormDocumentType | undefined {
  return FORM_DOCUMENT_TYPES.find((type) => FORM_DOCUMENT_CODES[type] === code);
}

/** Who the certificate is for: a person, a sole proprietor, or an organization (with its representative). */
export const OWNER_TYPE_NAMES = {
  person: 'Физическое лицо',
  soleProprietor: 'Индивидуальный предприниматель',
  legalEntity: 'Представитель организации',
} as const;

/** Реестро's `citizenship` code for the Russian Federation, as seed 004 writes it. */
export const CITIZENSHIP_RUSSIA = '848000000643';

/** Form states; Реестро writes them in either case, so they are compared case-insensitively. */
export const FORM_STATES = ['Created', 'Releasing', 'ValidationError', 'Issued', 'Revoked'] as const;
export type FormState = (typeof FORM_STATES)[number];

export const FORM_STATE_NAMES: Record<FormState, string> = {
  Created: 'Создана',
  Releasing: 'Отправлена в УЦ',
  ValidationError: 'Есть ошибки',
  Issued: 'Сертификат выпущен',
  Revoked: 'Сертификат отозван',
};

/** A state as the module stores it: Реестро's spelling normalized to the list above (unknown ones kept). */
export function normalizeFormState(raw: string): string {
  return FORM_STATES.find((state) => state.toLowerCase() === raw.toLowerCase()) ?? raw;
}

/** Documents may be added or replaced only while the form has not gone to the CA (docs/kontur-api.md §7). */
export function formIsEditable(state: string | null): boolean {
  return state === 'Created' || state === 'ValidationError';
}

/** States after which nothing more happens at Реестро except a revocation. */
export function formIsSettled(state: string | null): boolean {
  return state === 'Issued' || state === 'Revoked';
}

/** Реестро's error codes (seed 004) in words a person understands. */
export const REESTRO_ERROR_MESSAGES: Record<string, string> = {
  WrongFieldValue: 'Значение не принято Реестро',
  AbsenceOfRequiredField: 'Обязательное для Реестро поле не заполнено',
  DuplicatedExternalId: 'Этот ключ идемпотентности уже использован в Реестро для другой анкеты',
  DuplicateDocument: 'Документ, удостоверяющий личность, указан больше одного раза',
  MismatchDocumentRequisites: 'Реквизиты документа не совпадают с паспортными данными субъекта',
  UnexistentRepresentative: 'Сотрудник не зарегистрирован в Реестро как представитель этой организации: сначала создайте представителя',
  UnexistentSubject: 'Субъект не найден в Реестро: создайте его заново',
  BigContentSize: 'Файл больше 10 МБ',
  UnsupportedContentType: 'Реестро принимает только PDF, PNG, JPG, JPEG и TIFF',
  UnexistentContent: 'Файл не найден в Реестро: приложите его заново',
  WrongAddress: 'Адрес субъекта должен содержать улицу (или дом, квартиру): исправьте адрес субъекта',
};
