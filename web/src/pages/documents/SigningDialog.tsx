import { useEffect, useRef, useState, type FormEvent } from 'react';
import { modalWidth } from '../../components/modalWidth.ts';
import { Button, Gapped, Input, Loader, Modal, Radio, RadioGroup } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import { apiUrl } from '../../api/client.ts';
import { stampedCopyPath } from '../../api/documents.ts';
import { confirmSigning, fetchSigningStatus, findCloudCertificates, startSigning } from '../../api/signing.ts';
import type { CloudCertificate, SignedDocumentStatus, SignStatus, StoredDocument } from '../../api/types.ts';
import { isPdfDocument } from '../../domain/documentTypes.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { subjectCommonName } from '../../domain/certificateNames.ts';
import { formatDate } from '../../format/dateTime.ts';
import { useAction } from '../../hooks/useAction.ts';
import { DocumentPreview } from './DocumentPreview.tsx';

type Stage =
  | { name: 'search' }
  | { name: 'choose'; certificates: CloudCertificate[] }
  | { name: 'code'; operationId: string; phoneLastNumbers: string | null; certificate: CloudCertificate }
  | { name: 'progress'; operationId: string; certificate: CloudCertificate }
  | { name: 'done'; certificate: CloudCertificate; files: SignedDocumentStatus[]; message: string }
  | { name: 'failed'; message: string; files: SignedDocumentStatus[] };

export interface SigningOutcome {
  signed: boolean;
  /** Confirmed but not finished when the dialog closed: the server completes it. */
  pendingOperationId?: string;
}

export interface SigningDialogProps {
  /** One document, or several signed in one operation with one SMS code. */
  documents: StoredDocument[];
  onClose(outcome: SigningOutcome): void;
}

/**
 * The user guide's signing dialog: what is being signed (a PDF's first pages, or a file's name,
 * size and hash), search the cloud for the user's certificate, choose it, «Подписать», enter the
 * SMS code (one for all the documents), wait, then each document's outcome, with the stamped
 * copy of each signed PDF.
 */
export function SigningDialog({ documents, onClose }: SigningDialogProps) {
  const [stage, setStage] = useState<Stage>({ name: 'search' });
  const [previewed, setPreviewed] = useState(0);
  const several = documents.length > 1;
  const [chosen, setChosen] = useState<string>();
  const [code, setCode] = useState('');
  const searching = useAction();
  const starting = useAction();
  const confirming = useAction();
  const closed = useRef(false);

  const search = async () => {
    const certificates = await searching.run(findCloudCertificates);
    if (!certificates) return;
    setChosen(certificates[0]?.thumbprint);
    setStage({ name: 'choose', certificates });
  };

  const sign = async () => {
    if (stage.name !== 'choose') return;
    const certificate = stage.certificates.find((candidate) => candidate.thumbprint === chosen);
    if (!certificate) return;
    const started = await starting.run(() => startSigning(documents.map((document) => document.id), certificate.thumbprint));
    if (!started) return;
    setCode('');
    setStage({ name: 'code', operationId: started.operationId, phoneLastNumbers: started.phoneLastNumbers, certificate });
  };

  const finish = (status: SignStatus, certificate: CloudCertificate) => {
    if (status.state === 'complete') setStage({ name: 'done', certificate, files: status.fileStatuses, message: status.message });
    else if (status.state === 'error') setStage({ name: 'failed', message: status.message || 'Подпись не сформирована', files: status.fileStatuses });
    else setStage({ name: 'progress', operationId: status.operationId, certificate });
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (stage.name !== 'code' || !code.trim()) return;
    const { operationId, certificate } = stage;
    const status = await confirming.run(() => confirmSigning(operationId, code.trim()));
    if (status) return finish(status, certificate);
    // Refused: a wrong code leaves the operation waiting; too many wrong codes or an expired one end it.
    try {
      const now = await fetchSigningStatus(operationId);
      if (now.state === 'error') setStage({ name: 'failed', message: now.message, files: now.fileStatuses });
    } catch {
      // The refusal shown in the dialog says enough.
    }
  };

  // While the signature is being formed, ask the server, which holds each answer until it changes.
  useEffect(() => {
    if (stage.name !== 'progress') return;
    let stopped = false;
    const { operationId, certificate } = stage;
    (async () => {
      while (!stopped) {
        try {
          const status = await fetchSigningStatus(operationId, 10);
          if (stopped || closed.current) return;
          if (status.state === 'complete' || status.state === 'error') return finish(status, certificate);
        } catch (error) {
          if (stopped) return;
          if (error instanceof ApiError && error.status !== 0) return setStage({ name: 'failed', message: error.message, files: [] });
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [stage]);

  const close = () => {
    closed.current = true;
    // Closed while the code is on its way or the signature is being formed: the server finishes it.
    if (stage.name === 'progress' || (stage.name === 'code' && confirming.busy)) onClose({ signed: false, pendingOperationId: stage.operationId });
    else onClose({ signed: stage.name === 'done' });
  };

  const codeError = confirming.error?.forField('code') ?? (confirming.error?.status === 400 ? confirming.error.message : undefined);
  return (
    <Modal onClose={close} width={modalWidth(600)} aria-labelledby="signing-title">
      <Modal.Header>
        <span id="signing-title">{several ? `Подписание документов (${documents.length})` : 'Подписание документа'}</span>
      </Modal.Header>
      <Modal.Body>
        {(stage.name === 'search' || stage.name === 'choose' || stage.name === 'code') && (
          <div className="signing-preview">
            {several && (
              <>
                <p>Документы подписываются за одну операцию: код из СМС придёт один на все.</p>
                <ol className="signing-documents" aria-label="Подписываемые документы">
                  {documents.map((document, index) => (
                    <li key={document.id}>
                      <button type="button" className="link-button break" aria-pressed={index === previewed} onClick={() => setPreviewed(index)}>
                        {document.fileName}
                      </button>
                    </li>
                  ))}
                </ol>
              </>
            )}
            <DocumentPreview key={documents[previewed].id} document={documents[previewed]} />
          </div>
        )}
        {stage.name === 'search' && (
          <div>
            <p>Выполнить поиск сертификата в облаке УЦ Контур?</p>
            <ErrorBanner error={searching.error} />
          </div>
        )}
        {stage.name === 'choose' && (
          <div>
            {stage.certificates.length === 0 ? (
              <p className="warning-banner" role="alert">
                В облаке нет ваших действующих сертификатов. Выпустите облачный сертификат через заявку в УЦ Контур.
              </p>
            ) : (
              <fieldset className="certificate-choice">
                <legend>Выберите облачный сертификат</legend>
                <RadioGroup<string> name="cloud-certificate" value={chosen} onValueChange={setChosen}>
                  <Gapped vertical gap={12}>
                    {stage.certificates.map((certificate) => (
                      <Radio key={certificate.thumbprint} value={certificate.thumbprint}>
                        <span className="certificate-choice__name">{subjectCommonName(certificate.subject)}</span>
                        <span className="certificate-choice__meta">
                          Издатель: {subjectCommonName(certificate.issuer)}; действует до {formatDate(certificate.validTo)}
                        </span>
                      </Radio>
                    ))}
                  </Gapped>
                </RadioGroup>
              </fieldset>
            )}
            <ErrorBanner error={starting.error} />
          </div>
        )}
        {stage.name === 'code' && (
          <form id="signing-code-form" onSubmit={confirm} noValidate>
            <p>
              Код подтверждения отправлен в СМС на номер, оканчивающийся на <strong>{stage.phoneLastNumbers ?? '····'}</strong>.
            </p>
            <FormField id="signing-code" label="Код из СМС" error={codeError}>
              <Input
                id="signing-code"
                width={180}
                autoFocus
                inputMode="numeric"
                autoComplete="one-time-code"
                value={code}
                onValueChange={setCode}
                error={Boolean(codeError)}
                aria-invalid={Boolean(codeError)}
                aria-describedby={describedBy('signing-code', codeError, undefined)}
              />
            </FormField>
            {confirming.error && !codeError && <ErrorBanner error={confirming.error} />}
          </form>
        )}
        {stage.name === 'progress' && (
          <div className="signing-progress" role="status">
            <Loader active caption="Обращение к УЦ Контур: формируется подпись…" />
            <p className="muted">Окно можно закрыть: подпись будет сформирована и прикреплена к документу.</p>
          </div>
        )}
        {stage.name === 'done' && (
          <div className="signing-done" role="status">
            <p className="signing-done__title">{stage.files.every((file) => file.state === 'signed') ? (several ? 'Электронные подписи сформированы успешно' : 'Электронная подпись сформирована успешно') : stage.message}</p>
            <p>
              Подписант: <strong>{subjectCommonName(stage.certificate.subject)}</strong>
            </p>
          </div>
        )}
        {stage.name === 'failed' && (
          <div className="error-banner" role="alert">
            <strong>{several ? 'Подписи не сформированы' : 'Подпись не сформирована'}</strong>
            <p>{stage.message}</p>
          </div>
        )}
        {(stage.name === 'done' || (stage.name === 'failed' && several)) && stage.files.length > 0 && <SigningResults files={stage.files} documents={documents} />}
      </Modal.Body>
      <Modal.Footer panel>
        <Gapped gap={8} wrap>
          {stage.name === 'search' && (
            <Button use="primary" loading={searching.busy} onClick={search}>
              Найти сертификат в облаке
            </Button>
          )}
          {stage.name === 'choose' && stage.certificates.length > 0 && (
            <Button use="primary" loading={starting.busy} disabled={!chosen} onClick={sign}>
              Подписать
            </Button>
          )}
          {stage.name === 'code' && (
            <Button use="primary" type="submit" form="signing-code-form" loading={confirming.busy} disabled={!code.trim()}>
              OK
            </Button>
          )}
          {stage.name === 'done' && !several && stage.files[0]?.signatureId && isPdfDocument(documents[0]) && (
            <a className="button-link" href={apiUrl(stampedCopyPath(documents[0].id, stage.files[0].signatureId))} download>
              Скачать с отметкой о подписи
            </a>
          )}
          {stage.name === 'failed' && (
            <Button use="primary" onClick={() => setStage({ name: 'search' })}>
              Начать заново
            </Button>
          )}
          <Button onClick={close}>{stage.name === 'done' || stage.name === 'progress' ? 'Закрыть' : 'Отмена'}</Button>
        </Gapped>
      </Modal.Footer>
    </Modal>
  );
}

/** Each document's outcome: signed (with its stamped copy when it is a PDF) or why not. */
function SigningResults({ files, documents }: { files: SignedDocumentStatus[]; documents: StoredDocument[] }) {
  const byId = new Map(documents.map((document) => [document.id, document]));
  return (
    <ul className="signing-results" aria-label="Результат по документам">
      {files.map((file) => {
        const document = byId.get(file.documentId);
        return (
          <li key={file.documentId} className="signing-results__item" data-testid="signing-result">
            <span className="break">{file.fileName}</span>
            {file.state === 'signed' ? (
              <span className="badge badge_success">Подписан</span>
            ) : file.state === 'error' ? (
              <span className="badge badge_error">Не подписан</span>
            ) : (
              <span className="badge badge_neutral">Подписывается</span>
            )}
            {file.error && <span className="error-text signing-results__reason">{file.error}</span>}
            {file.state === 'signed' && file.signatureId && documents.length > 1 && document && isPdfDocument(document) && (
              <a className="signing-results__stamp" href={apiUrl(stampedCopyPath(file.documentId, file.signatureId))} download>
                Скачать с отметкой о подписи
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
