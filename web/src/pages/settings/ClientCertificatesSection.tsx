import { useState } from 'react';
import { Button, Toast } from '@skbkontur/react-ui';
import { fetchClientCertificates, removeClientCertificate } from '../../api/certificateStore.ts';
import type { StoredCertificate } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { subjectCommonName } from '../../domain/certificateNames.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { ClientCertificateModal } from './ClientCertificateModal.tsx';
import { StoredCertificateTable } from './StoredCertificateTable.tsx';

/** The certificate (with its key) Kontur issued for the cloud signature API. */
export function ClientCertificatesSection() {
  const certificates = useApiData(fetchClientCertificates, []);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<StoredCertificate>();
  const removal = useAction();

  const remove = async () => {
    if (!removing) return;
    if (await removal.run(async () => (await removeClientCertificate(removing.thumbprint), true))) {
      Toast.push('Клиентский сертификат удалён');
      setRemoving(undefined);
      certificates.reload();
    }
  };

  return (
    <section aria-labelledby="client-certificates-title">
      <div className="section-toolbar">
        <h2 id="client-certificates-title" className="section__title">
          Клиентские сертификаты
        </h2>
        <Button use="primary" onClick={() => setAdding(true)}>
          Добавить сертификат
        </Button>
      </div>
      <p className="muted">
        Используется сертификат, отпечаток которого указан в настройке «Отпечаток сертификата для Crypto API». Закрытый ключ хранится зашифрованным и не
        показывается.
      </p>
      {certificates.error && !certificates.data && <LoadFailure error={certificates.error} onRetry={certificates.reload} />}
      {!certificates.data && certificates.loading && <LoadingBlock />}
      {certificates.data && certificates.data.length === 0 && <p className="muted">Клиентских сертификатов нет: для песочницы они не нужны.</p>}
      {certificates.data && certificates.data.length > 0 && (
        <StoredCertificateTable caption="Клиентские сертификаты" certificates={certificates.data} removing={undefined} onRemove={setRemoving} />
      )}
      {adding && (
        <ClientCertificateModal
          onClose={() => setAdding(false)}
          onAdded={(added) => {
            setAdding(false);
            Toast.push(`Добавлен сертификат «${subjectCommonName(added.subject)}»`);
            certificates.reload();
          }}
        />
      )}
      {removing && (
        <ConfirmModal title="Удалить клиентский сертификат?" confirmLabel="Удалить" busy={removal.busy} error={removal.error} onConfirm={remove} onClose={() => setRemoving(undefined)}>
          <p>Сертификат «{subjectCommonName(removing.subject)}» и его закрытый ключ будут удалены.</p>
        </ConfirmModal>
      )}
    </section>
  );
}
