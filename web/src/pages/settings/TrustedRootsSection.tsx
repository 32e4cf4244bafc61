import { useState } from 'react';
import { Toast } from '@skbkontur/react-ui';
import { addTrustedRoot, fetchTrustedRoots, removeTrustedRoot } from '../../api/certificateStore.ts';
import type { StoredCertificate } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FileDropZone } from '../../components/FileDropZone.tsx';
import { InlineProgress } from '../../components/InlineProgress.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { readAsBase64 } from '../../files/readFile.ts';
import { subjectCommonName } from '../../domain/certificateNames.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { StoredCertificateTable } from './StoredCertificateTable.tsx';

/** PEM is sent as text; anything else (DER .cer/.crt) as base64. */
async function certificateText(file: File): Promise<string> {
  const text = await file.text();
  return text.includes('-----BEGIN CERTIFICATE-----') ? text : readAsBase64(file);
}

/** Root CAs that signatures and certificates must chain to. */
export function TrustedRootsSection() {
  const roots = useApiData(fetchTrustedRoots, []);
  const adding = useAction();
  const removal = useAction();
  const [removing, setRemoving] = useState<StoredCertificate>();

  const add = async (file: File) => {
    const added = await adding.run(async () => addTrustedRoot(await certificateText(file)));
    if (added) {
      Toast.push(`Добавлен корневой сертификат «${subjectCommonName(added.subject)}»`);
      roots.reload();
    }
  };

  const remove = async () => {
    if (!removing) return;
    if (await removal.run(async () => (await removeTrustedRoot(removing.thumbprint), true))) {
      Toast.push('Сертификат удалён из доверенных');
      setRemoving(undefined);
      roots.reload();
    }
  };

  return (
    <section aria-labelledby="roots-title">
      <h2 id="roots-title" className="section__title">
        Доверенные корневые сертификаты
      </h2>
      <p className="muted">Подписи и сертификаты принимаются, только если цепочка доходит до одного из них. Принимаются только сертификаты УЦ.</p>
      <FileDropZone id="trusted-root-file" label="Добавить корневой сертификат" acceptName="PEM или DER (.cer, .crt, .pem)" maxBytes={150_000} disabled={adding.busy} onFiles={([file]) => add(file)} />
      {adding.busy && <InlineProgress caption="Проверка сертификата…" />}
      <ErrorBanner error={adding.error} />
      {roots.error && !roots.data && <LoadFailure error={roots.error} onRetry={roots.reload} />}
      {!roots.data && roots.loading && <LoadingBlock />}
      {roots.data && roots.data.length === 0 && <p className="muted">Доверенных сертификатов нет: проверка подписей не пройдёт.</p>}
      {roots.data && roots.data.length > 0 && (
        <StoredCertificateTable caption="Доверенные корневые сертификаты" certificates={roots.data} removing={undefined} onRemove={setRemoving} />
      )}
      {removing && (
        <ConfirmModal title="Перестать доверять сертификату?" confirmLabel="Удалить" busy={removal.busy} error={removal.error} onConfirm={remove} onClose={() => setRemoving(undefined)}>
          <p>Подписи, цепочка которых ведёт к «{subjectCommonName(removing.subject)}», перестанут проходить проверку.</p>
        </ConfirmModal>
      )}
    </section>
  );
}
