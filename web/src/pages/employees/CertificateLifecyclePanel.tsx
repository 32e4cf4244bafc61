import { useState } from 'react';
import { Button, Gapped, Input } from '@skbkontur/react-ui';
import { dismissEmployee, fetchCertificateNotices, recallCertificate, reinstateEmployee, requestRecall } from '../../api/certificates.ts';
import type { Employee, EmployeeCertificate } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { formatDate, formatDateTime } from '../../format/dateTime.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';

/** Expiry notices of the card's certificates, and for staff: the dismissal and the recall it offers. */
export function CertificateLifecyclePanel({ employee, certificates, canEdit, onChanged }: { employee: Employee; certificates: EmployeeCertificate[]; canEdit: boolean; onChanged(): void }) {
  const notices = useApiData(() => fetchCertificateNotices(employee.id), [employee.id]);
  const [confirming, setConfirming] = useState(false);
  const dismissal = useAction();
  const recall = useAction();
  const [recalling, setRecalling] = useState<{ id: string; phone: string }>();
  const [code, setCode] = useState('');
  const dismissed = employee.state === 'dismissed';
  const recallable = certificates.filter((c) => !c.revokedAt && c.source === 'kcr' && c.issueId && Date.parse(c.validTo) > Date.now());

  return (
    <section className="section" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title" className="section__title">
        Уведомления и отзыв
      </h2>
      {notices.data && notices.data.length > 0 ? (
        <ul className="notice-list">
          {notices.data.map((notice) => (
            <li key={`${notice.certificateId}:${notice.daysBefore}`} className="warning-banner">
              Срок действия сертификата {notice.thumbprint.slice(0, 8)}… истекает {formatDate(notice.validTo)} (уведомление за {notice.daysBefore} дн., {formatDateTime(notice.createdAt)})
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Уведомлений об окончании срока действия нет.</p>
      )}
      {dismissed && (
        <div className="error-banner" role="status">
          <strong>Сотрудник уволен {formatDate(employee.dismissedAt)}.</strong>{' '}
          {recallable.length ? `Его сертификатами ещё можно подписывать: отзовите их (${recallable.length}).` : 'Действующих сертификатов, которые можно отозвать, нет.'}
        </div>
      )}
      <ErrorBanner error={recall.error ?? dismissal.error} />
      {canEdit && dismissed && recallable.map((certificate) => (
        <div key={certificate.id} className="recall-row">
          <Gapped gap={8} wrap verticalAlign="middle">
            <span className="mono small">{certificate.thumbprint}</span>
            {recalling?.id === certificate.id ? (
              <>
                <span className="small">Код из СМС на {recalling.phone}:</span>
                <Input aria-label="Код из СМС для отзыва" width={120} value={code} onValueChange={setCode} />
                <Button
                  use="danger"
                  loading={recall.busy}
                  onClick={async () => {
                    const done = await recall.run(() => recallCertificate(certificate.id, code));
                    if (done) {
                      setRecalling(undefined);
                      setCode('');
                      onChanged();
                    }
                  }}
                >
                  Подписать заявление на отзыв
                </Button>
              </>
            ) : (
              <Button
                loading={recall.busy}
                onClick={async () => {
                  const sent = await recall.run(() => requestRecall(certificate.id));
                  if (sent) setRecalling({ id: certificate.id, phone: sent.phone });
                }}
              >
                Отозвать сертификат
              </Button>
            )}
          </Gapped>
        </div>
      ))}
      {canEdit && (
        <p>
          {dismissed ? (
            <Button use="text" loading={dismissal.busy} onClick={async () => (await dismissal.run(() => reinstateEmployee(employee.id)), onChanged())}>
              Отменить увольнение
            </Button>
          ) : (
            <Button onClick={() => setConfirming(true)}>Уволить сотрудника</Button>
          )}
        </p>
      )}
      {confirming && (
        <ConfirmModal
          title="Уволить сотрудника?"
          confirmLabel="Уволить"
          busy={dismissal.busy}
          error={dismissal.error}
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const done = await dismissal.run(() => dismissEmployee(employee.id));
            if (done) {
              setConfirming(false);
              onChanged();
            }
          }}
        >
          <p>Карточка останется. После увольнения страница предложит отозвать сертификаты сотрудника, чтобы ими больше нельзя было подписывать.</p>
        </ConfirmModal>
      )}
    </section>
  );
}
