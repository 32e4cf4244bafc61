import type { StoredDocument } from '../api/types.ts';

/** A PDF by its declared type or name: shown with pdf.js and offered as a stamped copy (the server checks the bytes). */
export function isPdfDocument(document: Pick<StoredDocument, 'contentType' | 'fileName'>): boolean {
  return document.contentType === 'application/pdf' || /\.pdf$/i.test(document.fileName);
}
