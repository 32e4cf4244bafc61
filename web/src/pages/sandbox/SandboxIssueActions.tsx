import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Button, Gapped, Toast } from '@skbkontur/react-ui';
import { answerEsia, approveIssue, fetchSandboxIssues, releaseIssue, type EsiaResult } from '../../api/sandbox.ts';
import type { SandboxIssue } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { IssueStatusBadge } from '../../components/IssueStatusBadge.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { applicantName } from '../../domain/issueApplicant.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { CorrectionModal } from './CorrectionModal.tsx';

const REFRESH_MS = 2500;

const ESIA_ANSWERS: { result: EsiaResult; label: string }[] = [
  { result: 'confirmed', label: 'Госуслуги: подтвердил' },
  { result: 'rejected', label: 'Госуслуги: отклонил' },
  { result: 'userNotFound', label: 'Госуслуги: не найден' },
  { result: 'expired', label: 'Госуслуги: срок истёк' },
];

const waitsForEsia = (issue: SandboxIssue) =>
  issue.pendingConfirmation?.operation === 'signingReleaseStatementWithEsia' && issue.pendingConfirmation.state === 'pending';

/** What the CA operator and the applicant do outside the bridge: approve, return, answer in Госуслуги, release. */
export function SandboxIssueActions() {
  const issues = useApiData(fetchSandboxIssues, []);
  const [correcting, setCorrecting] = useState<SandboxIssue>();
  const action = useAction();

  useEffect(() => {
    const timer = setInterval(issues.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [issues.reload]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    if ((await action.run(async () => (await work(), true))) === true) {
      Toast.push(done);
      issues.reload();
    }
  };

  return (
    <section className="section" aria-labelledby="sandbox-issues-title">
      <h2 id="sandbox-issues-title" className="section__title">
        Заявки в песочнице УЦ
      </h2>
      <ErrorBanner error={action.error} />
      {issues.error && !issues.data && <LoadFailure error={issues.error} onRetry={issues.reload} />}
      {!issues.data && !issues.error && <LoadingBlock />}
      {issues.data && issues.data.issues.length === 0 && <p className="muted">Заявок нет.</p>}
      {issues.data && issues.data.issues.length > 0 && (
        <table className="data-table data-table_stacking">
          <caption className="visually-hidden">Заявки в песочнице</caption>
          <thead>
            <tr>
              <th scope="col">Заявитель</th>
              <th scope="col">Статус</th>
              <th scope="col">Действия оператора и заявителя</th>
            </tr>
          </thead>
          <tbody>
            {issues.data.issues.map((issue) => {
              const name = applicantName(issue.subjectInfo);
              return (
                <tr key={issue.id} data-testid="sandbox-issue">
                  <th scope="row" data-label="Заявитель">
                    <Link to={`/issues/${issue.id}`}>{name}</Link>
                    <div className="muted small mono">{issue.id.slice(0, 8)}</div>
                  </th>
                  <td data-label="Статус">
                    <IssueStatusBadge status={issue.status} />
                    {waitsForEsia(issue) && <div className="small">ждёт ответа в Госуслугах</div>}
                    {issue.forwardedStatus === 'forwardedToCabinet' && <div className="small">в личном кабинете</div>}
                  </td>
                  <td data-label="Действия">
                    <Gapped gap={6} wrap>
                      {issue.status === 'validating' && (
                        <>
                          <Button size="small" use="primary" disabled={action.busy} onClick={() => act(() => approveIssue(issue.id), `Заявка «${name}» одобрена`)} aria-label={`Одобрить заявку: ${name}`}>
                            Одобрить
                          </Button>
                          <Button size="small" disabled={action.busy} onClick={() => setCorrecting(issue)} aria-label={`Вернуть на исправление: ${name}`}>
                            На исправление
                          </Button>
                        </>
                      )}
                      {waitsForEsia(issue) &&
                        ESIA_ANSWERS.map((answer) => (
                          <Button
                            key={answer.result}
                            size="small"
                            use={answer.result === 'confirmed' ? 'primary' : 'default'}
                            disabled={action.busy}
                            onClick={() => act(() => answerEsia(issue.id, answer.result), `Ответ Госуслуг отправлен: ${answer.label}`)}
                          >
                            {answer.label}
                          </Button>
                        ))}
                      {issue.status === 'approved' && issue.forwardedStatus === 'forwardedToCabinet' && (
                        <Button size="small" use="primary" disabled={action.busy} onClick={() => act(() => releaseIssue(issue.id), 'Заявитель запросил выпуск')} aria-label={`Выпустить сертификат: ${name}`}>
                          Выпустить
                        </Button>
                      )}
                    </Gapped>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {correcting && (
        <CorrectionModal
          issue={correcting}
          onClose={() => setCorrecting(undefined)}
          onSent={() => {
            setCorrecting(undefined);
            Toast.push('Заявка возвращена на исправление');
            issues.reload();
          }}
        />
      )}
    </section>
  );
}
