import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button, Gapped, Toast } from '@skbkontur/react-ui';
import { fetchEmployee, fetchEmployeeCertificates } from '../../api/employees.ts';
import { deleteIssue, fetchIssue, fetchIssueHistory, issuedCertificatePath } from '../../api/issues.ts';
import { apiUrl } from '../../api/client.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { IssueStatusBadge } from '../../components/IssueStatusBadge.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { applicantName, cspTypeName } from '../../domain/issueApplicant.ts';
import { issueProgress } from '../../domain/issueProgress.ts';
import { statementCodeSentAt } from '../../domain/statementCode.ts';
import { DELETABLE_STATUSES } from '../../domain/issueStatus.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useIssueEvents } from '../../hooks/useIssueEvents.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { IssueRemarks } from './IssueRemarks.tsx';
import { IssueStepsOverview } from './IssueStepsOverview.tsx';
import { IssueTimeline } from './IssueTimeline.tsx';
import { IssueWizard } from './IssueWizard.tsx';
import { SmevFindings } from './SmevFindings.tsx';

/** One issue: where it stands, the next step of the wizard, remarks, SMEV findings and its history. Updates live. */
export function IssuePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const issue = useApiData(() => fetchIssue(id), [id]);
  const history = useApiData(() => fetchIssueHistory(id), [id]);
  const employeeId = history.data?.employeeId ?? null;
  const employee = useApiData(() => (employeeId ? fetchEmployee(employeeId) : Promise.resolve(null)), [employeeId]);
  const certificates = useApiData(() => (employeeId ? fetchEmployeeCertificates(employeeId) : Promise.resolve([])), [employeeId]);
  const [deleting, setDeleting] = useState(false);
  const removal = useAction();
  usePageTitle(issue.data ? `Заявка: ${applicantName(issue.data.subjectInfo)}` : 'Заявка на сертификат');

  const reloadAll = useCallback(() => {
    issue.reload();
    history.reload();
    certificates.reload();
  }, [issue.reload, history.reload, certificates.reload]);

  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  useIssueEvents((event) => {
    if (event.issueId !== id) return;
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(reloadAll, 200);
  });

  // The step that waits for the user comes into view: on opening the page and whenever the issue moves on.
  const waitingStep = issue.data && history.data ? issueProgress(issue.data, history.data.history, certificates.data ?? []).current : undefined;
  const shownStep = useRef<string>();
  useEffect(() => {
    if (!waitingStep || waitingStep === shownStep.current) return;
    shownStep.current = waitingStep;
    if (waitingStep === 'applicant') return;
    document.getElementById(`step-${waitingStep}`)?.scrollIntoView({ block: 'start', behavior: 'auto' });
  }, [waitingStep]);

  if (issue.error && !issue.data) return <LoadFailure error={issue.error} onRetry={issue.reload} />;
  // The card gives the wizard its defaults (birth date, SNILS): wait for it too.
  if (!issue.data || !history.data || (employeeId && employee.data === undefined && !employee.error)) return <LoadingBlock caption="Загрузка заявки из УЦ Контур…" />;
  const current = issue.data;
  const progress = issueProgress(current, history.data.history, certificates.data ?? []);

  const remove = async () => {
    const removed = await removal.run(() => deleteIssue(current.id));
    if (!removed) return;
    Toast.push('Заявка удалена');
    navigate('/issues');
  };

  return (
    <>
      <PageHeader
        title={applicantName(current.subjectInfo)}
        actions={
          <Gapped gap={8} wrap>
            {current.status === 'released' && (
              <a className="button-link" href={apiUrl(issuedCertificatePath(current.id))} download>
                Скачать сертификат (.cer)
              </a>
            )}
            {DELETABLE_STATUSES.includes(current.status) && (
              <Button use="text" onClick={() => setDeleting(true)}>
                Удалить заявку
              </Button>
            )}
          </Gapped>
        }
      >
        <p className="page-header__subtitle issue-header">
          <span data-testid="issue-status">
            <IssueStatusBadge status={current.status} />
          </span>
          {!current.actualized && <span className="muted">УЦ проверяет изменения…</span>}
          <span className="muted">{cspTypeName(current.cspInfo?.type)}</span>
          {employee.data && (
            <Link to={`/employees/${employee.data.id}`} className="issue-header__card">
              Карточка сотрудника
            </Link>
          )}
        </p>
      </PageHeader>
      <IssueStepsOverview current={progress.current} done={progress.done} />
      {current.status === 'correction' && current.correctionInfo && <IssueRemarks correction={current.correctionInfo} />}
      <SmevFindings validations={current.smevValidations} />
      <IssueWizard
        issue={current}
        progress={progress}
        scans={history.data.scans}
        employee={employee.data ?? null}
        statementCodeSentAt={statementCodeSentAt(history.data.history)}
        onChanged={reloadAll}
      />
      <IssueTimeline entries={history.data.history} />
      {deleting && (
        <ConfirmModal title="Удалить заявку?" confirmLabel="Удалить" busy={removal.busy} error={removal.error} onConfirm={remove} onClose={() => setDeleting(false)}>
          <p>Заявка будет удалена в УЦ Контур. Восстановить её нельзя — потребуется создать новую.</p>
        </ConfirmModal>
      )}
    </>
  );
}
