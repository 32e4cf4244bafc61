import { useRef } from 'react';
import { Link, useParams, useNavigate } from 'react-router';
import { Button, Gapped } from '@skbkontur/react-ui';
import { fetchEmployee, fetchEmployeeCertificates } from '../../api/employees.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { STAFF } from '../../domain/roles.ts';
import { fullName } from '../../domain/employeeFields.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useIssueEvents } from '../../hooks/useIssueEvents.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { useSession } from '../../session/SessionContext.ts';
import { CertificateTable } from './CertificateTable.tsx';
import { EmployeeDetails } from './EmployeeDetails.tsx';
import { CertificateLifecyclePanel } from './CertificateLifecyclePanel.tsx';

/** One employee card with the certificates in it. Employees see their own card only (the server checks). */
export function EmployeeCardPage() {
  const { id = '' } = useParams();
  const { user } = useSession();
  const navigate = useNavigate();
  const employee = useApiData(() => fetchEmployee(id), [id]);
  const certificates = useApiData(() => fetchEmployeeCertificates(id), [id]);
  usePageTitle(employee.data ? fullName(employee.data) : 'Карточка сотрудника');
  const canEdit = STAFF.includes(user.role);

  // A certificate released for this card appears without a reload.
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  useIssueEvents((event) => {
    if (event.employeeId !== id || event.type !== 'issue.certificateAttached') return;
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(certificates.reload, 200);
  });

  if (employee.error) return <LoadFailure error={employee.error} onRetry={employee.reload} />;
  if (!employee.data) return <LoadingBlock />;
  const card = employee.data;
  return (
    <>
      <PageHeader
        title={fullName(card)}
        actions={
          canEdit && (
            <Gapped gap={8} wrap>
              <Button use="primary" onClick={() => navigate(`/employees/${card.id}/issue`)}>
                Выпустить сертификат
              </Button>
              <Button onClick={() => navigate(`/certificate-forms/new?employee=${card.id}`)}>Анкета Реестро</Button>
              <Button onClick={() => navigate(`/employees/${card.id}/edit`)}>Изменить</Button>
            </Gapped>
          )
        }
      >
        <p className="page-header__subtitle">{[card.position, card.department].filter(Boolean).join(', ') || 'Карточка сотрудника'}</p>
      </PageHeader>
      <EmployeeDetails employee={card} />
      <section className="section" aria-labelledby="certificates-title">
        <h2 id="certificates-title" className="section__title">
          Сертификаты
        </h2>
        {certificates.error && <LoadFailure error={certificates.error} onRetry={certificates.reload} />}
        {!certificates.data && certificates.loading && <LoadingBlock />}
        {certificates.data && certificates.data.length === 0 && (
          <p className="muted">В карточке пока нет сертификатов. Выпущенный в УЦ Контур сертификат появится здесь.</p>
        )}
        {certificates.data && certificates.data.length > 0 && <CertificateTable certificates={certificates.data} />}
        {canEdit && (
          <p>
            <Link to={`/issues?employee=${card.id}`}>Заявки на сертификат этого сотрудника</Link>
          </p>
        )}
        {!canEdit && certificates.data && certificates.data.length > 0 && (
          <p>
            <Link to="/documents">Подписать документ облачным сертификатом</Link>
          </p>
        )}
      </section>
      {certificates.data && (
        <CertificateLifecyclePanel
          employee={card}
          certificates={certificates.data}
          canEdit={canEdit}
          onChanged={() => {
            employee.reload();
            certificates.reload();
          }}
        />
      )}
    </>
  );
}
