import { fetchMyCertificates, myCertificateFileUrl, type MyCertificate } from '../../api/selfService.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { subjectCommonName } from '../../domain/certificateNames.ts';
import { formatDate } from '../../format/dateTime.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';

/** 1 день, 2 дня, 5 дней. */
function days(count: number): string {
  const n = Math.abs(count) % 100;
  const last = n % 10;
  const word = n >= 11 && n <= 14 ? 'дней' : last === 1 ? 'день' : last >= 2 && last <= 4 ? 'дня' : 'дней';
  return `${count} ${word}`;
}

function Validity({ certificate }: { certificate: MyCertificate }) {
  if (certificate.state === 'notYetValid') return <span className="badge badge_warning">Ещё не действует</span>;
  if (certificate.state === 'expired') return <span className="badge badge_error">Истёк</span>;
  const tone = certificate.daysLeft <= 30 ? 'warning' : 'success';
  return <span className={`badge badge_${tone}`}>{certificate.daysLeft <= 0 ? 'Истекает сегодня' : `Осталось ${days(certificate.daysLeft)}`}</span>;
}

/** «Мои сертификаты»: the certificates in the employee's card, how long each is valid, and the .cer file. */
export function MyCertificatesPage() {
  usePageTitle('Мои сертификаты');
  const certificates = useApiData(fetchMyCertificates, []);
  return (
    <>
      <PageHeader title="Мои сертификаты">
        <p className="muted">Сертификаты электронной подписи в вашей карточке сотрудника.</p>
      </PageHeader>
      {certificates.error && !certificates.data && <LoadFailure error={certificates.error} onRetry={certificates.reload} />}
      {!certificates.data && !certificates.error && <LoadingBlock />}
      {certificates.data && certificates.data.length === 0 && <p className="muted">Сертификатов пока нет: они появятся здесь, когда удостоверяющий центр выпустит сертификат по вашей заявке.</p>}
      {certificates.data && certificates.data.length > 0 && (
        <table className="data-table data-table_stacking">
          <caption className="visually-hidden">Мои сертификаты</caption>
          <thead>
            <tr>
              <th scope="col">Сертификат</th>
              <th scope="col">Действует</th>
              <th scope="col">Срок</th>
              <th scope="col">Файл</th>
            </tr>
          </thead>
          <tbody>
            {certificates.data.map((certificate) => (
              <tr key={certificate.id} data-testid="my-certificate">
                <th scope="row" data-label="Сертификат">
                  {subjectCommonName(certificate.subject)}
                  <div className="muted small">
                    {certificate.cspType === 'dss' ? 'Облачная подпись' : 'Ключ у владельца'} · серийный номер <span className="mono break">{certificate.serialNumber}</span>
                  </div>
                  <div className="muted small">Издатель: {subjectCommonName(certificate.issuer)}</div>
                </th>
                <td data-label="Действует" className="nowrap">
                  {formatDate(certificate.validFrom)} — {formatDate(certificate.validTo)}
                </td>
                <td data-label="Срок">
                  <Validity certificate={certificate} />
                </td>
                <td data-label="Файл">
                  <a href={myCertificateFileUrl(certificate.thumbprint)} download={`${certificate.serialNumber}.cer`}>
                    Скачать .cer
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
