// The Реестро sandbox's documents: the release and recall statements of a form
// (GET .../render), the ЕГРЮЛ/ЕГРИП extract of a subject (GET /subjects/{id}/egrul) and the
// receipt of an issued certificate. Russian PDFs with extractable text.
import { createPdf, formatDate, type Writer } from './pdf-writer.ts';

type Data = Record<string, unknown>;

const isObject = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);

/** "54, г Новосибирск, ул Челюскинцев, д 14" from a structuralAddress. */
export function formatAddress(address: unknown): string | undefined {
  const structural = isObject(address) && isObject(address.structuralAddress) ? address.structuralAddress : undefined;
  if (!structural) return undefined;
  const parts: string[] = [];
  if (str(structural.postalCode)) parts.push(structural.postalCode as string);
  if (str(structural.region)) parts.push(`регион ${structural.region}`);
  for (const level of ['district', 'city', 'settlement', 'street', 'house', 'building', 'flat']) {
    const part = structural[level];
    if (isObject(part) && str(part.name)) parts.push([str(part.abbreviation), part.name].filter(Boolean).join(' '));
  }
  return parts.join(', ');
}

function personName(person: Data): string {
  return [person.surname, person.name, person.patronymic].filter((part) => typeof part === 'string' && part).join(' ');
}

function isoToRussian(value: unknown): string | undefined {
  const text = str(value);
  if (!text || !/^\d{4}-\d{2}-\d{2}/.test(text)) return text;
  return `${text.slice(8, 10)}.${text.slice(5, 7)}.${text.slice(0, 4)}`;
}

function writePerson(writer: Writer, person: Data, title: string): void {
  writer.text(title, { bold: true, size: 11.5 });
  writer.field('Фамилия, имя, отчество', personName(person));
  writer.field('Дата рождения', isoToRussian(person.dateBirth));
  writer.field('Место рождения', str(person.birthPlace));
  writer.field('СНИЛС', str(person.snils));
  writer.field('ИНН', str(person.inn));
  if (str(person.ogrnip)) writer.field('ОГРНИП', str(person.ogrnip));
  writer.field('Адрес электронной почты', str(person.email));
  writer.field('Телефон', str(person.phone));
  writer.field('Адрес', formatAddress(person.address));
  const identity = isObject(person.identityDocument) ? person.identityDocument : {};
  const issuer = isObject(identity.issuer) ? identity.issuer : {};
  writer.field('Паспорт гражданина РФ, серия и номер', [str(identity.series), str(identity.number)].filter(Boolean).join(' ') || undefined);
  writer.field('Выдан', [str(issuer.issuerName), isoToRussian(identity.issueDate)].filter(Boolean).join(', ') || undefined);
  writer.field('Код подразделения', str(issuer.issuerCode));
  writer.space(6);
}

function writeOrganization(writer: Writer, organization: Data, post: string | undefined): void {
  const native = isObject(organization.nativeOrgParams) ? organization.nativeOrgParams : {};
  writer.text('Сведения об организации', { bold: true, size: 11.5 });
  writer.field('Наименование', str(organization.name));
  writer.field('ИНН', str(native.inn));
  writer.field('ОГРН', str(native.ogrn));
  writer.field('КПП', str(organization.kpp));
  writer.field('Адрес', formatAddress(organization.address));
  writer.field('Должность представителя', post);
  writer.space(6);
}

const NOTE = 'Контур.Реестро (песочница: документ не имеет юридической силы)';

export interface StatementData {
  formId: string;
  createdAt: Date;
  person: Data;
  personKind: string;
  organization?: Data;
  post?: string;
  documents: string[];
  certificate?: { serialNumber: string; thumbprint: string; validFrom: string; validTo: string } | null;
}

export async function renderStatement(type: 'releaseStatement' | 'recallStatement', data: StatementData): Promise<Uint8Array> {
  const title =
    type === 'releaseStatement'
      ? 'Заявление на изготовление квалифицированного сертификата ключа проверки электронной подписи'
      : 'Заявление на прекращение действия (отзыв) сертификата ключа проверки электронной подписи';
  const { pdf, writer } = await createPdf(title);
  writer.text(NOTE, { size: 8, center: true, gap: 12 });
  writer.text(title.toUpperCase(), { size: 13, bold: true, center: true });
  writer.text(`Анкета № ${data.formId} от ${formatDate(data.createdAt)}`, { size: 9, center: true, gap: 14 });
  const owner =
    data.organization ? 'Владелец сертификата — представитель организации' : data.personKind === 'soleProprietor' ? 'Владелец сертификата — индивидуальный предприниматель' : 'Владелец сертификата — физическое лицо';
  writePerson(writer, data.person, owner);
  if (data.organization) writeOrganization(writer, data.organization, data.post);
  if (data.documents.length) {
    writer.text('Приложенные документы', { bold: true, size: 11.5 });
    for (const document of data.documents) writer.text(`— ${document}`);
    writer.space(6);
  }
  if (data.certificate) {
    writer.field('Серийный номер сертификата', data.certificate.serialNumber);
    writer.field('Отпечаток сертификата', data.certificate.thumbprint);
    writer.field('Срок действия', `с ${formatDate(new Date(data.certificate.validFrom))} по ${formatDate(new Date(data.certificate.validTo))}`);
    writer.space(6);
  }
  writer.text(
    type === 'releaseStatement'
      ? 'Прошу изготовить квалифицированный сертификат ключа проверки электронной подписи по указанным в настоящем заявлении данным. Подтверждаю достоверность сведений и даю согласие на их обработку в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных».'
      : 'Прошу прекратить действие (отозвать) сертификат ключа проверки электронной подписи, сведения которого приведены выше.',
    { gap: 24 },
  );
  writer.text(`Подпись владельца ____________________ / ${personName(data.person) || '____________'} /`);
  writer.text('Дата «____» ______________ 20____ г.');
  return pdf.save();
}

/** A sandbox extract of the state register, dated today: ЕГРЮЛ for an organization, ЕГРИП for a sole proprietor. */
export async function renderExtract(kind: 'organization' | 'soleProprietor', subject: Data, date: Date): Promise<Uint8Array> {
  const title = kind === 'organization' ? 'Выписка из Единого государственного реестра юридических лиц' : 'Выписка из Единого государственного реестра индивидуальных предпринимателей';
  const { pdf, writer } = await createPdf(title);
  writer.text(NOTE, { size: 8, center: true, gap: 12 });
  writer.text(title.toUpperCase(), { size: 13, bold: true, center: true });
  writer.text(`Дата выписки: ${formatDate(date)}`, { size: 10, center: true, gap: 14 });
  if (kind === 'organization') {
    const native = isObject(subject.nativeOrgParams) ? subject.nativeOrgParams : {};
    writer.field('Полное наименование', str(subject.name));
    writer.field('ОГРН', str(native.ogrn));
    writer.field('ИНН', str(native.inn));
    writer.field('КПП', str(subject.kpp));
    writer.field('Дата регистрации', isoToRussian(subject.regDate));
    writer.field('Адрес юридического лица', formatAddress(subject.address));
  } else {
    writer.field('Фамилия, имя, отчество', personName(subject));
    writer.field('ОГРНИП', str(subject.ogrnip));
    writer.field('ИНН', str(subject.inn));
  }
  writer.space(10);
  writer.text('Сведения сформированы песочницей Контур.Реестро по данным субъекта.');
  return pdf.save();
}

export async function renderReceipt(data: StatementData & { certificate: NonNullable<StatementData['certificate']> }): Promise<Uint8Array> {
  const title = 'Расписка в получении сертификата ключа проверки электронной подписи';
  const { pdf, writer } = await createPdf(title);
  writer.text(NOTE, { size: 8, center: true, gap: 12 });
  writer.text(title.toUpperCase(), { size: 13, bold: true, center: true });
  writer.text(`Анкета № ${data.formId}`, { size: 9, center: true, gap: 14 });
  writer.field('Владелец', personName(data.person));
  if (data.organization) writer.field('Организация', str(data.organization.name));
  writer.field('Серийный номер сертификата', data.certificate.serialNumber);
  writer.field('Отпечаток сертификата', data.certificate.thumbprint);
  writer.field('Срок действия', `с ${formatDate(new Date(data.certificate.validFrom))} по ${formatDate(new Date(data.certificate.validTo))}`);
  writer.space(10);
  writer.text('Сертификат получил(а), с руководством по обеспечению безопасности использования электронной подписи ознакомлен(а).', { gap: 24 });
  writer.text(`Подпись ____________________ / ${personName(data.person) || '____________'} /`);
  return pdf.save();
}
