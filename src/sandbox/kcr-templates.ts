// Printable PDF forms of the KCR sandbox (POST /v1/issues/{id}/templates/{templateType}): real
// PDFs in Russian filled with the applicant's data, drawn with the sandbox's PDF writer
// (pdf-writer.ts: pdf-lib with DejaVu Sans, so the Cyrillic text can be extracted and searched).
import { createPdf, formatDate } from './pdf-writer.ts';
import { DOCUMENT_NAMES, TEMPLATE_NAMES, type TemplateType } from './kcr-vocabulary.ts';
import type { SandboxIssue } from './kcr-issue-store.ts';

function fullName(subject: Record<string, unknown>): string {
  return [subject.lastname, subject.firstname, subject.middlename].filter(Boolean).join(' ');
}

function formatSnils(digits: string | undefined): string | undefined {
  return digits && digits.length === 11 ? `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9)}` : digits;
}

const BODY: Record<TemplateType, string[]> = {
  releaseStatement: [
    'Прошу изготовить квалифицированный (неквалифицированный) сертификат ключа проверки электронной подписи в соответствии с указанными в настоящем заявлении данными.',
    'Настоящим подтверждаю достоверность сведений, указанных в заявлении, и даю согласие на обработку моих персональных данных в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» в целях выпуска сертификата.',
    'С Регламентом Удостоверяющего центра и условиями использования электронной подписи ознакомлен(а).',
  ],
  receipt: [
    'Настоящим подтверждаю, что получил(а) сертификат ключа проверки электронной подписи, сведения которого приведены ниже, и ознакомлен(а) с руководством по обеспечению безопасности использования электронной подписи.',
  ],
  signingAuthority: ['Настоящим подтверждается право указанного лица подписывать документы от имени организации с использованием электронной подписи.'],
  warrantWithUseAreas: ['Доверенность выдана на право использования электронной подписи в перечисленных областях применения.'],
  applicantWarrant: ['Настоящей доверенностью уполномочиваю представителя получить в Удостоверяющем центре сертификат ключа проверки электронной подписи, выпущенный на моё имя.'],
  recallStatement: ['Прошу прекратить действие (отозвать) сертификат ключа проверки электронной подписи, сведения которого приведены ниже.'],
  phoneChangeStatement: ['Прошу изменить номер мобильного телефона, используемый для подтверждения операций с электронной подписью, на указанный в настоящем заявлении.'],
  certificateCopy: ['Копия сертификата ключа проверки электронной подписи на бумажном носителе, заверенная Удостоверяющим центром.'],
};

/** Renders a template for the issue; `certificate` is the released certificate's summary when there is one. */
export async function renderTemplate(type: TemplateType, issue: SandboxIssue): Promise<Uint8Array> {
  const title = TEMPLATE_NAMES[type];
  const { pdf, writer } = await createPdf(title);
  const subject = issue.subjectInfo;
  const passport = issue.documents.passport?.requisites ?? {};

  writer.text('Удостоверяющий центр «Контур» (песочница, документ не имеет юридической силы)', { size: 8, center: true, gap: 12 });
  writer.text(title.toUpperCase(), { size: 14, bold: true, center: true });
  writer.text(`Заявка № ${issue.id} от ${formatDate(issue.createdAt)}`, { size: 9, center: true, gap: 14 });

  writer.text('Сведения о заявителе', { bold: true, size: 11.5 });
  writer.field('Фамилия, имя, отчество', fullName(subject));
  writer.field('ИНН', subject.inn as string);
  writer.field('СНИЛС', formatSnils(issue.documents.snils?.requisites.number));
  writer.field('Адрес электронной почты', subject.email as string);
  writer.field('Мобильный телефон', subject.phone as string);
  writer.space(6);
  writer.text(`Документ, удостоверяющий личность: ${DOCUMENT_NAMES.passport}`, { bold: true, size: 11.5 });
  writer.field('Серия и номер', passport.series && passport.number ? `${passport.series} ${passport.number}` : undefined);
  writer.field('Дата выдачи', passport.issueDate);
  writer.field('Код подразделения', passport.issueOrganizationId ? `${passport.issueOrganizationId.slice(0, 3)}-${passport.issueOrganizationId.slice(3)}` : undefined);
  writer.field('Дата рождения', passport.birthDate);
  writer.space(6);
  const template = issue.certificateTemplateInfo as { type?: string };
  const csp = issue.cspInfo as { type?: string };
  writer.field('Вид сертификата', template.type === 'qualified' ? 'квалифицированный' : 'неквалифицированный');
  writer.field('Средство электронной подписи', csp.type === 'dss' ? 'облачная подпись Контур (DSS)' : 'КриптоПро CSP');
  if (issue.certificateReleasedInfo) {
    writer.field('Серийный номер сертификата', issue.certificateReleasedInfo.serialNumber);
    writer.field('Отпечаток сертификата', issue.certificateReleasedInfo.thumbprint);
    writer.field('Срок действия', `с ${formatDate(new Date(issue.certificateReleasedInfo.validFrom))} по ${formatDate(new Date(issue.certificateReleasedInfo.validTo))}`);
  }
  writer.space(10);
  for (const paragraph of BODY[type]) writer.text(paragraph, { gap: 6 });
  writer.space(24);
  writer.text(`Подпись заявителя ____________________ / ${fullName(subject) || '____________'} /`);
  writer.text('Дата «____» ______________ 20____ г.');
  return pdf.save();
}
