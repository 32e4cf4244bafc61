import { useState } from 'react';
import { Button } from '@skbkontur/react-ui';
import { apiUrl } from '../../api/client.ts';
import { signatureContentPath, stampedCopyPath, verifySignature } from '../../api/documents.ts';
import type { DocumentSignature, SignatureCheck } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { subjectCommonName } from '../../domain/certificateNames.ts';
import { formatDate, formatDateTime } from '../../format/dateTime.ts';
import { useAction } from '../../hooks/useAction.ts';

/**
 * One signature: who signed, with which certificate, when, and whether it verifies (again on
 * request); for a PDF, its printable copy with the signature stamp.
 */
export function SignatureCard({ documentId, signature, stampable }: { documentId: string; signature: DocumentSignature; stampable: boolean }) {
  const [check, setCheck] = useState<SignatureCheck>();
  const verifying = useAction();
  const verify = async () => {
    const result = await verifying.run(() => verifySignature(documentId, signature.id));
    if (result) setCheck(result);
  };
  const valid = check ? check.valid : true;
  return (
    <article className="signature" aria-label={`Подпись: ${subjectCommonName(signature.certificateSubject)}`}>
      <header className="signature__header">
        <strong>{subjectCommonName(signature.certificateSubject)}</strong>
        <span className={valid ? 'badge badge_success' : 'badge badge_error'} data-testid="signature-result">
          {valid ? 'Подпись действительна' : 'Подпись недействительна'}
        </span>
      </header>
      <dl className="details details_compact">
        <div className="details__row">
          <dt>Время подписания</dt>
          <dd>{formatDateTime(signature.signingTime ?? signature.createdAt)}</dd>
        </div>
        <div className="details__row">
          <dt>Серийный номер сертификата</dt>
          <dd className="mono break">{signature.certificateSerialNumber}</dd>
        </div>
        <div className="details__row">
          <dt>Отпечаток сертификата</dt>
          <dd className="mono break">{signature.certificateThumbprint}</dd>
        </div>
        {check?.signer && (
          <>
            <div className="details__row">
              <dt>Издатель</dt>
              <dd>{subjectCommonName(check.signer.issuer)}</dd>
            </div>
            <div className="details__row">
              <dt>Сертификат действует</dt>
              <dd>
                {formatDate(check.signer.validFrom)} — {formatDate(check.signer.validTo)}
              </dd>
            </div>
          </>
        )}
        <div className="details__row">
          <dt>Проверена</dt>
          <dd>
            {formatDateTime(check?.verifiedAt ?? signature.verifiedAt)}
            {check && <div className={check.valid ? 'success-text' : 'error-text'} role="status">{check.message}</div>}
          </dd>
        </div>
      </dl>
      <ErrorBanner error={verifying.error} />
      <div className="signature__actions">
        <Button size="small" loading={verifying.busy} onClick={verify}>
          Проверить ещё раз
        </Button>
        <a className="button-link button-link_small" href={apiUrl(signatureContentPath(documentId, signature.id))} download>
          Скачать подпись (.sig)
        </a>
        {stampable && (
          <a className="button-link button-link_small" href={apiUrl(stampedCopyPath(documentId, signature.id))} download>
            Скачать с отметкой о подписи
          </a>
        )}
      </div>
    </article>
  );
}
