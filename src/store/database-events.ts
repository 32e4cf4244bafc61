// The database's notifications (LISTEN/NOTIFY) heard by this process: one listening connection
// for all channels, reconnected if it drops. What any process announces with pg_notify (an issue
// applied by the poller in a worker, a signature attached by a job) reaches the waiters and
// subscribers of every process at once, with no polling.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';

export class DatabaseEvents {
  private readonly emitter = new EventEmitter();
  private listener: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly channels: readonly string[],
    private readonly logger: Logger,
  ) {
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'database notifications: listening connection lost, reconnecting');
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.start().catch(() => undefined), 1000).unref();
    });
    client.on('notification', (message) => {
      if (this.channels.includes(message.channel)) this.emitter.emit(message.channel, message.payload ?? '');
    });
    await client.connect();
    for (const channel of this.channels) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    this.listener = client;
  }

  /** Calls `listener` with each payload announced on `channel`; returns the unsubscribe. */
  on(channel: string, listener: (payload: string) => void): () => void {
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  /** Resolves when `payload` is announced on `channel`, or after `timeoutMs` (the caller checks again either way). */
  waitFor(channel: string, payload: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const off = this.on(channel, (heard) => heard === payload && done());
      const timer = setTimeout(done, timeoutMs);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
  }
}
