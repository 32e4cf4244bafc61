import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button, Gapped, Toast } from '@skbkontur/react-ui';
import { apiUrl } from '../../api/client.ts';
import { deleteDocument, documentContentPath, fetchDocument } from '../../api/documents.ts';
import { fetchSigningStatus } from '../../api/signing.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDateTime } from '../../format/dateTime.ts';
import { formatFileSize } from '../../format/fileSize.ts';
import { fileTypeName } from '../../format/fileType.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { useSession } from '../../session/SessionContext.ts';
import { SignatureList } from './SignatureList.tsx';
import { SigningDialog } from './SigningDialog.tsx';

/** A document: its details, download, «Подписать», and its signatures with their verification. */
export function DocumentPage() {
  const { id = '' } = useParams();
  const { user } = useSession();
  const navigate = useNavigate();
  const document = useApiData(() => fetchDocument(id), [id]);
  const [signing, setSigning] = useState(false);
  const [deleting, setDeleting] = useState(false);
  /** A signature the user confirmed and then closed the dialog on: the server finishes it. */
  const [pendingOperation, setPendingOperation] = useState<string>();
  const removal = useAction();
  usePageTitle(document.data?.fileName ?? 'Документ');

  useEffect(() => {
    if (!pendingOperation) return;
    let stopped = false;
    (async () => {
      while (!stopped) {
        try {
          const status = await fetchSigningStatus(pendingOperation, 20);
          if (status.state === 'waitingUser') {
            // The code was refused: nothing is being formed.
            if (!stopped) setPendingOperation(undefined);
            return;
          }
          if (status.state === 'complete' || status.state === 'error') {
            if (stopped) return;
            setPendingOperation(undefined);
            Toast.push(status.state === 'complete' ? 'Электронная подпись сформирована успешно' : 'Подпись не сформирована');
            document.reload();
            return;
          }
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 3000));
        }
      }
    })();
    return () => {
      stopped = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pendingOperation]);

  if (document.error && !document.data) return <LoadFailure error={document.error} onRetry={document.reload} />;
  if (!document.data) return <LoadingBlock />;
  const current = document.data;
  const canSign = Boolean(user.employeeId);

  const remove = async () => {
    if (await removal.run(async () => (await deleteDocument(current.id), true))) {
      Toast.push('Документ удалён');
      navigate('/documents');
    }
  };

  return (
    <>
      <PageHeader
        title={current.fileName}
        actions={
          <Gapped gap={8} wrap>
            {canSign && (
              <Button use="primary" onClick={() => setSigning(true)}>
                Подписать
              </Button>
            )}
            <a className="button-link" href={apiUrl(documentContentPath(current.id))} download={current.fileName}>
              Скачать документ
            </a>
            {current.signatures.length === 0 && (
              <Button use="text" onClick={() => setDeleting(true)}>
                Удалить
              </Button>
            )}
          </Gapped>
        }
      />
      <dl className="details">
        <div className="details__row">
          <dt>Размер</dt>
          <dd>{formatFileSize(current.size)}</dd>
        </div>
        <div className="details__row">
          <dt>Тип</dt>
          <dd>{fileTypeName(current.contentType, current.fileName)}</dd>
        </div>
        <div className="details__row">
          <dt>Загружен</dt>
          <dd>
            {formatDateTime(current.createdAt)}
            {current.uploadedByName && <span className="muted">, {current.uploadedByName}</span>}
          </dd>
        </div>
        <div className="details__row">
          <dt>Сотрудник</dt>
          <dd>{current.ownerEmployeeId ? <Link to={`/employees/${current.ownerEmployeeId}`}>{current.ownerName ?? 'Карточка сотрудника'}</Link> : <span className="muted">Не указан</span>}</dd>
        </div>
        <div className="details__row">
          <dt>Хэш ГОСТ Р 34.11-2012</dt>
          <dd className="mono break">{current.streebog256}</dd>
        </div>
      </dl>
      {pendingOperation && (
        <p className="info-banner" role="status">
          Подпись формируется в УЦ Контур. Она появится здесь сама, когда будет готова.
        </p>
      )}
      <SignatureList document={current} />
      {signing && (
        <SigningDialog
          documents={[current]}
          onClose={(outcome) => {
            setSigning(false);
            if (outcome.pendingOperationId) setPendingOperation(outcome.pendingOperationId);
            if (outcome.signed) document.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmModal title="Удалить документ?" confirmLabel="Удалить" busy={removal.busy} error={removal.error} onConfirm={remove} onClose={() => setDeleting(false)}>
          <p>Файл «{current.fileName}» будет удалён.</p>
        </ConfirmModal>
      )}
    </>
  );
}
