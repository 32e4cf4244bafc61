import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Input, Select } from '@skbkontur/react-ui';
import {
  fetchCertificateSummary,
  listCertificates,
  renewCertificate,
  type CertificateSource,
  type CertificateState,
  type InventoryCertificate,
} from '../../api/certificates.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { CERTIFICATE_SOURCE_NAMES, CERTIFICATE_STATE_NAMES, CERTIFICATE_STATE_TONES, RENEWAL_STATE_NAMES } from '../../domain/certificateStates.ts';
import { subjectCommonName } from '../../domain/certificateNames.ts';
import { formatDate } from '../../format/dateTime.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { ExpiryChart } from './ExpiryChart.tsx';

const PAGE = 50;
type StateFilter = CertificateState | 'all';
type SourceFilter = CertificateSource | 'all';
const STATE_ITEMS: [StateFilter, string][] = [['all', 'Все состояния'], ...(Object.entries(CERTIFICATE_STATE_NAMES) as [CertificateState, string][])];
const SOURCE_ITEMS: [SourceFilter, string][] = [['all', 'Все источники'], ...(Object.entries(CERTIFICATE_SOURCE_NAMES) as [CertificateSource, string][])];

/** Every certificate the module knows, soonest to expire first, with a chart of expiries per month. */
export function CertificateListPage() {
  usePageTitle('Сертификаты');
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') as CertificateState | null) ?? undefined;
  const source = (params.get('source') as CertificateSource | null) ?? undefined;
  const query = params.get('q') ?? '';
  const [typed, setTyped] = useState(query);
  const summary = useApiData(fetchCertificateSummary, []);
  const first = useApiData(() => listCertificates({ state, source, query: query || undefined, limit: PAGE }), [state, source, query]);
  const [more, setMore] = useState<{ items: InventoryCertificate[]; nextCursor: string | null }>();
  const loadMore = useAction();
  const renewal = useAction();
  useEffect(() => setMore(undefined), [first.data]);
  useEffect(() => setTyped(query), [query]);

  const show = (change: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(change)) {
      if (!value || value === 'all') next.delete(name);
      else next.set(name, value);
    }
    setParams(next);
  };
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : first.data?.nextCursor;
  const renew = async (id: string) => {
    const done = await renewal.run(() => renewCertificate(id));
    if (done) {
      first.reload();
      summary.reload();
    }
  };

  return (
    <>
      <PageHeader title="Сертификаты">
        <p className="page-header__subtitle">Все сертификаты в карточках сотрудников: выпущенные через УЦ Контур и Реестро и загруженные.</p>
      </PageHeader>
      {summary.error && <LoadFailure error={summary.error} onRetry={summary.reload} />}
      {summary.data && (
        <section className="section" aria-label="Сводка">
          <ul className="certificate-summary">
            {(Object.keys(CERTIFICATE_STATE_NAMES) as CertificateState[]).map((name) => (
              <li key={name}>
                <button type="button" className={`certificate-summary__item${state === name ? ' certificate-summary__item_active' : ''}`} onClick={() => show({ state: state === name ? undefined : name })}>
                  <span className={`badge badge_${CERTIFICATE_STATE_TONES[name]}`}>{CERTIFICATE_STATE_NAMES[name]}</span>
                  <strong data-state-count={name}>{summary.data!.byState[name]}</strong>
                </button>
              </li>
            ))}
          </ul>
          <p className="muted">
            {summary.data.daysToNearestExpiry === null
              ? 'Действующих сертификатов нет.'
              : `Ближайшее окончание срока действия — через ${Math.floor(summary.data.daysToNearestExpiry)} дн.`}
          </p>
          <ExpiryChart months={summary.data.expiriesByMonth} />
        </section>
      )}
      <div className="filters" role="search" aria-label="Фильтры сертификатов">
        <div className="form-field">
          <label className="form-field__label" htmlFor="certificate-state-filter">
            Состояние
          </label>
          <Select<StateFilter, string> id="certificate-state-filter" width="100%" items={STATE_ITEMS} value={state ?? 'all'} onValueChange={(value) => show({ state: value })} />
        </div>
        <div className="form-field">
          <label className="form-field__label" htmlFor="certificate-source-filter">
            Источник
          </label>
          <Select<SourceFilter, string> id="certificate-source-filter" width="100%" items={SOURCE_ITEMS} value={source ?? 'all'} onValueChange={(value) => show({ source: value })} />
        </div>
        <form
          className="form-field filters__wide"
          onSubmit={(event) => {
            event.preventDefault();
            show({ q: typed.trim() || undefined });
          }}
        >
          <label className="form-field__label" htmlFor="certificate-query">
            Владелец, отпечаток или серийный номер
          </label>
          <Input id="certificate-query" width="100%" value={typed} onValueChange={setTyped} onBlur={() => show({ q: typed.trim() || undefined })} />
        </form>
        {(state || source || query) && (
          <div className="filters__actions">
            <Button use="text" onClick={() => setParams(new URLSearchParams())}>
              Сбросить
            </Button>
          </div>
        )}
      </div>
      <ErrorBanner error={renewal.error ?? loadMore.error} />
      {first.error && <LoadFailure error={first.error} onRetry={first.reload} />}
      {!first.data && first.loading && <LoadingBlock />}
      {first.data && (
        <div aria-busy={first.loading}>
          {items.length === 0 ? (
            <p className="list-summary">{state || source || query ? 'Сертификатов с такими условиями нет.' : 'Сертификатов пока нет.'}</p>
          ) : (
            <table className="data-table data-table_stacking">
              <caption className="visually-hidden">Сертификаты</caption>
              <thead>
                <tr>
                  <th scope="col">Владелец</th>
                  <th scope="col">Состояние</th>
                  <th scope="col">Действует</th>
                  <th scope="col">Серийный номер и отпечаток</th>
                  <th scope="col">Откуда</th>
                  <th scope="col">
                    <span className="visually-hidden">Действия</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((certificate) => (
                  <tr key={certificate.id} data-certificate={certificate.id}>
                    <th scope="row" data-label="Владелец">
                      <Link to={`/employees/${certificate.employeeId}`}>{certificate.ownerName}</Link>
                      {certificate.ownerState === 'dismissed' && <div className="small error-text">Уволен</div>}
                      <div className="muted small">Издатель: {subjectCommonName(certificate.issuer)}</div>
                    </th>
                    <td data-label="Состояние">
                      <span className={`badge badge_${CERTIFICATE_STATE_TONES[certificate.state]}`}>{CERTIFICATE_STATE_NAMES[certificate.state]}</span>
                      {certificate.renewal && (
                        <div className="small" title={certificate.renewal.reason ?? undefined}>
                          {RENEWAL_STATE_NAMES[certificate.renewal.state] ?? certificate.renewal.state}
                          {certificate.renewal.state !== 'renewed' && certificate.renewal.reason ? `: ${certificate.renewal.reason}` : ''}
                        </div>
                      )}
                    </td>
                    <td data-label="Действует" className="nowrap">
                      {formatDate(certificate.validFrom)} — {formatDate(certificate.validTo)}
                    </td>
                    <td data-label="Серийный номер и отпечаток" className="mono break small">
                      {certificate.serialNumber}
                      <div className="muted">{certificate.thumbprint}</div>
                    </td>
                    <td data-label="Откуда">
                      {CERTIFICATE_SOURCE_NAMES[certificate.source] ?? certificate.source}
                      {certificate.issueId && certificate.source === 'kcr' && (
                        <div className="small">
                          <Link to={`/issues/${certificate.issueId}`}>Заявка</Link>
                        </div>
                      )}
                    </td>
                    <td data-label="Действия">
                      {certificate.source === 'kcr' && certificate.issueId && !certificate.renewal && certificate.state !== 'revoked' && !certificate.replacedById && (
                        <Button size="small" loading={renewal.busy} onClick={() => renew(certificate.id)}>
                          Перевыпустить
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {nextCursor && (
            <p>
              <Button
                loading={loadMore.busy}
                onClick={async () => {
                  const page = await loadMore.run(() => listCertificates({ state, source, query: query || undefined, limit: PAGE, after: nextCursor }));
                  if (page) setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
                }}
              >
                Показать ещё
              </Button>
            </p>
          )}
        </div>
      )}
    </>
  );
}
