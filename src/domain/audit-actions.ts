// The audit log's vocabulary, shared by the bridge (CSV export) and the web client: one action
// name per operation — the operationId of its REST route — plus the events the system records
// by itself, each with its Russian name; what kinds of objects entries are about; outcomes.

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  // sign-in, sessions, API keys
  login: 'Вход в систему',
  revokeToken: 'Выход из системы',
  createApiKey: 'Создание API-ключа',
  revokeApiKey: 'Отзыв API-ключа',
  // users and settings
  createUser: 'Создание пользователя',
  updateUser: 'Изменение пользователя',
  updateSettings: 'Изменение настроек',
  resetSetting: 'Сброс настройки',
  addTrustedRoot: 'Добавление доверенного корневого сертификата',
  removeTrustedRoot: 'Удаление доверенного корневого сертификата',
  addClientCertificate: 'Добавление клиентского сертификата',
  removeClientCertificate: 'Удаление клиентского сертификата',
  checkConnection: 'Проверка подключения к Контуру',
  createWebhook: 'Создание вебхука',
  updateWebhook: 'Изменение вебхука',
  deleteWebhook: 'Удаление вебхука',
  updateMailSettings: 'Изменение настроек почты',
  resetMailSettings: 'Сброс настроек почты',
  sendTestMail: 'Проверочное письмо',
  setMailSubscription: 'Уведомления по почте: включение или отключение',
  setMyMailSubscription: 'Уведомления по почте: включение или отключение',
  'mail.notRecorded': 'Уведомление по почте не записано',
  // self-service
  sendMyReleaseStatementCode: 'Сотрудник: запрос СМС-кода для своего заявления',
  signMyReleaseStatement: 'Сотрудник: подписание своего заявления на выпуск',
  // employees
  createEmployee: 'Создание сотрудника',
  updateEmployee: 'Изменение сотрудника',
  importEmployeesCsv: 'Импорт сотрудников из CSV',
  // certificate issuance (IKonturIssuesService)
  createCertificateIssue: 'Создание заявки на сертификат',
  editCertificateIssueRequest: 'Изменение данных заявителя',
  deleteCertificateIssueRequest: 'Удаление заявки',
  addDocumentRequisites: 'Реквизиты документа',
  sendDocumentScan: 'Отправка скана документа',
  deleteDocumentPage: 'Удаление скана документа',
  sendReleaseStatement: 'Запрос СМС-кода для заявления на выпуск',
  sendReleaseStatementWithEsia: 'Запрос подтверждения выпуска через Госуслуги',
  signReleaseStatement: 'Подписание заявления на выпуск',
  sendRequestForValidation: 'Отправка заявки на проверку',
  subjectIdentification: 'Удостоверение личности заявителя',
  forwardToCabinet: 'Перенаправление в личный кабинет',
  downloadCertificate: 'Скачивание сертификата',
  downloadCertificateAndAssignToEmployee: 'Загрузка сертификата в карточку сотрудника',
  getIssue: 'Получение заявки',
  generateRequestTemplate: 'Печатная форма заявки',
  getEventList: 'Получение ленты событий заявок',
  // cloud signing (IKonturDssService) and documents
  uploadDocument: 'Загрузка документа',
  deleteDocument: 'Удаление документа',
  signDocument: 'Подписание документа',
  confirmSignOperation: 'Подтверждение подписи кодом из СМС',
  'signOperation.signatureAttached': 'Подпись прикреплена к документу',
  // Реестро certificate forms
  createReestroSubject: 'Субъект Реестро',
  getReestroSubjectExtract: 'Выписка ЕГРЮЛ/ЕГРИП из Реестро',
  createReestroRepresentative: 'Представитель организации в Реестро',
  createCertificateForm: 'Создание анкеты Реестро',
  updateCertificateForm: 'Изменение анкеты Реестро',
  renderCertificateFormStatement: 'Заявление по анкете Реестро',
  releaseCertificateForm: 'Отправка анкеты Реестро в УЦ',
  getCertificateFormCertificate: 'Сведения о сертификате по анкете',
  downloadCertificateFormCertificate: 'Скачивание сертификата по анкете',
  'certificateForm.stateChanged': 'Смена состояния анкеты Реестро',
  'certificateForm.certificateAttached': 'Сертификат по анкете загружен в карточку',
  // the sandbox console
  sandboxConsoleApproveIssue: 'Песочница: одобрение заявки оператором УЦ',
  sandboxConsoleRequestCorrection: 'Песочница: заявка отправлена на исправление',
  sandboxConsoleAnswerEsia: 'Песочница: ответ Госуслуг',
  sandboxConsoleReleaseIssue: 'Песочница: выпуск сертификата из личного кабинета',
  sandboxConsolePutFaults: 'Песочница: сбои КЦР',
  sandboxCloudPutFaults: 'Песочница: сбои облачной подписи',
  sandboxCloudCancelOperation: 'Песочница: отказ от операции подписи',
  sandboxReestroConsoleCreateSession: 'Песочница: сессия Реестро',
  sandboxReestroConsoleApprove: 'Песочница: анкета Реестро одобрена',
  sandboxReestroConsoleReject: 'Песочница: анкета Реестро возвращена',
  sandboxReestroConsoleRevoke: 'Песочница: отзыв сертификата по анкете',
  sandboxReestroConsoleDeleteSubject: 'Песочница: удаление субъекта Реестро',
  sandboxReestroConsolePutFaults: 'Песочница: сбои Реестро',
  sandboxCaRevoke: 'Песочница: отзыв сертификата в УЦ',
};

/** Names earlier versions wrote; their entries stay as they were written. */
const EARLIER_ACTION_NAMES: Record<string, string> = {
  'auth.login': 'login',
  'auth.revoke': 'revokeToken',
  'apiKey.create': 'createApiKey',
  'apiKey.revoke': 'revokeApiKey',
  'user.create': 'createUser',
  'user.update': 'updateUser',
  'settings.update': 'updateSettings',
  'settings.reset': 'resetSetting',
  'certificates.add.trustedRoot': 'addTrustedRoot',
  'certificates.add.clientCertificate': 'addClientCertificate',
  'certificates.remove.trustedRoot': 'removeTrustedRoot',
  'certificates.remove.clientCertificate': 'removeClientCertificate',
  'employee.create': 'createEmployee',
  'employee.update': 'updateEmployee',
  'employee.importCsv': 'importEmployeesCsv',
  'employee.attachCertificate': 'downloadCertificateAndAssignToEmployee',
  'issue.create': 'createCertificateIssue',
  'issue.delete': 'deleteCertificateIssueRequest',
  'document.upload': 'uploadDocument',
  'document.delete': 'deleteDocument',
  'signing.start': 'signDocument',
  'signing.confirm': 'confirmSignOperation',
  'signing.attach': 'signOperation.signatureAttached',
  'webhook.create': 'createWebhook',
  'webhook.update': 'updateWebhook',
  'webhook.delete': 'deleteWebhook',
};

/** The actions a filter offers. */
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS);

/** The Russian name of an action (an unknown one is shown as written). */
export function auditActionLabel(action: string): string {
  const earlier = /^issue\.(\w+)$/.exec(action)?.[1];
  return AUDIT_ACTION_LABELS[action] ?? AUDIT_ACTION_LABELS[EARLIER_ACTION_NAMES[action] ?? earlier ?? ''] ?? action;
}

export const AUDIT_TARGET_TYPE_LABELS: Record<string, string> = {
  employee: 'Сотрудник',
  user: 'Пользователь',
  apiKey: 'API-ключ',
  token: 'Сессия',
  settings: 'Настройки',
  certificate: 'Сертификат',
  issue: 'Заявка',
  document: 'Документ',
  signOperation: 'Операция подписи',
  webhook: 'Вебхук',
  certificateForm: 'Анкета Реестро',
  reestroSubject: 'Субъект Реестро',
  sandbox: 'Песочница',
};

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_OUTCOME_LABELS: Record<AuditOutcome, string> = {
  success: 'Успешно',
  failure: 'Ошибка',
  denied: 'Отказано',
};
