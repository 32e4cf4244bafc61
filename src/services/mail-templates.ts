// The notification mails, in Russian: a subject, a plain-text body and the same in simple HTML.
// Pure functions of what the event knows; links point at the web client (PUBLIC_URL).
import { REMARK_TARGET_NAMES, type RemarkTarget } from '../domain/issue.ts';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface Remark {
  target: string;
  targetDescription?: string;
  message: string;
}

const SIGNATURE = 'Kontur CA Bridge — выпуск сертификатов и облачная подпись';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Days in Russian: 1 день, 2 дня, 5 дней, 11 дней, 21 день. */
export function daysInRussian(days: number): string {
  const n = Math.abs(days) % 100;
  const last = n % 10;
  const word = n >= 11 && n <= 14 ? 'дней' : last === 1 ? 'день' : last >= 2 && last <= 4 ? 'дня' : 'дней';
  return `${days} ${word}`;
}

/** A date as people in Russia write it, in Moscow time: 05.03.2027. */
export function russianDate(date: Date): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
}

/** Paragraphs (each a string, or a list of items) into text and HTML, with the greeting, a link and the signature. */
function compose(subject: string, greeting: string, blocks: (string | string[])[], link?: { label: string; url: string }): MailContent {
  const textBlocks = blocks.map((block) => (Array.isArray(block) ? block.map((item) => `• ${item}`).join('\n') : block));
  const text = [greeting, ...textBlocks, ...(link ? [`${link.label}: ${link.url}`] : []), `—\n${SIGNATURE}\nЭто письмо отправлено автоматически. Отключить уведомления можно в веб-клиенте: нажмите на своё имя в правом верхнем углу.`].join('\n\n');
  const htmlBlocks = blocks.map((block) =>
    Array.isArray(block) ? `<ul>${block.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : `<p>${escapeHtml(block)}</p>`,
  );
  const html = [
    '<!doctype html><html lang="ru"><head><meta charset="utf-8"></head><body style="font-family:Arial,sans-serif;font-size:14px;color:#222">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...htmlBlocks,
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
    `<hr><p style="color:#757575;font-size:12px">${escapeHtml(SIGNATURE)}<br>Это письмо отправлено автоматически. Отключить уведомления можно в веб-клиенте: нажмите на своё имя в правом верхнем углу.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

function greeting(name: string | undefined): string {
  return name ? `Здравствуйте, ${name}!` : 'Здравствуйте!';
}

function remarkLine(remark: Remark): string {
  const target = remark.targetDescription || REMARK_TARGET_NAMES[remark.target as RemarkTarget] || remark.target;
  return `${target}: ${remark.message}`;
}

export function issueCorrectionMail(input: { recipientName?: string; applicantName: string; comment?: string; remarks: Remark[]; issueUrl?: string; forApplicant: boolean }): MailContent {
  const blocks: (string | string[])[] = [
    input.forApplicant
      ? 'Оператор удостоверяющего центра вернул вашу заявку на выпуск сертификата на исправление.'
      : `Оператор удостоверяющего центра вернул на исправление заявку на выпуск сертификата для сотрудника ${input.applicantName}.`,
  ];
  if (input.comment) blocks.push(`Комментарий оператора: «${input.comment}»`);
  if (input.remarks.length) blocks.push('Замечания:', input.remarks.map(remarkLine));
  blocks.push(
    input.forApplicant
      ? 'Отдел кадров исправит заявку по замечаниям; если понадобятся ваши документы, с вами свяжутся.'
      : 'Исправьте данные или документы по замечаниям и отправьте заявку на проверку снова.',
  );
  return compose(`Заявка на сертификат возвращена на исправление: ${input.applicantName}`, greeting(input.recipientName), blocks, input.issueUrl ? { label: 'Открыть заявку', url: input.issueUrl } : undefined);
}

export function certificateReleasedMail(input: { recipientName?: string; applicantName: string; serialNumber: string; validFrom: Date; validTo: Date; url?: string; forApplicant: boolean }): MailContent {
  const blocks: (string | string[])[] = [
    input.forApplicant ? 'Ваш сертификат электронной подписи выпущен и загружен в карточку сотрудника.' : `Сертификат электронной подписи сотрудника ${input.applicantName} выпущен и загружен в его карточку.`,
    [`Владелец: ${input.applicantName}`, `Серийный номер: ${input.serialNumber}`, `Действует с ${russianDate(input.validFrom)} по ${russianDate(input.validTo)}`],
  ];
  if (input.forApplicant) blocks.push('Скачать сертификат (.cer) можно в разделе «Мои сертификаты».');
  return compose(`Сертификат выпущен: ${input.applicantName}`, greeting(input.recipientName), blocks, input.url ? { label: input.forApplicant ? 'Мои сертификаты' : 'Открыть карточку сотрудника', url: input.url } : undefined);
}

export function signingCodeWaitingMail(input: { recipientName?: string; documentName: string; phoneLastNumbers: string | null; url?: string }): MailContent {
  const phone = input.phoneLastNumbers ? ` на телефон, оканчивающийся на ${input.phoneLastNumbers}` : '';
  return compose(
    `Подпись документа ждёт кода из СМС: ${input.documentName}`,
    greeting(input.recipientName),
    [
      `Документ «${input.documentName}» ждёт вашей подписи. Код подтверждения отправлен по СМС${phone}.`,
      'Введите код на странице документа, пока он действует. Если вы не начинали подписание, не вводите код и сообщите администратору.',
    ],
    input.url ? { label: 'Открыть документ', url: input.url } : undefined,
  );
}

export function certificateExpiringMail(input: { recipientName?: string; ownerName: string; serialNumber: string; validTo: Date; daysLeft: number; url?: string; forOwner: boolean }): MailContent {
  const left = input.daysLeft <= 0 ? 'истекает сегодня' : `истекает через ${daysInRussian(input.daysLeft)}`;
  return compose(
    `Срок действия сертификата ${left}: ${input.ownerName}`,
    greeting(input.recipientName),
    [
      input.forOwner ? `Срок действия вашего сертификата электронной подписи ${left} — ${russianDate(input.validTo)}.` : `Срок действия сертификата сотрудника ${input.ownerName} ${left} — ${russianDate(input.validTo)}.`,
      [`Владелец: ${input.ownerName}`, `Серийный номер: ${input.serialNumber}`, `Действует до ${russianDate(input.validTo)}`],
      'Чтобы подписывать документы без перерыва, нужен новый сертификат: обратитесь в отдел кадров.',
    ],
    input.url ? { label: input.forOwner ? 'Мои сертификаты' : 'Открыть карточку сотрудника', url: input.url } : undefined,
  );
}

export function testMail(input: { recipientName?: string; sentBy: string }): MailContent {
  return compose('Проверка отправки почты', greeting(input.recipientName), [`Это проверочное письмо: его отправил ${input.sentBy} со страницы настроек. Если вы его читаете, уведомления по почте работают.`]);
}
