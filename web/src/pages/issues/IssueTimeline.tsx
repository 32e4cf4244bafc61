import type { IssueHistoryEntry } from '../../api/types.ts';
import { IssueStatusBadge } from '../../components/IssueStatusBadge.tsx';
import { issueActionName } from '../../domain/issueHistoryLabels.ts';
import { formatDateTime } from '../../format/dateTime.ts';

/** Entries made by the bridge itself rather than by a user. */
const AUTOMATIC_ACTORS: Record<string, string> = { kontur: 'УЦ Контур', system: 'Система' };

function failureOf(entry: IssueHistoryEntry): string | undefined {
  const message = entry.details?.message;
  return typeof message === 'string' ? message : undefined;
}

/** Who did what with the issue and how its status changed, oldest first. */
export function IssueTimeline({ entries }: { entries: IssueHistoryEntry[] }) {
  return (
    <section className="section" aria-labelledby="timeline-title">
      <h2 id="timeline-title" className="section__title">
        История заявки
      </h2>
      <ol className="timeline">
        {entries.map((entry) => {
          const failed = entry.action.endsWith('.failed');
          const action = failed ? entry.action.slice(0, -'.failed'.length) : entry.action;
          return (
            <li key={entry.id} className={failed ? 'timeline__item timeline__item_failed' : 'timeline__item'}>
              <time className="timeline__time" dateTime={entry.createdAt}>
                {formatDateTime(entry.createdAt)}
              </time>
              <div className="timeline__text">
                {entry.action === 'statusChanged' ? (
                  <>
                    Статус: <IssueStatusBadge status={entry.status} />
                  </>
                ) : (
                  issueActionName(action, failed)
                )}
                {failed && failureOf(entry) && <div className="small error-text">{failureOf(entry)}</div>}
                <div className="muted small">{AUTOMATIC_ACTORS[entry.actor] ?? entry.actor}</div>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
