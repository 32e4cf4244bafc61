// Tells web clients (server-sent events) what happened to issues: announced in the database
// (pg_notify) and heard by every process (DatabaseEvents), so an event applied by the poller in a
// worker process reaches the browsers connected to any HTTP process.
import type { DatabaseEvents } from '../store/database-events.ts';

export interface IssueNotification {
  type: 'issue.created' | 'issue.changed' | 'issue.statusChanged' | 'issue.deleted' | 'issue.certificateAttached';
  issueId: string;
  employeeId: string | null;
  status: string | null;
  previousStatus?: string | null;
  actualized?: boolean;
  thumbprint?: string;
  /** The KCR feed event it came from: deliveries of one issue, ordered by the feed, follow its statuses. */
  kcrEventId?: string;
  at: string;
}

export const ISSUE_EVENTS_CHANNEL = 'kca_issue_events';

export class IssueNotifications {
  constructor(
    private readonly events: DatabaseEvents,
    /** pg_notify in the database. */
    private readonly notify: (channel: string, payload: string) => Promise<void>,
  ) {}

  /** Announces it to every process; subscribers, this process's too, hear it from the database. */
  async publish(notification: IssueNotification): Promise<void> {
    await this.notify(ISSUE_EVENTS_CHANNEL, JSON.stringify(notification));
  }

  subscribe(listener: (notification: IssueNotification) => void): () => void {
    return this.events.on(ISSUE_EVENTS_CHANNEL, (payload) => {
      try {
        listener(JSON.parse(payload) as IssueNotification);
      } catch {
        // A foreign payload on our channel: ignore it.
      }
    });
  }
}
