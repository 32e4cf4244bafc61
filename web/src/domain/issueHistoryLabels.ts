// What each recorded issue action means, for the timeline.
const ACTION_NAMES: Record<string, string> = {
  createCertificateIssue: 'Заявка создана',
  editCertificateIssueRequest: 'Изменены данные заявителя',
  deleteCertificateIssueRequest: 'Заявка удалена',
  addDocumentRequisites: 'Внесены реквизиты документа',
  sendDocumentScan: 'Отправлен скан документа',
  sendReleaseStatement: 'Отправлен СМС-код для подписания заявления',
  sendReleaseStatementWithEsia: 'Запрошено подтверждение через Госуслуги',
  signReleaseStatement: 'Заявление на выпуск подписано',
  sendRequestForValidation: 'Заявка отправлена на проверку',
  subjectIdentification: 'Личность заявителя удостоверена',
  forwardToCabinet: 'Заявка перенаправлена в личный кабинет',
  downloadCertificateAndAssignToEmployee: 'Сертификат загружен в карточку сотрудника',
  certificateAttached: 'Сертификат загружен в карточку сотрудника',
  statusChanged: 'Статус изменён',
  deleted: 'Заявка удалена',
};

export function issueActionName(action: string): string {
  return ACTION_NAMES[action] ?? action;
}
