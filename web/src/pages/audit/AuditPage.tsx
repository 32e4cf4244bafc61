import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Gapped } from '@skbkontur/react-ui';
import { auditExportUrl, fetchAuditEntries } from '../../api/audit.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { apiFilterOf, filterFormFromUrl, filterFormToUrl } from './auditQuery.ts';

const ENTRIES_PER_PAGE = 50;

/** The audit log, newest first. Pages go by cursor: each page remembers where the previous one began. */
export function AuditPage() {
  usePageTitle('Журнал');
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => filterFormFromUrl(params), [params]);
  const filter = useMemo(() => apiFilterOf(applied), [applied]);
  /** Cursors of the pages before this one; the last is this page's. */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const entries = useApiData(() => fetchAuditEntries(filter, before, ENTRIES_PER_PAGE), [filter, before]);

  const apply = (form: typeof applied) => {
    setCursors([undefined]);
    setParams(filterFormToUrl(form));
  };

  return (
    <>
      <PageHeader
        title="Журнал"
        actions={
          <Button title="Все записи с выбранными условиями (до 100 000) в файл CSV для Excel" onClick={() => window.location.assign(auditExportUrl(filter))}>
            Выгрузить в CSV
          </Button>
        }
      >
        <p className="page-header__subtitle">
          Кто и что делал в системе: входы, операции с заявками и подписью в УЦ Контур, изменения сотрудников, настроек и пользователей, действия в песочнице.
        </p>
      </PageHeader>
      <AuditFilters applied={applied} onApply={apply} />
      {entries.error && <LoadFailure error={entries.error} onRetry={entries.reload} />}
      {!entries.data && entries.loading && <LoadingBlock />}
      {entries.data && (
        <div aria-busy={entries.loading}>
          {entries.data.entries.length === 0 ? <p className="muted">Записей с такими условиями нет.</p> : <AuditTable entries={entries.data.entries} />}
          <nav className="paging" aria-label="Страницы журнала">
            <Gapped gap={8} wrap>
              <Button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                ← Более новые
              </Button>
              <span className="muted">Страница {cursors.length}</span>
              <Button disabled={entries.data.nextBefore === null} onClick={() => setCursors([...cursors, entries.data!.nextBefore ?? undefined])}>
                Более ранние →
              </Button>
            </Gapped>
          </nav>
        </div>
      )}
    </>
  );
}
