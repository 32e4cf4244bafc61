import { Link } from 'react-router';
import type { StoredDocument } from '../../api/types.ts';
import { formatDateTime } from '../../format/dateTime.ts';
import { formatFileSize } from '../../format/fileSize.ts';

export function DocumentTable({ documents }: { documents: StoredDocument[] }) {
  return (
    <table className="data-table data-table_stacking">
      <caption className="visually-hidden">Документы</caption>
      <thead>
        <tr>
          <th scope="col">Документ</th>
          <th scope="col">Размер</th>
          <th scope="col">Загружен</th>
          <th scope="col">Подписи</th>
        </tr>
      </thead>
      <tbody>
        {documents.map((document) => (
          <tr key={document.id}>
            <th scope="row" data-label="Документ" className="break">
              <Link to={`/documents/${document.id}`}>{document.fileName}</Link>
            </th>
            <td data-label="Размер" className="nowrap">
              {formatFileSize(document.size)}
            </td>
            <td data-label="Загружен">{formatDateTime(document.createdAt)}</td>
            <td data-label="Подписи">
              {document.signatures.length > 0 ? (
                <span className="badge badge_success">Подписан ({document.signatures.length})</span>
              ) : (
                <span className="badge badge_neutral">Не подписан</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
