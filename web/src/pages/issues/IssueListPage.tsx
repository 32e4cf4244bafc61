import { useRef } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Paging, Select } from '@skbkontur/react-ui';
import { searchIssues } from '../../api/issues.ts';
import type { IssueStatus } from '../../api/types.ts';
import { FormField } from '../../components/FormField.tsx';
import { EmployeePicker } from '../../components/EmployeePicker.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ISSUE_STATUS_NAMES, ISSUE_STATUS_ORDER } from '../../domain/issueStatus.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useIssueEvents } from '../../hooks/useIssueEvents.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { IssueTable } from './IssueTable.tsx';

const ISSUES_PER_PAGE = 20;
type StatusFilter = IssueStatus | 'all';
const STATUS_ITEMS: [StatusFilter, string][] = [['all', 'Все статусы'], ...ISSUE_STATUS_ORDER.map((status): [StatusFilter, string] => [status, ISSUE_STATUS_NAMES[status]])];

/** Certificate issues with status and employee filters (in the URL); statuses change live. */
export function IssueListPage() {
  usePageTitle('Заявки на сертификат');
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as IssueStatus | null) ?? undefined;
  const employeeId = params.get('employee') ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const issues = useApiData(() => searchIssues({ status, employeeId, offset: (page - 1) * ISSUES_PER_PAGE, limit: ISSUES_PER_PAGE }), [status, employeeId, page]);
  const pagesCount = issues.data ? Math.max(1, Math.ceil(issues.data.total / ISSUES_PER_PAGE)) : 1;

  // Several events arrive together (a status change and its re-check): one reload for them.
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  useIssueEvents(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(issues.reload, 250);
  });

  const show = (change: { status?: string; employee?: string | null; page?: number }) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined || value === null || value === 'all' || (name === 'page' && value === 1)) next.delete(name);
      else next.set(name, String(value));
    }
    if (change.page === undefined) next.delete('page');
    setParams(next);
  };

  return (
    <>
      <PageHeader title="Заявки на сертификат">
        <p className="page-header__subtitle">Новая заявка создаётся из карточки сотрудника: «Выпустить сертификат».</p>
      </PageHeader>
      <div className="filters" role="search" aria-label="Фильтры заявок">
        <div className="form-field">
          <label className="form-field__label" htmlFor="issue-status-filter">
            Статус
          </label>
          <Select<StatusFilter, string> id="issue-status-filter" width="100%" items={STATUS_ITEMS} value={status ?? 'all'} onValueChange={(value) => show({ status: value })} />
        </div>
        <div className="filters__wide">
          <FormField id="issue-employee-filter" label="Сотрудник">
            <EmployeePicker id="issue-employee-filter" value={employeeId ?? null} onChange={(value) => show({ employee: value })} />
          </FormField>
        </div>
        {(status || employeeId) && (
          <div className="filters__actions">
            <Button use="text" onClick={() => setParams(new URLSearchParams())}>
              Сбросить
            </Button>
          </div>
        )}
      </div>
      {issues.error && <LoadFailure error={issues.error} onRetry={issues.reload} />}
      {!issues.data && issues.loading && <LoadingBlock />}
      {issues.data && (
        <div aria-busy={issues.loading}>
          <p className="list-summary" aria-live="polite">
            {issues.data.total === 0
              ? status || employeeId
                ? 'Заявок с такими условиями нет.'
                : 'Заявок пока нет. Откройте карточку сотрудника и нажмите «Выпустить сертификат».'
              : `Заявок: ${issues.data.total}`}
          </p>
          {issues.data.items.length > 0 && <IssueTable issues={issues.data.items} />}
          {pagesCount > 1 && (
            <nav className="paging" aria-label="Страницы списка">
              <Paging activePage={page} pagesCount={pagesCount} onPageChange={(next) => show({ page: next })} />
            </nav>
          )}
        </div>
      )}
    </>
  );
}
