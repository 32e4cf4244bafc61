// "Скачать с отметкой о подписи": a printable copy of a signed PDF with the visible stamp Russian
// document systems put on signed documents — "Документ подписан электронной подписью", the
// certificate's serial number, owner and validity, and the time of signing — drawn on the last
// page. The copy is a new file made for reading and printing: the stored document is never
// changed, and the signature stays over the original bytes (it does not cover the copy).
import type { Certificate } from '../crypto/x509.ts';
import { parseCms } from '../crypto/cms.ts';
import { certificateThumbprint, summarizeCertificate } from '../crypto/x509.ts';
import { loadFonts, loadPdfLibraries } from '../pdf/pdf-libraries.ts';
import type { Actor } from './actor.ts';
import type { DocumentsService, SignatureRow } from './documents.ts';
import { ServiceError } from './errors.ts';

/** A stamped copy is drawn in memory: PDFs above this size are refused (413). */
export const MAX_STAMPED_PDF_BYTES = 64 * 1024 * 1024;

/** What the stamp says, read from the signature itself. */
export interface StampFacts {
  serialNumber: string;
  owner: string;
  validFrom: Date;
  validTo: Date;
  signingTime: Date | null;
}

const MOSCOW = 'Europe/Moscow';
const day = (date: Date) => date.toLocaleDateString('ru-RU', { timeZone: MOSCOW, day: '2-digit', month: '2-digit', year: 'numeric' });
const moment = (date: Date) => `${day(date)} ${date.toLocaleTimeString('ru-RU', { timeZone: MOSCOW, hour: '2-digit', minute: '2-digit' })} (МСК)`;

/** Whether a stored document is a PDF (by its first bytes, whatever its name or declared type). */
export function isPdf(head: Buffer): boolean {
  return head.subarray(0, 1024).includes('%PDF-');
}

/** The signer's certificate facts: from the certificate inside the CMS (the one of the signature's thumbprint). */
export function stampFacts(signature: Pick<SignatureRow, 'cms' | 'certificateThumbprint' | 'certificateSubject' | 'certificateSerialNumber' | 'signingTime'>): StampFacts {
  const certificates: Certificate[] = parseCms(signature.cms).certificates;
  const certificate = certificates.find((candidate) => certificateThumbprint(candidate) === signature.certificateThumbprint.toUpperCase()) ?? certificates[0];
  if (!certificate) throw new ServiceError(422, 'no-signer-certificate', 'В подписи нет сертификата подписанта: отметку о подписи не из чего составить');
  const summary = summarizeCertificate(certificate);
  const fields = summary.subjectFields;
  const person = [fields.SN, fields.G].filter(Boolean).join(' ');
  const owner = [person || fields.CN || summary.subject, fields.O && fields.O !== person ? fields.O : null].filter(Boolean).join(', ');
  return { serialNumber: summary.serialNumber, owner, validFrom: new Date(summary.notBefore), validTo: new Date(summary.notAfter), signingTime: signature.signingTime };
}

/** Draws the stamp on the last page of `pdf` and returns the new file; `pdf` itself is not changed. */
export async function drawSignatureStamp(pdf: Uint8Array, facts: StampFacts): Promise<Buffer> {
  const { pdfLib, fontkit } = await loadPdfLibraries();
  const { regular: regularBytes, bold: boldBytes } = await loadFonts();
  let document: import('pdf-lib').PDFDocument;
  try {
    document = await pdfLib.PDFDocument.load(pdf.slice(), { updateMetadata: false });
  } catch {
    throw new ServiceError(422, 'pdf-unreadable', 'PDF не удалось прочитать: копию с отметкой о подписи сделать нельзя (сам документ и подпись не затронуты)');
  }
  document.registerFontkit(fontkit);
  const regular = await document.embedFont(regularBytes, { subset: true });
  const bold = await document.embedFont(boldBytes, { subset: true });
  const pages = document.getPages();
  const page = pages.length ? pages[pages.length - 1] : document.addPage();
  const { x: left0, y: bottom0, width: pageWidth } = page.getCropBox();

  const blue = pdfLib.rgb(0.12, 0.29, 0.62);
  const lines: { text: string; font: typeof regular; size: number }[] = [
    { text: 'Документ подписан электронной подписью', font: bold, size: 9 },
    { text: `Сертификат: ${facts.serialNumber}`, font: regular, size: 7.5 },
    { text: `Владелец: ${facts.owner}`, font: regular, size: 7.5 },
    { text: `Действителен: с ${day(facts.validFrom)} по ${day(facts.validTo)}`, font: regular, size: 7.5 },
    { text: `Подписан: ${facts.signingTime ? moment(facts.signingTime) : 'время подписания в подписи не указано'}`, font: regular, size: 7.5 },
  ];
  const padding = 8;
  const lineGap = 3;
  const maxTextWidth = Math.min(300, pageWidth - 2 * 24 - 2 * padding);
  // A long owner name is cut to the stamp's width rather than running off the page.
  const fitted = lines.map((line) => {
    let text = line.text;
    while (text.length > 4 && line.font.widthOfTextAtSize(text, line.size) > maxTextWidth) text = `${text.slice(0, -2)}…`;
    return { ...line, text };
  });
  const textWidth = Math.max(...fitted.map((line) => line.font.widthOfTextAtSize(line.text, line.size)));
  const boxWidth = textWidth + 2 * padding;
  const boxHeight = fitted.reduce((sum, line) => sum + line.size + lineGap, 0) - lineGap + 2 * padding;
  const x = left0 + pageWidth - 24 - boxWidth;
  const y = bottom0 + 24;
  page.drawRectangle({ x, y, width: boxWidth, height: boxHeight, borderColor: blue, borderWidth: 1.2, color: pdfLib.rgb(1, 1, 1), opacity: 0.92 });
  let cursor = y + boxHeight - padding;
  for (const line of fitted) {
    cursor -= line.size;
    page.drawText(line.text, { x: x + padding, y: cursor + 1, size: line.size, font: line.font, color: blue });
    cursor -= lineGap;
  }
  return Buffer.from(await document.save());
}

export class SignatureStampService {
  constructor(private readonly documents: DocumentsService) {}

  /** The stamped copy of a signed PDF, for whoever may see the document. */
  async stampedCopy(actor: Actor, documentId: string, signatureId: string): Promise<{ fileName: string; pdf: Buffer }> {
    const { document, signature } = await this.documents.signature(actor, documentId, signatureId);
    const head = document.size > 0 ? await this.documents.readRange(document, 0, Math.min(document.size, 1024)) : Buffer.alloc(0);
    if (!isPdf(head)) throw new ServiceError(415, 'not-pdf', 'Копия с отметкой о подписи делается только для документов PDF');
    if (document.size > MAX_STAMPED_PDF_BYTES) throw new ServiceError(413, 'too-large', `Копия с отметкой о подписи делается для PDF до ${MAX_STAMPED_PDF_BYTES / 1024 / 1024} МБ`);
    const bytes = await this.documents.readRange(document, 0, document.size);
    const pdf = await drawSignatureStamp(bytes, stampFacts(signature));
    return { fileName: document.fileName.replace(/\.pdf$/i, '') + ' (с отметкой о подписи).pdf', pdf };
  }
}
