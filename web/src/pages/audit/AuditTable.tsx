import { Link } from 'react-router';
import type { AuditEntry } from '../../api/types.ts';
import { auditActionLabel, OUTCOME_LABELS, TARGET_TYPE_LABELS } from '../../domain/auditLabels.ts';
import { formatDateTime } from '../../format/dateTime.ts';

const OUTCOME_TONES = { success: 'success', failure: 'error', denied: 'warning' } as const;

function detailsText(details: AuditEntry['details']): string {
  if (!details || Object.keys(details).length === 0) return '';
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('; ');
}

function TargetCell({ entry }: { entry: AuditEntry }) {
  if (!entry.targetType) return <>—</>;
  const label = TARGET_TYPE_LABELS[entry.targetType] ?? entry.targetType;
  if (entry.targetType === 'employee' && entry.targetId) return <Link to={`/employees/${entry.targetId}`}>{label}</Link>;
  return <>{label}</>;
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
            <td data-label="Кто" className="mono">
              {entry.actorName}
            </td>
            <td data-label="Действие">{auditActionLabel(entry.action)}</td>
            <td data-label="Объект">
              <TargetCell entry={entry} />
            </td>
            <td data-label="Результат">
              <span className={`badge badge_${OUTCOME_TONES[entry.outcome]}`}>{OUTCOME_LABELS[entry.outcome]}</span>
            </td>
            <td data-label="Подробности" className="small break">
              {detailsText(entry.details)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
