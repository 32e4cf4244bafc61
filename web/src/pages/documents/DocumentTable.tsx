import { Link } from 'react-router';
import { Checkbox } from '@skbkontur/react-ui';
import type { StoredDocument } from '../../api/types.ts';
import { formatDateTime } from '../../format/dateTime.ts';
import { formatFileSize } from '../../format/fileSize.ts';
import { subjectCommonName } from '../../domain/certificateNames.ts';

/** Who signed, by employee card or else by the certificate's owner, each once. */
function signerNames(document: StoredDocument): string {
  return [...new Set(document.signatures.map((signature) => signature.signerName ?? subjectCommonName(signature.certificateSubject)))].join(', ');
}

/** Documents chosen for «Подписать выбранные». */
export interface DocumentSelection {
  selected: ReadonlySet<string>;
  onChange(ids: string[], checked: boolean): void;
}

export function DocumentTable({ documents, selection }: { documents: StoredDocument[]; selection?: DocumentSelection }) {
  const allSelected = selection !== undefined && documents.length > 0 && documents.every((document) => selection.selected.has(document.id));
  return (
    <table className="data-table data-table_stacking">
      <caption className="visually-hidden">Документы</caption>
      <thead>
        <tr>
          {selection && (
            <th scope="col" className="data-table__select">
              <Checkbox
                checked={allSelected}
                aria-label="Выбрать все документы на странице"
                onValueChange={(checked) => selection.onChange(documents.map((document) => document.id), checked)}
              />
            </th>
          )}
          <th scope="col">Документ</th>
          <th scope="col">Сотрудник</th>
          <th scope="col">Размер</th>
          <th scope="col">Загружен</th>
          <th scope="col">Подписи</th>
          <th scope="col">Подписал</th>
        </tr>
      </thead>
      <tbody>
        {documents.map((document) => (
          <tr key={document.id}>
            {selection && (
              <td className="data-table__select" data-label="Выбрать">
                <Checkbox checked={selection.selected.has(document.id)} aria-label={`Выбрать «${document.fileName}»`} onValueChange={(checked) => selection.onChange([document.id], checked)} />
              </td>
            )}
            <th scope="row" data-label="Документ" className="break">
              <Link to={`/documents/${document.id}`}>{document.fileName}</Link>
            </th>
            <td data-label="Сотрудник">{document.ownerName ?? <span className="muted">—</span>}</td>
            <td data-label="Размер" className="nowrap">
              {formatFileSize(document.size)}
            </td>
            <td data-label="Загружен">
              {formatDateTime(document.createdAt)}
              {document.uploadedByName && <div className="muted small">{document.uploadedByName}</div>}
            </td>
            <td data-label="Подписи">
              {document.signatures.length > 0 ? (
                <span className="badge badge_success">Подписан ({document.signatures.length})</span>
              ) : (
                <span className="badge badge_neutral">Не подписан</span>
              )}
            </td>
            <td data-label="Подписал">{signerNames(document) || <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
