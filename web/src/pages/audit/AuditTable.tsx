import { Link } from 'react-router';
import type { AuditEntry } from '../../api/types.ts';
import { AUDIT_OUTCOME_LABELS, AUDIT_TARGET_TYPE_LABELS, auditActionLabel } from '../../../../src/domain/audit-actions.ts';
import { formatDateTime } from '../../format/dateTime.ts';

const OUTCOME_TONES = { success: 'success', failure: 'error', denied: 'warning' } as const;

/** Pages of the client an entry's object opens. */
const TARGET_PAGES: Record<string, (id: string) => string> = {
  employee: (id) => `/employees/${id}`,
  issue: (id) => `/issues/${id}`,
  document: (id) => `/documents/${id}`,
  certificateForm: (id) => `/certificate-forms/${id}`,
};

/** The details a reader needs, in Russian; developer codes stay in the CSV export and the API. */
const DETAIL_LABELS: Record<string, string> = {
  fileName: 'Файл',
  username: 'Логин',
  name: 'Название',
  url: 'Адрес',
  ip: 'IP-адрес',
  subject: 'Владелец сертификата',
  thumbprint: 'Отпечаток',
  statementType: 'Документ',
  from: 'Было',
  to: 'Стало',
};

function listOf(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

function Details({ entry }: { entry: AuditEntry }) {
  const details = (entry.details ?? {}) as Record<string, unknown>;
  const lines: string[] = [];
  if (entry.outcome !== 'success' && typeof details.message === 'string') lines.push(details.message);
  if (Array.isArray(details.errors)) {
    for (const problem of details.errors as { message?: string }[]) if (problem?.message && !lines.includes(problem.message)) lines.push(problem.message);
  }
  if (Array.isArray(details.changed) && details.changed.length) lines.push(`Изменено: ${listOf(details.changed)}`);
  for (const [key, label] of Object.entries(DETAIL_LABELS)) {
    const value = details[key];
    if (value !== undefined && value !== null && value !== '' && typeof value !== 'object') lines.push(`${label}: ${String(value)}`);
  }
  if (details.reused === true) lines.push('Повтор запроса: заявка уже была создана');
  // One block per cell: the stacked (phone) layout puts the cell's label beside it.
  return (
    <div>
      {lines.map((line, i) => (
        <div key={i}>{line}</div>
      ))}
      {entry.konturRequestId && (
        <div className="muted" title="Номер запроса в Контуре: его спросит поддержка Контура">
          Запрос в Контуре: <span className="mono">{entry.konturRequestId}</span>
        </div>
      )}
    </div>
  );
}

function TargetCell({ entry }: { entry: AuditEntry }) {
  if (!entry.targetType) return <div>—</div>;
  const kind = AUDIT_TARGET_TYPE_LABELS[entry.targetType] ?? entry.targetType;
  const page = entry.targetId ? TARGET_PAGES[entry.targetType]?.(entry.targetId) : undefined;
  const name = entry.targetName ?? (entry.targetType === 'certificate' ? entry.targetId : null);
  return (
    <div>
      <div className="muted small">{kind}</div>
      {name && (page ? <Link to={page}>{name}</Link> : <div>{name}</div>)}
      {!name && page && <Link to={page}>Открыть</Link>}
    </div>
  );
}

function ActorCell({ entry }: { entry: AuditEntry }) {
  const login = entry.actorId && entry.actorDisplayName !== entry.actorName ? entry.actorName : null;
  return (
    <div>
      <div>{entry.actorDisplayName}</div>
      {login && <div className="muted small mono">{login}</div>}
    </div>
  );
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <table className="data-table data-table_stacking">
      <caption className="visually-hidden">Записи журнала</caption>
      <thead>
        <tr>
          <th scope="col">Время</th>
          <th scope="col">Кто</th>
          <th scope="col">Действие</th>
          <th scope="col">Объект</th>
          <th scope="col">Результат</th>
          <th scope="col">Подробности</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td data-label="Время" className="nowrap">
              {formatDateTime(entry.at)}
            </td>
            <td data-label="Кто">
              <ActorCell entry={entry} />
            </td>
            <td data-label="Действие">{auditActionLabel(entry.action)}</td>
            <td data-label="Объект">
              <TargetCell entry={entry} />
            </td>
            <td data-label="Результат">
              <span className={`badge badge_${OUTCOME_TONES[entry.outcome]}`}>{AUDIT_OUTCOME_LABELS[entry.outcome]}</span>
            </td>
            <td data-label="Подробности" className="small break">
              <Details entry={entry} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
