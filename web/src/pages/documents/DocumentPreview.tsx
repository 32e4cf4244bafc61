import { useEffect, useRef, useState } from 'react';
import { Loader } from '@skbkontur/react-ui';
import { apiUrl } from '../../api/client.ts';
import { documentContentPath } from '../../api/documents.ts';
import type { StoredDocument } from '../../api/types.ts';
import { isPdfDocument } from '../../domain/documentTypes.ts';
import { renderPdfPages } from '../../files/pdfPages.ts';
import { formatFileSize } from '../../format/fileSize.ts';

/** Pages shown of a PDF being signed: enough to recognise it without loading a long file whole. */
const PREVIEW_PAGES = 2;
const PREVIEW_WIDTH = 460;

/**
 * What is being signed: the first pages of a PDF (pdf.js), or for another file its name, size and
 * GOST R 34.11-2012 hash as the server computed it (what the signature covers).
 */
export function DocumentPreview({ document }: { document: StoredDocument }) {
  const pdf = isPdfDocument(document);
  return (
    <section className="document-preview" aria-label={`Что подписывается: ${document.fileName}`}>
      <dl className="details details_compact">
        <div className="details__row">
          <dt>Файл</dt>
          <dd className="break">{document.fileName}</dd>
        </div>
        <div className="details__row">
          <dt>Размер</dt>
          <dd>{formatFileSize(document.size)}</dd>
        </div>
        {!pdf && (
          <div className="details__row">
            <dt>Хэш ГОСТ Р 34.11-2012</dt>
            <dd className="mono break" data-testid="preview-hash">
              {document.streebog256}
            </dd>
          </div>
        )}
      </dl>
      {pdf && <PdfPages document={document} />}
    </section>
  );
}

function PdfPages({ document }: { document: StoredDocument }) {
  const pages = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ name: 'loading' } | { name: 'shown'; total: number } | { name: 'failed' }>({ name: 'loading' });

  useEffect(() => {
    const container = pages.current;
    if (!container) return;
    const controller = new AbortController();
    setState({ name: 'loading' });
    (async () => {
      const response = await fetch(apiUrl(documentContentPath(document.id)), { signal: controller.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const total = await renderPdfPages(await response.arrayBuffer(), container, { width: Math.min(PREVIEW_WIDTH, container.clientWidth || PREVIEW_WIDTH), maxPages: PREVIEW_PAGES, signal: controller.signal });
      if (!controller.signal.aborted) setState({ name: 'shown', total });
    })().catch(() => {
      if (!controller.signal.aborted) setState({ name: 'failed' });
    });
    return () => {
      controller.abort();
      container.replaceChildren();
    };
  }, [document.id]);

  return (
    <div className="document-preview__pdf">
      {state.name === 'loading' && <Loader active caption="Загружается просмотр документа…" />}
      {state.name === 'failed' && (
        <p className="muted" role="status">
          Просмотр PDF недоступен: файл не удалось отобразить. Подписывается файл с указанным именем и размером.
        </p>
      )}
      <div ref={pages} className="document-preview__pages" data-testid="pdf-preview" />
      {state.name === 'shown' && state.total > PREVIEW_PAGES && (
        <p className="muted">
          Показаны первые {PREVIEW_PAGES} страницы из {state.total}.{' '}
          <a href={apiUrl(documentContentPath(document.id))} target="_blank" rel="noreferrer">
            Открыть документ целиком
          </a>
        </p>
      )}
    </div>
  );
}
