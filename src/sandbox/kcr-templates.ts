// Printable PDF forms of the KCR sandbox (POST /v1/issues/{id}/templates/{templateType}): real
// PDFs in Russian filled with the applicant's data. pdf-lib draws them; the DejaVu Sans font
// (npm dejavu-fonts-ttf, embedded as a subset through @pdf-lib/fontkit) carries Cyrillic and
// gives the text a ToUnicode map, so the text can be extracted and searched.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Color, PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { DOCUMENT_NAMES, TEMPLATE_NAMES, type TemplateType } from './kcr-vocabulary.ts';
import type { SandboxIssue } from './kcr-issue-store.ts';

const require = createRequire(import.meta.url);

// pdf-lib and fontkit are loaded on the first template, not at start: together they cost
// tens of megabytes that a server which never prints a form should not pay.
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
let pdfLibraries: Promise<{ pdfLib: typeof import('pdf-lib'); fontkit: Fontkit }> | undefined;
function loadPdfLibraries() {
  pdfLibraries ??= Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]).then(([pdfLib, fontkit]) => ({
    pdfLib,
    fontkit: ((fontkit as { default?: Fontkit }).default ?? fontkit) as Fontkit,
  }));
  return pdfLibraries;
}

let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;
function loadFonts() {
  fonts ??= (async () => {
    const dir = require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/');
    const [regular, bold] = await Promise.all([readFile(`${dir}DejaVuSans.ttf`), readFile(`${dir}DejaVuSans-Bold.ttf`)]);
    return { regular, bold };
  })();
  return fonts;
}

const PAGE = { width: 595.28, height: 841.89, margin: 56 };

/** Draws lines top to bottom, wrapping long text and starting new pages as needed. */
class Writer {
  private page: PDFPage;
  private y: number;
  constructor(
    private readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly black: Color,
  ) {
    this.page = pdf.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }

  text(text: string, options: { size?: number; bold?: boolean; center?: boolean; gap?: number } = {}) {
    const size = options.size ?? 10.5;
    const font = options.bold ? this.bold : this.regular;
    const width = PAGE.width - 2 * PAGE.margin;
    for (const line of this.wrap(text, font, size, width)) {
      if (this.y < PAGE.margin + size) {
        this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
        this.y = PAGE.height - PAGE.margin;
      }
      const x = options.center ? (PAGE.width - font.widthOfTextAtSize(line, size)) / 2 : PAGE.margin;
      this.page.drawText(line, { x, y: this.y - size, size, font, color: this.black });
      this.y -= size * 1.45;
    }
    this.y -= options.gap ?? 2;
  }

  field(label: string, value: string | null | undefined) {
    this.text(`${label}: ${value && value.trim() ? value : '________________________'}`);
  }

  space(points = 10) {
    this.y -= points;
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(/\s+/)) {
        const next = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) > width && line) {
          lines.push(line);
          line = word;
        } else line = next;
      }
      lines.push(line);
    }
    return lines;
  }
}

/** DD.MM.YYYY in Moscow time (UTC+3 all year since 2014). Formatted by hand: Intl would map ~5 MiB of ICU data into the server for one date. */
const MOSCOW_OFFSET_MS = 3 * 3600_000;
function formatDate(date: Date): string {
  const moscow = new Date(date.getTime() + MOSCOW_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(moscow.getUTCDate())}.${two(moscow.getUTCMonth() + 1)}.${moscow.getUTCFullYear()}`;
}

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
  const [{ regular, bold }, { pdfLib, fontkit }] = await Promise.all([loadFonts(), loadPdfLibraries()]);
  const pdf = await pdfLib.PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const title = TEMPLATE_NAMES[type];
  pdf.setTitle(title);
  pdf.setLanguage('ru-RU');
  pdf.setProducer('Kontur CA Bridge sandbox');
  pdf.setCreationDate(new Date());
  const writer = new Writer(pdf, await pdf.embedFont(regular, { subset: true }), await pdf.embedFont(bold, { subset: true }), pdfLib.rgb(0, 0, 0));
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
