// The audit entries of successful reads, written in batches off the request. Reads are the most
// frequent operations (a client polling an issue or a signing operation) and change nothing: one
// insert and one WAL flush for many of them, instead of a commit per read that the answer waits
// for (a flush costs milliseconds on an ordinary disk, more than the read itself). A crash loses
// at most the last window of read entries; changes and failures are written before the answer.
import type { auditLog } from '../store/schema/index.ts';

export type AuditRow = typeof auditLog.$inferInsert;

export interface AuditReadBatchOptions {
  /** Rows that start a write at once. */
  maxRows: number;
  /** How long a row may wait for others. */
  maxDelayMs: number;
}

const DEFAULTS: AuditReadBatchOptions = { maxRows: 200, maxDelayMs: 100 };

export class AuditReadBatch {
  private pending: AuditRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The writes in order: each batch starts when the one before has ended. */
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (rows: AuditRow[]) => Promise<void>,
    private readonly onError: (error: unknown, rows: number) => void,
    private readonly options: AuditReadBatchOptions = DEFAULTS,
  ) {}

  /** Batches handed to `write` and not yet written. */
  private readonly writing = new Set<AuditRow[]>();

  /** Whether a row of this request is waiting for its batch or being written. */
  holds(requestId: string): boolean {
    return [this.pending, ...this.writing].some((rows) => rows.some((row) => row.requestId === requestId));
  }

  add(row: AuditRow): void {
    this.pending.push({ ...row, at: row.at ?? new Date() });
    if (this.pending.length >= this.options.maxRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.maxDelayMs).unref();
  }

  /** Writes what is pending; resolves when every row added before the call is written (or reported lost). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.pending;
    this.pending = [];
    if (rows.length) {
      this.writing.add(rows);
      this.written = this.written.then(() => this.write(rows).catch((error) => this.onError(error, rows.length)).finally(() => this.writing.delete(rows)));
    }
    return this.written;
  }
}
