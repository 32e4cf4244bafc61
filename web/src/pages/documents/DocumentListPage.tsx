import { useSearchParams } from 'react-router';
import { Paging } from '@skbkontur/react-ui';
import { searchDocuments } from '../../api/documents.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { useSession } from '../../session/SessionContext.ts';
import { DocumentTable } from './DocumentTable.tsx';
import { DocumentUploadForm } from './DocumentUploadForm.tsx';

const DOCUMENTS_PER_PAGE = 20;

/** Documents to sign: upload with progress, and the list with signature counts. Employees see their own. */
export function DocumentListPage() {
  usePageTitle('Документы');
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const documents = useApiData(() => searchDocuments({ offset: (page - 1) * DOCUMENTS_PER_PAGE, limit: DOCUMENTS_PER_PAGE }), [page]);
  const pagesCount = documents.data ? Math.max(1, Math.ceil(documents.data.total / DOCUMENTS_PER_PAGE)) : 1;

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
        {documents.data && documents.data.items.length > 0 && <DocumentTable documents={documents.data.items} />}
        {pagesCount > 1 && (
          <nav className="paging" aria-label="Страницы списка">
            <Paging activePage={page} pagesCount={pagesCount} onPageChange={(next) => setParams(next > 1 ? { page: String(next) } : {})} />
          </nav>
        )}
      </section>
    </>
  );
}
