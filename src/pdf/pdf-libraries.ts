// pdf-lib with fontkit and the DejaVu Sans font (npm dejavu-fonts-ttf: Bitstream Vera / public-domain
// licence, Cyrillic included) for the stamped copies of signed documents and the sandbox's printed
// documents. Like src/crypto, a leaf the sandbox may import: it imports nothing of the bridge.
// The font is embedded as a subset, which gives the text a ToUnicode map, so the Russian text can
// be extracted and searched.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { PDFDocument } from 'pdf-lib';

const require = createRequire(import.meta.url);

// pdf-lib and fontkit are loaded on first use, not at start: together they cost tens of
// megabytes that a server which never draws a PDF should not pay.
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
let pdfLibraries: Promise<{ pdfLib: typeof import('pdf-lib'); fontkit: Fontkit }> | undefined;
export function loadPdfLibraries() {
  pdfLibraries ??= Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]).then(([pdfLib, fontkit]) => ({
    pdfLib,
    fontkit: ((fontkit as { default?: Fontkit }).default ?? fontkit) as Fontkit,
  }));
  return pdfLibraries;
}

let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;
export function loadFonts() {
  fonts ??= (async () => {
    const dir = require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/');
    const [regular, bold] = await Promise.all([readFile(`${dir}DejaVuSans.ttf`), readFile(`${dir}DejaVuSans-Bold.ttf`)]);
    return { regular, bold };
  })();
  return fonts;
}
