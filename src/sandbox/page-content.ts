// What a scan page really is, read from its first bytes (the declared Content-Type is only a
// claim): JPEG, PNG, GIF or PDF, the formats the KCR API takes for pages.
import type { PageContentType } from './kcr-vocabulary.ts';

const SIGNATURES: { type: PageContentType; bytes: readonly number[] }[] = [
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] }, // GIF8(7|9)a
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
];

/** The page format the bytes start with, or undefined when they are none of them. */
export function pageFormatOf(content: Uint8Array): PageContentType | undefined {
  return SIGNATURES.find(({ bytes }) => bytes.every((byte, i) => content[i] === byte))?.type;
}
