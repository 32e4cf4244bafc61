// The sandbox's mail catcher: a real SMTP server in the process (smtp-server) that accepts every
// message for any address, parses it (mailparser) and keeps it in the sandbox's mailbox table, so
// the console shows it from any process on the same database. It plays the organization's mail
// server: the bridge's notices go to it by default while it runs, and tests read what it received.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';
import { desc, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { SandboxDb } from './store/database.ts';
import { sandboxMailbox } from './store/schema.ts';

/** Messages larger than this are refused (552): notices are a few kilobytes. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export type CaughtMail = typeof sandboxMailbox.$inferSelect;
export type CaughtMailSummary = Omit<CaughtMail, 'raw' | 'text' | 'html'>;

function addressText(address: AddressObject | AddressObject[] | undefined): string | null {
  if (!address) return null;
  return (Array.isArray(address) ? address : [address]).map((a) => a.text).join(', ');
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export class MailCatcher {
  private readonly server: SMTPServer;
  private listening: { host: string; port: number } | undefined;

  constructor(
    private readonly db: SandboxDb,
    private readonly logger: Logger,
  ) {
    this.server = new SMTPServer({
      name: 'sandbox-mail-catcher',
      banner: 'Kontur CA Bridge sandbox mail catcher',
      size: MAX_MESSAGE_BYTES,
      // Plain SMTP on loopback; AUTH is optional and any credentials are accepted (a test server).
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          () => callback(),
          (error: Error) => callback(Object.assign(error, { responseCode: (error as { responseCode?: number }).responseCode ?? 451 })),
        );
      },
      logger: false,
    });
    this.server.on('error', (error) => this.logger.warn({ err: error }, 'sandbox mail catcher error'));
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const raw = await readAll(stream);
    if (stream.sizeExceeded) throw Object.assign(new Error('Message too large'), { responseCode: 552 });
    const parsed = await simpleParser(raw);
    await this.db.insert(sandboxMailbox).values({
      envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      from: addressText(parsed.from),
      to: addressText(parsed.to),
      subject: parsed.subject ?? null,
      text: parsed.text ?? null,
      html: typeof parsed.html === 'string' ? parsed.html : null,
      raw,
    });
  }

  /** Listens on host:port (0: a free port); resolves with the address it got. */
  async start(host: string, port: number): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.server.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.server.off('error', failed);
        resolve();
      });
    });
    const address = this.server.server.address();
    this.listening = { host, port: typeof address === 'object' && address ? address.port : port };
    return this.listening;
  }

  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = undefined;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async list(filter: { to?: string; limit?: number } = {}): Promise<CaughtMailSummary[]> {
    const query = this.db
      .select({
        id: sandboxMailbox.id,
        envelopeFrom: sandboxMailbox.envelopeFrom,
        envelopeTo: sandboxMailbox.envelopeTo,
        from: sandboxMailbox.from,
        to: sandboxMailbox.to,
        subject: sandboxMailbox.subject,
        receivedAt: sandboxMailbox.receivedAt,
      })
      .from(sandboxMailbox);
    const to = filter.to?.trim().toLowerCase();
    const filtered = to ? query.where(sql`${to} = any(select lower(x) from unnest(${sandboxMailbox.envelopeTo}) as x)`) : query;
    return filtered.orderBy(desc(sandboxMailbox.receivedAt), desc(sandboxMailbox.id)).limit(filter.limit ?? 100);
  }

  async get(id: string): Promise<CaughtMail | undefined> {
    const [row] = await this.db.select().from(sandboxMailbox).where(eq(sandboxMailbox.id, id));
    return row;
  }
}
