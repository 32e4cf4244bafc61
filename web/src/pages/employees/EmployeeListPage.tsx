import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Gapped, Input, Paging } from '@skbkontur/react-ui';
import { searchEmployees } from '../../api/employees.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { EmployeeTable } from './EmployeeTable.tsx';

export const EMPLOYEES_PER_PAGE = 20;

/** The directory: search by name, phone, INN or SNILS, page by page. The query lives in the URL. */
export function EmployeeListPage() {
  usePageTitle('Сотрудники');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [draft, setDraft] = useState(query);
  useEffect(() => setDraft(query), [query]);

  const result = useApiData(
    () => searchEmployees({ query: query || undefined, offset: (page - 1) * EMPLOYEES_PER_PAGE, limit: EMPLOYEES_PER_PAGE }),
    [query, page],
  );
  const pagesCount = result.data ? Math.max(1, Math.ceil(result.data.total / EMPLOYEES_PER_PAGE)) : 1;

  const show = (nextQuery: string, nextPage: number) => {
    const next = new URLSearchParams();
    if (nextQuery) next.set('q', nextQuery);
    if (nextPage > 1) next.set('page', String(nextPage));
    setParams(next);
  };
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    show(draft.trim(), 1);
  };

  return (
    <>
      <PageHeader
        title="Сотрудники"
        actions={
          <Gapped gap={8} wrap>
            <Button use="primary" onClick={() => navigate('/employees/new')}>
              Добавить сотрудника
            </Button>
            <Button onClick={() => navigate('/employees/import')}>Импорт из CSV</Button>
          </Gapped>
        }
      />
      <form className="search-bar" role="search" onSubmit={onSearch}>
        <label className="visually-hidden" htmlFor="employee-search">
          Поиск сотрудников
        </label>
        <Input
          id="employee-search"
          type="search"
          width="100%"
          placeholder="ФИО, телефон, ИНН, СНИЛС, почта или должность"
          value={draft}
          onValueChange={setDraft}
        />
        <Button type="submit">Найти</Button>
        {query && (
          <Button use="text" onClick={() => show('', 1)}>
            Сбросить
          </Button>
        )}
      </form>
      {result.error && <LoadFailure error={result.error} onRetry={result.reload} />}
      {!result.data && result.loading && <LoadingBlock />}
      {result.data && (
        <div aria-busy={result.loading}>
          <p className="list-summary" aria-live="polite">
            {result.data.total === 0
              ? query
                ? `По запросу «${query}» никого не нашлось.`
                : 'В справочнике пока нет сотрудников.'
              : `Найдено: ${result.data.total}`}
            {result.data.total === 0 && !query && (
              <>
                {' '}
                <Link to="/employees/new">Добавьте первого</Link> или <Link to="/employees/import">загрузите список из CSV</Link>.
              </>
            )}
          </p>
          {result.data.items.length > 0 && <EmployeeTable employees={result.data.items} />}
          {pagesCount > 1 && (
            <nav className="paging" aria-label="Страницы списка">
              <Paging activePage={page} pagesCount={pagesCount} onPageChange={(next) => show(query, next)} />
            </nav>
          )}
        </div>
      )}
    </>
  );
}
