// What each recorded issue action means, for the timeline: what happened, and what did not
// happen when it failed ("Не удалось подписать заявление", never "Не удалось: Заявление подписано").
interface ActionWording {
  done: string;
  failed: string;
}

const ACTIONS: Record<string, ActionWording> = {
  createCertificateIssue: { done: 'Заявка создана', failed: 'Не удалось создать заявку' },
  editCertificateIssueRequest: { done: 'Изменены данные заявителя', failed: 'Не удалось изменить данные заявителя' },
  deleteCertificateIssueRequest: { done: 'Заявка удалена', failed: 'Не удалось удалить заявку' },
  addDocumentRequisites: { done: 'Внесены реквизиты документа', failed: 'Не удалось сохранить реквизиты документа' },
  sendDocumentScan: { done: 'Отправлен скан документа', failed: 'Не удалось отправить скан документа' },
  sendReleaseStatement: { done: 'Отправлен СМС-код для подписания заявления', failed: 'Не удалось отправить СМС-код для подписания заявления' },
  sendReleaseStatementWithEsia: { done: 'Запрошено подтверждение через Госуслуги', failed: 'Не удалось запросить подтверждение через Госуслуги' },
  signReleaseStatement: { done: 'Заявление на выпуск подписано', failed: 'Не удалось подписать заявление на выпуск' },
  generateRequestTemplate: { done: 'Сформирован шаблон запроса на сертификат', failed: 'Не удалось сформировать шаблон запроса на сертификат' },
  sendRequestForValidation: { done: 'Заявка отправлена на проверку', failed: 'Не удалось отправить заявку на проверку' },
  subjectIdentification: { done: 'Личность заявителя удостоверена', failed: 'Не удалось подтвердить личность заявителя' },
  forwardToCabinet: { done: 'Заявка перенаправлена в личный кабинет', failed: 'Не удалось перенаправить заявку в личный кабинет' },
  downloadCertificate: { done: 'Сертификат скачан', failed: 'Не удалось скачать сертификат' },
  downloadCertificateAndAssignToEmployee: { done: 'Сертификат загружен в карточку сотрудника', failed: 'Не удалось загрузить сертификат в карточку сотрудника' },
  certificateAttached: { done: 'Сертификат загружен в карточку сотрудника', failed: 'Не удалось загрузить сертификат в карточку сотрудника' },
  statusChanged: { done: 'Статус изменён', failed: 'Не удалось изменить статус' },
  deleted: { done: 'Заявка удалена', failed: 'Не удалось удалить заявку' },
  deleteDocumentPage: { done: 'Скан документа удалён', failed: 'Не удалось удалить скан документа' },
};

/** The timeline's words for an action; an unknown one (a newer server) is named generally, never by its code. */
export function issueActionName(action: string, failed = false): string {
  const wording = ACTIONS[action];
  if (wording) return failed ? wording.failed : wording.done;
  return failed ? 'Действие с заявкой не выполнено' : 'Действие с заявкой';
}
