import { API_BASE, announceUnauthorized, apiRequest, ApiError, problemFromText } from './client.ts';
import type { Page, SignatureCheck, StoredDocument } from './types.ts';

const documentPath = (id: string, rest = '') => `/documents/${encodeURIComponent(id)}${rest}`;

export const searchDocuments = (search: { offset: number; limit: number; ownerEmployeeId?: string }) =>
  apiRequest<Page<StoredDocument>>('GET', '/documents', { query: search });

export const fetchDocument = (id: string) => apiRequest<StoredDocument>('GET', documentPath(id));

export const deleteDocument = (id: string) => apiRequest<void>('DELETE', documentPath(id));

export const verifySignature = (documentId: string, signatureId: string) =>
  apiRequest<SignatureCheck>('POST', documentPath(documentId, `/signatures/${encodeURIComponent(signatureId)}/verification`));

export const documentContentPath = (id: string) => documentPath(id, '/content');
export const signatureContentPath = (documentId: string, signatureId: string) => documentPath(documentId, `/signatures/${encodeURIComponent(signatureId)}/content`);
/** «Скачать с отметкой о подписи»: a PDF copy with the signature stamp on its last page (PDFs only). */
export const stampedCopyPath = (documentId: string, signatureId: string) => documentPath(documentId, `/signatures/${encodeURIComponent(signatureId)}/stamped`);

export interface DocumentUpload {
  file: File;
  ownerEmployeeId?: string | null;
  /** Bytes sent so far and the total, as the browser reports them. */
  onProgress(sent: number, total: number): void;
  signal?: AbortSignal;
}

/**
 * Sends the file itself as the request body (the server streams it to disk). XMLHttpRequest,
 * not fetch: only it reports upload progress in every browser.
 */
export function uploadDocument({ file, ownerEmployeeId, onProgress, signal }: DocumentUpload): Promise<StoredDocument> {
  const query = new URLSearchParams({ fileName: file.name });
  if (ownerEmployeeId) query.set('ownerEmployeeId', ownerEmployeeId);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${API_BASE}/documents?${query}`);
    request.setRequestHeader('content-type', file.type || 'application/octet-stream');
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onload = () => {
      if (request.status === 201) return resolve(JSON.parse(request.responseText) as StoredDocument);
      if (request.status === 401) announceUnauthorized();
      reject(problemFromText(request.status, request.responseText, request.getResponseHeader('retry-after')));
    };
    request.onerror = () => reject(new ApiError(0, 'Нет связи с сервером', 'Загрузка прервалась: сервер не отвечает. Проверьте подключение к сети и повторите.'));
    request.onabort = () => reject(new ApiError(0, 'Загрузка отменена', 'Загрузка отменена'));
    signal?.addEventListener('abort', () => request.abort());
    request.send(file);
  });
}
