// Real PDFs in Russian for the sandbox's printable documents (KCR templates, Реестро statements and extracts): pdf-lib draws them; the DejaVu
// Sans font (npm dejavu-fonts-ttf, embedded as a subset through @pdf-lib/fontkit) carries
// Cyrillic and gives the text a ToUnicode map, so the text can be extracted and searched.
import type { Color, PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { loadFonts, loadPdfLibraries } from '../pdf/pdf-libraries.ts';

const PAGE = { width: 595.28, height: 841.89, margin: 56 };

/** Draws lines top to bottom, wrapping long text and starting new pages as needed. */
export class Writer {
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
export function formatDate(date: Date): string {
  const moscow = new Date(date.getTime() + MOSCOW_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(moscow.getUTCDate())}.${two(moscow.getUTCMonth() + 1)}.${moscow.getUTCFullYear()}`;
}

/** A new A4 document with its metadata and a writer on its first page. */
export async function createPdf(title: string): Promise<{ pdf: PDFDocument; writer: Writer }> {
  const [{ regular, bold }, { pdfLib, fontkit }] = await Promise.all([loadFonts(), loadPdfLibraries()]);
  const pdf = await pdfLib.PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(title);
  pdf.setLanguage('ru-RU');
  pdf.setProducer('Kontur CA Bridge sandbox');
  pdf.setCreationDate(new Date());
  const writer = new Writer(pdf, await pdf.embedFont(regular, { subset: true }), await pdf.embedFont(bold, { subset: true }), pdfLib.rgb(0, 0, 0));
  return { pdf, writer };
}
