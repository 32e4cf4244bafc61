import { useCallback } from 'react';
import { Link } from 'react-router';
import { fetchMyIssues, type MyIssue } from '../../api/selfService.ts';
import { IssueStatusBadge } from '../../components/IssueStatusBadge.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { REMARK_TARGET_NAMES } from '../../domain/issueDocuments.ts';
import { formatDate } from '../../format/dateTime.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useIssueEvents } from '../../hooks/useIssueEvents.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { MyStatementSigning } from './MyStatementSigning.tsx';

/** «Мои заявки»: the employee's own issues, what is expected of her next, and the action that waits for her. */
export function MyIssuesPage() {
  usePageTitle('Мои заявки');
  const issues = useApiData(fetchMyIssues, []);
  // Her issues' events (the server sends an employee only her own) bring the list up to date.
  const reload = issues.reload;
  useIssueEvents(useCallback(() => reload(), [reload]));

  return (
    <>
      <PageHeader title="Мои заявки">
        <p className="muted">Заявки на выпуск вашего сертификата электронной подписи и что нужно сделать дальше.</p>
      </PageHeader>
      {issues.error && !issues.data && <LoadFailure error={issues.error} onRetry={issues.reload} />}
      {!issues.data && !issues.error && <LoadingBlock />}
      {issues.data && issues.data.length === 0 && <p className="muted">Заявок на ваш сертификат пока нет. Их создаёт отдел кадров.</p>}
      {issues.data?.map((issue) => <MyIssueCard key={issue.id} issue={issue} onChanged={issues.reload} />)}
    </>
  );
}

function MyIssueCard({ issue, onChanged }: { issue: MyIssue; onChanged(): void }) {
  const titleId = `my-issue-${issue.id}`;
  const waitsForMe = issue.next.step !== 'wait';
  return (
    <section className="section my-issue" aria-labelledby={titleId} data-testid="my-issue">
      <div className="section-toolbar">
        <h2 id={titleId} className="section__title">
          Заявка от {formatDate(issue.createdAt)}
        </h2>
        <IssueStatusBadge status={issue.status} />
      </div>
      <p className={waitsForMe ? 'my-issue__next my-issue__next_action' : 'my-issue__next'} data-testid="my-issue-next">
        <strong>{waitsForMe ? 'Нужно от вас: ' : 'Что дальше: '}</strong>
        {issue.next.text}
      </p>
      {issue.correction && (
        <div className="remarks" role="region" aria-label="Замечания оператора УЦ">
          {issue.correction.comment && <p className="remarks__comment">«{issue.correction.comment}»</p>}
          <ul className="remarks__list">
            {issue.correction.remarks.map((remark, index) => (
              <li key={index}>
                <strong>{REMARK_TARGET_NAMES[remark.target] ?? remark.targetDescription ?? remark.target}:</strong> {remark.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {issue.next.step === 'signStatement' && <MyStatementSigning issueId={issue.id} codeSent={issue.statementCodeSent} onSigned={onChanged} />}
      {issue.next.step === 'downloadCertificate' && (
        <p>
          <Link to="/my/certificates">Перейти к моим сертификатам</Link>
        </p>
      )}
      {issue.next.step === 'confirmInEsia' && (
        <p>
          <a href="https://www.gosuslugi.ru/" target="_blank" rel="noreferrer">
            Открыть Госуслуги
          </a>
        </p>
      )}
    </section>
  );
}
