import type { IssueStatus } from '../api/types.ts';
import { ISSUE_STATUS_TONES, issueStatusName } from '../domain/issueStatus.ts';

export function IssueStatusBadge({ status }: { status: string | null | undefined }) {
  const tone = ISSUE_STATUS_TONES[status as IssueStatus] ?? 'neutral';
  return <span className={`badge badge_${tone}`}>{issueStatusName(status)}</span>;
}
