// Tells web clients (server-sent events) what happened to issues. Within one process an
// in-memory emitter; on PostgreSQL every process LISTENs on one channel, so an event applied
// by the poller in a worker process reaches the browsers connected to any HTTP process.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';

export interface IssueNotification {
  type: 'issue.created' | 'issue.changed' | 'issue.statusChanged' | 'issue.deleted' | 'issue.certificateAttached';
  issueId: string;
  employeeId: string | null;
  status: string | null;
  previousStatus?: string | null;
  actualized?: boolean;
  thumbprint?: string;
  at: string;
}

const CHANNEL = 'kca_issue_events';

export class IssueNotifications {
  private readonly emitter = new EventEmitter();
  private listener: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly connectionString: string | undefined,
    private readonly logger: Logger,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** On PostgreSQL: starts listening (reconnecting if the connection drops). */
  async start(): Promise<void> {
    if (!this.connectionString || this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'issue notifications: listener connection lost, reconnecting');
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.start().catch(() => undefined), 1000).unref();
    });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        this.emitter.emit('event', JSON.parse(message.payload) as IssueNotification);
      } catch {
        // A foreign payload on our channel: ignore it.
      }
    });
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.listener = client;
  }

  async publish(notification: IssueNotification, notify?: (channel: string, payload: string) => Promise<void>): Promise<void> {
    if (this.connectionString && notify) {
      await notify(CHANNEL, JSON.stringify(notification));
      return;
    }
    this.emitter.emit('event', notification);
  }

  subscribe(listener: (notification: IssueNotification) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
  }
}
