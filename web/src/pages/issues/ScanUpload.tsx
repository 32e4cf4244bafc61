import { useState } from 'react';
import { Button, Toast } from '@skbkontur/react-ui';
import { deleteScanPage, sendScan } from '../../api/issues.ts';
import type { IssueDocument, IssueScan } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FileDropZone } from '../../components/FileDropZone.tsx';
import { MAX_SCAN_BYTES, SCAN_CONTENT_TYPES } from '../../domain/issueDocuments.ts';
import { readAsBase64 } from '../../files/readFile.ts';
import { formatDateTime } from '../../format/dateTime.ts';
import { formatFileSize } from '../../format/fileSize.ts';
import { fileTypeName } from '../../format/fileType.ts';
import { useAction } from '../../hooks/useAction.ts';
import { ScanPreview } from './ScanPreview.tsx';

export interface ScanUploadProps {
  issueId: string;
  documentType: string;
  title: string;
  /** Scans already sent (from the issue's history). */
  sent: IssueScan[];
  /** Pages Kontur holds for the document. */
  sentPages: number;
  /** The pages Kontur holds, each removable (a scan the CA operator rejected, say); without it only their count shows. */
  pages?: IssueDocument['pages'];
  onSent(): void;
}

/** Pick or drop scan pages, look at them, send them to Kontur one by one. */
export function ScanUpload({ issueId, documentType, title, sent, sentPages, pages, onSent }: ScanUploadProps) {
  const [chosen, setChosen] = useState<File[]>([]);
  const [progress, setProgress] = useState<string>();
  const sending = useAction();
  const removal = useAction();
  const [removing, setRemoving] = useState<string>();

  const remove = async (pageId: string) => {
    setRemoving(pageId);
    const done = await removal.run(() => deleteScanPage(issueId, documentType, pageId));
    setRemoving(undefined);
    if (done) {
      Toast.push('Скан удалён');
      onSent();
    }
  };

  const send = async () => {
    const done = await sending.run(async () => {
      for (const [index, file] of chosen.entries()) {
        setProgress(`Отправляется ${index + 1} из ${chosen.length}: ${file.name}`);
        await sendScan(issueId, documentType, { name: file.name, size: file.size, base64: await readAsBase64(file) });
        setChosen((current) => current.filter((candidate) => candidate !== file));
      }
      return true;
    });
    setProgress(undefined);
    if (done) {
      Toast.push(chosen.length > 1 ? 'Сканы отправлены' : 'Скан отправлен');
      onSent();
    } else if (chosen.length > 0) {
      onSent();
    }
  };

  const inputId = `scan-${documentType}`;
  return (
    <div className="step-form">
      <h3 className="step-form__title">{title}</h3>
      <FileDropZone
        id={inputId}
        label="Добавить скан"
        accept={SCAN_CONTENT_TYPES}
        acceptName="JPEG, PNG, GIF или PDF"
        maxBytes={MAX_SCAN_BYTES}
        multiple
        disabled={sending.busy}
        onFiles={(files) => setChosen((current) => [...current, ...files])}
      />
      {chosen.length > 0 && (
        <>
          <ul className="scan-previews" aria-label="Выбранные сканы">
            {chosen.map((file, index) => (
              <li key={`${file.name}-${index}`} className="scan-previews__item">
                <ScanPreview file={file} />
                <div className="scan-previews__name">
                  {file.name}
                  <div className="muted small">{formatFileSize(file.size)}</div>
                </div>
                <Button
                  size="small"
                  use="text"
                  disabled={sending.busy}
                  aria-label={`Убрать ${file.name}`}
                  onClick={() => setChosen((current) => current.filter((candidate) => candidate !== file))}
                >
                  Убрать
                </Button>
              </li>
            ))}
          </ul>
          <Button use="primary" loading={sending.busy} onClick={send}>
            {chosen.length > 1 ? `Отправить сканы (${chosen.length})` : 'Отправить скан'}
          </Button>
          {progress && (
            <p className="muted small" aria-live="polite">
              {progress}
            </p>
          )}
        </>
      )}
      <ErrorBanner error={sending.error} />
      {sentPages > 0 && (
        <div className="sent-scans">
          <p className="success-text">Отправлено в УЦ страниц: {sentPages}</p>
          {pages && pages.length > 0 && (
            <ul className="sent-scans__pages" aria-label="Страницы в УЦ">
              {pages.map((page, index) => (
                <li key={page.id}>
                  Страница {index + 1}: {fileTypeName(page.contentType)}, {formatFileSize(page.size)}, {formatDateTime(page.createdAt)}{' '}
                  <Button size="small" use="text" loading={removing === page.id} onClick={() => remove(page.id)} aria-label={`Удалить страницу ${index + 1}`}>
                    Удалить
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <ErrorBanner error={removal.error} />
          {!pages && sent.length > 0 && (
            <ul className="muted small">
              {sent.map((scan) => (
                <li key={scan.id}>
                  {scan.fileName}, {formatFileSize(scan.size)}, {formatDateTime(scan.createdAt)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
