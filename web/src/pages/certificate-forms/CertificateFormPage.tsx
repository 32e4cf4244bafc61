import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Gapped, Select, Toast } from '@skbkontur/react-ui';
import { addFormDocuments, fetchCertificateForm, formCertificatePath, formStatementPath, releaseCertificateForm } from '../../api/certificateForms.ts';
import { apiUrl } from '../../api/client.ts';
import type { CertificateForm } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FileDropZone } from '../../components/FileDropZone.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ATTACHABLE_DOCUMENTS, fieldLabel, SCAN_MAX_BYTES, SCAN_TYPES, type AttachableDocument } from '../../domain/certificateForms.ts';
import { readAsBase64 } from '../../files/readFile.ts';
import { formatDate, formatDateTime } from '../../format/dateTime.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { CertificateFormStateBadge } from './CertificateFormStateBadge.tsx';

/** While the CA works on a form, its state is asked for this often. */
const FOLLOW_MS = 3000;

function requisitesOf(document: CertificateForm['documents'][number]): string {
  const { series, number, issueDate } = document.requisites;
  return [[series, number].filter(Boolean).join(' '), issueDate && `от ${formatDate(issueDate)}`].filter(Boolean).join(' ') || '—';
}

/** What to attach: a scan of a document, for a form that may still change. */
function AddDocument({ form, onChanged }: { form: CertificateForm; onChanged(form: CertificateForm): void }) {
  const [type, setType] = useState<AttachableDocument>('snils');
  const adding = useAction();
  const present = (kind: string) => form.documents.find((d) => d.type === kind);
  const attach = async ([file]: File[]) => {
    const existing = present(type);
    const changed = await adding.run(async () => addFormDocuments(form.id, [{ type, file: { name: file.name, data: await readAsBase64(file) }, ...(existing ? { replaces: existing.documentId } : {}) }]));
    if (changed) {
      Toast.push(existing ? 'Документ заменён' : 'Документ приложен');
      onChanged(changed);
    }
  };
  return (
    <section className="section" aria-labelledby="add-document-title">
      <h2 id="add-document-title" className="section__title">
        Приложить документ
      </h2>
      <div className="form__grid form__grid_narrow">
        <div className="form-field">
          <label className="form-field__label" htmlFor="add-document-type">
            Документ
          </label>
          <Select<AttachableDocument, string>
            id="add-document-type"
            width="100%"
            items={ATTACHABLE_DOCUMENTS.map((d): [AttachableDocument, string] => [d.type, present(d.type) ? `${d.label} (заменить)` : d.label])}
            value={type}
            onValueChange={setType}
          />
        </div>
      </div>
      <FileDropZone id="add-document-file" label="Скан документа" accept={SCAN_TYPES} acceptName="PDF, PNG, JPEG или TIFF" maxBytes={SCAN_MAX_BYTES} disabled={adding.busy} onFiles={attach} />
      <ErrorBanner error={adding.error} />
    </section>
  );
}

/** The signed release statement goes to Реестро: the form leaves for the CA. */
function Release({ form, onChanged }: { form: CertificateForm; onChanged(form: CertificateForm): void }) {
  const releasing = useAction();
  const send = async ([file]: File[]) => {
    const changed = await releasing.run(async () => releaseCertificateForm(form.id, { name: file.name, data: await readAsBase64(file) }));
    if (changed) {
      Toast.push('Заявление отправлено: анкета ушла в УЦ');
      onChanged(changed);
    }
  };
  return (
    <section className="section" aria-labelledby="release-title">
      <h2 id="release-title" className="section__title">
        Заявление на выпуск
      </h2>
      <ol className="steps-list">
        <li>
          <a href={apiUrl(formStatementPath(form.id))} target="_blank" rel="noreferrer">
            Откройте заявление (PDF)
          </a>
          , распечатайте и подпишите его у владельца сертификата.
        </li>
        <li>Приложите скан подписанного заявления: анкета уйдёт в удостоверяющий центр.</li>
      </ol>
      <FileDropZone id="release-statement-file" label="Скан подписанного заявления" accept={SCAN_TYPES} acceptName="PDF, PNG, JPEG или TIFF" maxBytes={SCAN_MAX_BYTES} disabled={releasing.busy} onFiles={send} />
      <ErrorBanner error={releasing.error} />
    </section>
  );
}

/** A certificate form at Kontur Реестро: its state, documents, the CA's findings, the statement and the certificate. */
export function CertificateFormPage() {
  const { id = '' } = useParams();
  const form = useApiData(() => fetchCertificateForm(id), [id]);
  usePageTitle('Анкета Реестро');
  const state = form.data?.state;

  // While the CA decides, the page follows the state by itself.
  useEffect(() => {
    if (state !== 'Releasing') return;
    const timer = setInterval(form.reload, FOLLOW_MS);
    return () => clearInterval(timer);
  }, [state, form.reload]);

  if (form.error && !form.data) return <LoadFailure error={form.error} onRetry={form.reload} />;
  if (!form.data) return <LoadingBlock />;
  const data = form.data;
  const documentNames = data.documents.map((d) => d.typeName);

  return (
    <>
      <PageHeader title={`Анкета Реестро: ${data.ownerName}`} actions={<Link to="/certificate-forms">Все анкеты</Link>}>
        <p className="page-header__subtitle">
          {[data.ownerTypeName, data.organizationName].filter(Boolean).join(', ')} · <CertificateFormStateBadge state={data.state} />
          {data.employeeId && (
            <>
              {' '}
              · <Link to={`/employees/${data.employeeId}`}>карточка сотрудника</Link>
            </>
          )}
        </p>
      </PageHeader>

      {data.state === 'Releasing' && (
        <p className="info-banner" role="status">
          Анкета в удостоверяющем центре. Страница обновится сама, когда УЦ примет решение.
        </p>
      )}
      {data.validationErrors.length > 0 && (
        <section className="section" aria-labelledby="form-errors-title">
          <h2 id="form-errors-title" className="section__title">
            Что исправить
          </h2>
          <ul className="error-list" data-testid="form-validation-errors">
            {data.validationErrors.map((error, i) => (
              <li key={i}>
                <strong>{fieldLabel(error.field, documentNames)}:</strong> {error.message}
              </li>
            ))}
          </ul>
          <p className="muted">
            Исправьте карточку сотрудника или замените документ ниже, затем снова отправьте заявление.
          </p>
        </section>
      )}

      {data.certificate && (
        <section className="section" aria-labelledby="certificate-title">
          <h2 id="certificate-title" className="section__title">
            Сертификат
          </h2>
          <dl className="details">
            <dt>Владелец</dt>
            <dd>{data.certificate.name ?? '—'}</dd>
            <dt>Состояние</dt>
            <dd>{data.certificate.certificateState === 'Valid' ? 'Действует' : data.certificate.certificateState === 'Revoke' ? 'Отозван' : 'Истёк'}</dd>
            <dt>Срок действия</dt>
            <dd>
              с {formatDate(data.certificate.validFrom)} по {formatDate(data.certificate.validTo)}
            </dd>
            <dt>Отпечаток</dt>
            <dd className="mono">{data.certificate.thumbprint ?? '—'}</dd>
            <dt>В карточке сотрудника</dt>
            <dd>{data.certificate.inEmployeeCard ? 'Да' : 'Нет'}</dd>
          </dl>
          <Gapped gap={16} wrap>
            <a href={apiUrl(formCertificatePath(data.id))} download>
              Скачать сертификат (.cer)
            </a>
            <a href={apiUrl(formStatementPath(data.id, 'recallStatement'))} target="_blank" rel="noreferrer">
              Заявление на отзыв (PDF)
            </a>
          </Gapped>
        </section>
      )}
      {data.certificateError && <p className="error-banner">{data.certificateError}</p>}

      <section className="section" aria-labelledby="documents-title">
        <h2 id="documents-title" className="section__title">
          Документы
        </h2>
        <table className="data-table data-table_stacking">
          <caption className="visually-hidden">Документы анкеты</caption>
          <thead>
            <tr>
              <th scope="col">Документ</th>
              <th scope="col">Реквизиты</th>
              <th scope="col">Файл</th>
            </tr>
          </thead>
          <tbody>
            {data.documents.map((document) => (
              <tr key={document.documentId}>
                <th scope="row" data-label="Документ">
                  {document.typeName}
                </th>
                <td data-label="Реквизиты">{requisitesOf(document)}</td>
                <td data-label="Файл">{document.fileName ?? (document.type === 'egrul' ? 'из Реестро' : '—')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {data.editable && <AddDocument form={data} onChanged={form.replace} />}
      {data.state === 'Created' && <Release form={data} onChanged={form.replace} />}
      {data.state === 'ValidationError' && (
        <p className="muted">После исправлений анкета вернётся в состояние «Создана», и заявление можно будет отправить снова.</p>
      )}

      <p className="muted small">
        Создана {formatDateTime(data.createdAt)} ({data.createdBy}){data.releasedAt ? `, отправлена ${formatDateTime(data.releasedAt)}` : ''}. Номер в Реестро: <span className="mono">{data.formId}</span>
      </p>
      {form.error && <ErrorBanner error={form.error} />}
    </>
  );
}
