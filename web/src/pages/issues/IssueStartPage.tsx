import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button, Gapped, Radio, RadioGroup } from '@skbkontur/react-ui';
import { fetchEmployee } from '../../api/employees.ts';
import { createIssue } from '../../api/issues.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EMPLOYEE_FIELDS, fullName, missingForIssuance } from '../../domain/employeeFields.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { EmployeeDetails } from '../employees/EmployeeDetails.tsx';
import { IssueStepsOverview } from './IssueStepsOverview.tsx';

type CspType = 'dss' | 'cryptoPro';

/** Random enough to never repeat; getRandomValues works on plain http too (randomUUID does not). */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** The wizard's first step: the applicant is the employee card; choose the kind of certificate. */
export function IssueStartPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const employee = useApiData(() => fetchEmployee(id), [id]);
  const [cspType, setCspType] = useState<CspType>('dss');
  const creation = useAction();
  // One key per visit: a double click or a retry after a lost answer returns the same issue.
  const idempotencyKey = useMemo(newIdempotencyKey, []);
  usePageTitle('Выпуск сертификата');

  if (employee.error) return <LoadFailure error={employee.error} onRetry={employee.reload} />;
  if (!employee.data) return <LoadingBlock />;
  const card = employee.data;
  // Kontur refuses an issue without these: say so before, naming the fields, with the way to fix them.
  const missing = missingForIssuance(card);

  const create = async () => {
    const created = await creation.run(() => createIssue({ employeeId: card.id, cspType, idempotencyKey }));
    if (created) navigate(`/issues/${created.data.id}`);
  };

  return (
    <>
      <PageHeader title="Выпуск сертификата">
        <p className="page-header__subtitle">
          Заявитель — <Link to={`/employees/${card.id}`}>{fullName(card)}</Link>
        </p>
      </PageHeader>
      <IssueStepsOverview current="applicant" />
      <section className="section" aria-labelledby="applicant-title">
        <h2 id="applicant-title" className="section__title">
          Данные заявителя
        </h2>
        <p className="muted">
          Берутся из карточки сотрудника. Если что-то неверно, <Link to={`/employees/${card.id}/edit`}>исправьте карточку</Link> до создания заявки.
        </p>
        <EmployeeDetails employee={card} />
        {missing.length > 0 && (
          <div className="warning-banner" role="status" data-testid="missing-for-issuance">
            <strong>Для выпуска сертификата в карточке не хватает данных:</strong>
            <ul>
              {missing.map((field) => (
                <li key={field}>{EMPLOYEE_FIELDS[field].label}</li>
              ))}
            </ul>
            <Link to={`/employees/${card.id}/edit`}>Заполнить карточку</Link>
          </div>
        )}
      </section>
      <section className="section" aria-labelledby="csp-title">
        <h2 id="csp-title" className="section__title">
          Вид сертификата
        </h2>
        <RadioGroup<CspType> name="csp-type" value={cspType} onValueChange={setCspType}>
          <Gapped vertical gap={8}>
            <Radio value="dss">Облачный сертификат — подписание документов с подтверждением по СМС (рекомендуется)</Radio>
            <Radio value="cryptoPro">Сертификат КриптоПро на компьютере сотрудника</Radio>
          </Gapped>
        </RadioGroup>
        {cspType === 'cryptoPro' && <p className="warning-banner">Облачное подписание в этой системе работает только с облачным сертификатом.</p>}
      </section>
      <ErrorBanner error={creation.error} />
      <div className="form__actions">
        <Gapped gap={8} wrap>
          <Button use="primary" size="medium" loading={creation.busy} onClick={create} disabled={missing.length > 0}>
            Создать заявку
          </Button>
          <Button size="medium" onClick={() => navigate(`/employees/${card.id}`)} disabled={creation.busy}>
            Отмена
          </Button>
        </Gapped>
      </div>
    </>
  );
}
