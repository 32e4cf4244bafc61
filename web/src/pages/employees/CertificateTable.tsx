import type { EmployeeCertificate } from '../../api/types.ts';
import { formatDate } from '../../format/dateTime.ts';
import { subjectCommonName as certificateOwner } from '../../domain/certificateNames.ts';
import { CertificateValidity } from './CertificateValidity.tsx';

/** Thumbprints read in groups of four, like in certificate viewers. */
function groupedThumbprint(thumbprint: string): string {
  return thumbprint.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

export function CertificateTable({ certificates }: { certificates: EmployeeCertificate[] }) {
  return (
    <table className="data-table data-table_stacking">
      <caption className="visually-hidden">Сертификаты сотрудника</caption>
      <thead>
        <tr>
          <th scope="col">Владелец</th>
          <th scope="col">Серийный номер</th>
          <th scope="col">Действует</th>
          <th scope="col">Отпечаток</th>
        </tr>
      </thead>
      <tbody>
        {certificates.map((certificate) => (
          <tr key={certificate.id}>
            <th scope="row" data-label="Владелец">
              {certificateOwner(certificate.subject)}
              <div className="muted small">Издатель: {certificateOwner(certificate.issuer)}</div>
            </th>
            <td data-label="Серийный номер" className="mono break">
              {certificate.serialNumber}
            </td>
            <td data-label="Действует">
              <span className="nowrap">
                {formatDate(certificate.validFrom)} — {formatDate(certificate.validTo)}
              </span>
              {certificate.revokedAt ? (
                <span className="badge badge_error">Отозван {formatDate(certificate.revokedAt)}</span>
              ) : (
                <CertificateValidity validFrom={certificate.validFrom} validTo={certificate.validTo} />
              )}
              {certificate.replacedById && <div className="muted small">Заменён перевыпущенным</div>}
            </td>
            <td data-label="Отпечаток" className="mono break">
              {groupedThumbprint(certificate.thumbprint)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
