import { Button } from '@skbkontur/react-ui';
import type { StoredCertificate } from '../../api/types.ts';
import { subjectCommonName } from '../../domain/certificateNames.ts';
import { formatDate } from '../../format/dateTime.ts';

export interface StoredCertificateTableProps {
  caption: string;
  certificates: StoredCertificate[];
  removing: string | undefined;
  onRemove(certificate: StoredCertificate): void;
}

export function StoredCertificateTable({ caption, certificates, removing, onRemove }: StoredCertificateTableProps) {
  return (
    <table className="data-table data-table_stacking">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Владелец</th>
          <th scope="col">Действует</th>
          <th scope="col">Отпечаток</th>
          <th scope="col">
            <span className="visually-hidden">Действия</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {certificates.map((certificate) => {
          const owner = subjectCommonName(certificate.subject);
          return (
            <tr key={certificate.thumbprint}>
              <th scope="row" data-label="Владелец">
                {owner}
                <div className="muted small">Издатель: {subjectCommonName(certificate.issuer)}</div>
                {certificate.format && <div className="muted small">Загружен как {certificate.format.toUpperCase()}</div>}
              </th>
              <td data-label="Действует" className="nowrap">
                {formatDate(certificate.validFrom)} — {formatDate(certificate.validTo)}
              </td>
              <td data-label="Отпечаток" className="mono break">
                {certificate.thumbprint}
              </td>
              <td className="data-table__actions">
                <Button size="small" use="text" loading={removing === certificate.thumbprint} onClick={() => onRemove(certificate)} aria-label={`Удалить сертификат ${owner}`}>
                  Удалить
                </Button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
