import { Link } from 'react-router';
import type { MirroredIssue } from '../../api/types.ts';
import { IssueStatusBadge } from '../../components/IssueStatusBadge.tsx';
import { applicantName, cspTypeName } from '../../domain/issueApplicant.ts';
import { formatDateTime } from '../../format/dateTime.ts';

export function IssueTable({ issues }: { issues: MirroredIssue[] }) {
  return (
    <table className="data-table data-table_stacking">
      <caption className="visually-hidden">Заявки на сертификат</caption>
      <thead>
        <tr>
          <th scope="col">Заявитель</th>
          <th scope="col">Статус</th>
          <th scope="col">Сертификат</th>
          <th scope="col">Создана</th>
          <th scope="col">Изменена</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((issue) => (
          <tr key={issue.id}>
            <th scope="row" data-label="Заявитель">
              <Link to={`/issues/${issue.id}`}>{applicantName(issue.snapshot.subjectInfo)}</Link>
              <div className="muted small">создал {issue.createdBy}</div>
            </th>
            <td data-label="Статус">
              <IssueStatusBadge status={issue.status} />
              {!issue.actualized && <div className="muted small">идёт проверка в УЦ…</div>}
              {issue.certificateError && <div className="small error-text">{issue.certificateError}</div>}
            </td>
            <td data-label="Сертификат">{cspTypeName(issue.cspType)}</td>
            <td data-label="Создана">{formatDateTime(issue.createdAt)}</td>
            <td data-label="Изменена">{formatDateTime(issue.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
