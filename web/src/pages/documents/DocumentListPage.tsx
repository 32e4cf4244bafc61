import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Paging, Toast } from '@skbkontur/react-ui';
import { searchDocuments } from '../../api/documents.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useSigningCompletion } from '../../hooks/useSigningCompletion.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { useSession } from '../../session/SessionContext.ts';
import { DocumentTable } from './DocumentTable.tsx';
import { DocumentUploadForm } from './DocumentUploadForm.tsx';
import { SigningDialog } from './SigningDialog.tsx';

const DOCUMENTS_PER_PAGE = 20;

/**
 * Documents to sign: upload with progress, and the list with signature counts. Employees see their
 * own. A signer chooses documents and signs them all with one SMS code («Подписать выбранные»).
 */
export function DocumentListPage() {
  usePageTitle('Документы');
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const documents = useApiData(() => searchDocuments({ offset: (page - 1) * DOCUMENTS_PER_PAGE, limit: DOCUMENTS_PER_PAGE }), [page]);
  const pagesCount = documents.data ? Math.max(1, Math.ceil(documents.data.total / DOCUMENTS_PER_PAGE)) : 1;
  const canSign = Boolean(user.employeeId);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [signing, setSigning] = useState(false);
  const [pendingOperation, setPendingOperation] = useSigningCompletion((status) => {
    if (status) Toast.push(status.state === 'complete' ? status.message : 'Подписи не сформированы');
    documents.reload();
  });
  const chosen = documents.data?.items.filter((document) => selected.has(document.id)) ?? [];
  const select = (ids: string[], checked: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (checked) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  return (
    <>
      <PageHeader title="Документы">
        <p className="page-header__subtitle">
          {user.role === 'employee' ? 'Ваши документы: загрузите файл и подпишите его облачным сертификатом.' : 'Документы для подписания облачным сертификатом.'}
        </p>
      </PageHeader>
      <DocumentUploadForm canChooseOwner={user.role !== 'employee'} />
      <section className="section" aria-labelledby="documents-title">
        <h2 id="documents-title" className="section__title">
          Загруженные документы
        </h2>
        {documents.error && <LoadFailure error={documents.error} onRetry={documents.reload} />}
        {!documents.data && documents.loading && <LoadingBlock />}
        {documents.data && documents.data.total === 0 && <p className="muted">Документов пока нет.</p>}
        {canSign && documents.data && documents.data.items.length > 0 && (
          <div className="selection-bar">
            <Button use="primary" disabled={chosen.length === 0} onClick={() => setSigning(true)}>
              {chosen.length > 0 ? `Подписать выбранные (${chosen.length})` : 'Подписать выбранные'}
            </Button>
            <span className="muted">{chosen.length > 0 ? 'Один код из СМС на все выбранные документы' : 'Отметьте документы в списке, чтобы подписать их одним кодом из СМС'}</span>
          </div>
        )}
        {pendingOperation && (
          <p className="info-banner" role="status">
            Подписи формируются в УЦ Контур. Список обновится сам, когда они будут готовы.
          </p>
        )}
        {documents.data && documents.data.items.length > 0 && <DocumentTable documents={documents.data.items} selection={canSign ? { selected, onChange: select } : undefined} />}
        {pagesCount > 1 && (
          <nav className="paging" aria-label="Страницы списка">
            <Paging
              activePage={page}
              pagesCount={pagesCount}
              onPageChange={(next) => {
                setSelected(new Set());
                setParams(next > 1 ? { page: String(next) } : {});
              }}
            />
          </nav>
        )}
      </section>
      {signing && chosen.length > 0 && (
        <SigningDialog
          documents={chosen}
          onClose={(outcome) => {
            setSigning(false);
            if (outcome.pendingOperationId) setPendingOperation(outcome.pendingOperationId);
            if (outcome.signed || outcome.pendingOperationId) setSelected(new Set());
            if (outcome.signed) documents.reload();
          }}
        />
      )}
    </>
  );
}
