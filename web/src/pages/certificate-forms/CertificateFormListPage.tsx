import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Paging, Select } from '@skbkontur/react-ui';
import { searchCertificateForms } from '../../api/certificateForms.ts';
import { FormField } from '../../components/FormField.tsx';
import { EmployeePicker } from '../../components/EmployeePicker.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { FORM_STATE_NAMES, FORM_STATES, OWNER_TYPE_NAMES } from '../../domain/certificateForms.ts';
import { formatDateTime } from '../../format/dateTime.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { CertificateFormStateBadge } from './CertificateFormStateBadge.tsx';

const FORMS_PER_PAGE = 20;
type StateFilter = (typeof FORM_STATES)[number] | 'all';
const STATE_ITEMS: [StateFilter, string][] = [['all', 'Все состояния'], ...FORM_STATES.map((state): [StateFilter, string] => [state, FORM_STATE_NAMES[state]])];

/** Certificate forms filed at Kontur Реестро, with state and employee filters (in the URL). */
export function CertificateFormListPage() {
  usePageTitle('Анкеты Реестро');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') as StateFilter | null) ?? 'all';
  const employeeId = params.get('employee') ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const forms = useApiData(
    () => searchCertificateForms({ state: state === 'all' ? undefined : state, employeeId, offset: (page - 1) * FORMS_PER_PAGE, limit: FORMS_PER_PAGE }),
    [state, employeeId, page],
  );
  const pagesCount = forms.data ? Math.max(1, Math.ceil(forms.data.total / FORMS_PER_PAGE)) : 1;

  const show = (change: { state?: string; employee?: string | null; page?: number }) => {
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
      <PageHeader
        title="Анкеты Реестро"
        actions={
          <Button use="primary" onClick={() => navigate('/certificate-forms/new')}>
            Новая анкета
          </Button>
        }
      >
        <p className="page-header__subtitle">Анкеты на выпуск сертификата через Контур.Реестро: физическому лицу, предпринимателю или представителю организации.</p>
      </PageHeader>
      <div className="filters" role="search" aria-label="Фильтры анкет">
        <div className="form-field">
          <label className="form-field__label" htmlFor="form-state-filter">
            Состояние
          </label>
          <Select<StateFilter, string> id="form-state-filter" width="100%" items={STATE_ITEMS} value={state} onValueChange={(value) => show({ state: value })} />
        </div>
        <div className="filters__wide">
          <FormField id="form-employee-filter" label="Сотрудник">
            <EmployeePicker id="form-employee-filter" value={employeeId ?? null} onChange={(value) => show({ employee: value })} />
          </FormField>
        </div>
      </div>
      {forms.error && <LoadFailure error={forms.error} onRetry={forms.reload} />}
      {!forms.data && forms.loading && <LoadingBlock />}
      {forms.data && (
        <div aria-busy={forms.loading}>
          <p className="list-summary" aria-live="polite">
            {forms.data.total === 0 ? 'Анкет пока нет: нажмите «Новая анкета».' : `Анкет: ${forms.data.total}`}
          </p>
          {forms.data.items.length > 0 && (
            <table className="data-table data-table_stacking">
              <caption className="visually-hidden">Анкеты Реестро</caption>
              <thead>
                <tr>
                  <th scope="col">Анкета</th>
                  <th scope="col">Состояние</th>
                  <th scope="col">Документы</th>
                  <th scope="col">Создана</th>
                </tr>
              </thead>
              <tbody>
                {forms.data.items.map((form) => (
                  <tr key={form.id}>
                    <th scope="row" data-label="Анкета">
                      <Link to={`/certificate-forms/${form.id}`}>{form.ownerName}</Link>
                      <div className="muted small">
                        {[OWNER_TYPE_NAMES[form.ownerType], form.organizationName].filter(Boolean).join(', ')} · создал {form.createdBy}
                      </div>
                    </th>
                    <td data-label="Состояние">
                      <CertificateFormStateBadge state={form.state} />
                    </td>
                    <td data-label="Документы">{form.documents.map((d) => d.typeName).join(', ') || '—'}</td>
                    <td data-label="Создана">{formatDateTime(form.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
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
