// The SMTP server notifications are sent through, in the settings table next to the connection
// settings. The password is encrypted at rest like the API keys, write-only over the API and never
// logged. With no server stored, the built-in sandbox's mail catcher is used when this process
// runs one (its address is told by the host when the sandbox is mounted).
import { inArray, like } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { settings } from '../store/schema/index.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { checkEmail } from '../domain/identifiers.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import { ValidationError, type FieldProblem } from './errors.ts';

/** none: plain SMTP (a STARTTLS the server offers is still used); starttls: STARTTLS required; tls: TLS from the first byte (port 465). */
export const SMTP_SECURITY = ['none', 'starttls', 'tls'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export interface SmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  password: string;
  /** The sender address (From). */
  from: string;
}

/** What the API shows: the password masked, and where the values come from. */
export interface MailSettingsView {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  /** Whether a password is stored (it is never shown). */
  passwordSet: boolean;
  from: string;
  /** stored: the settings page's values; sandbox: the built-in mail catcher; none: mail is not configured. */
  source: 'stored' | 'sandbox' | 'none';
}

export type MailSettingsChange = Partial<{ host: string; port: number | string; security: string; user: string; password: string; from: string }>;

const PREFIX = 'Mail.';
const KEYS = { host: 'Mail.SmtpHost', port: 'Mail.SmtpPort', security: 'Mail.SmtpSecurity', user: 'Mail.SmtpUser', password: 'Mail.SmtpPassword', from: 'Mail.From' } as const;
type Field = keyof typeof KEYS;
const FIELDS = Object.keys(KEYS) as Field[];

/** The sender address used with the sandbox's mail catcher when none is stored. */
export const SANDBOX_MAIL_FROM = 'kontur-ca-bridge@sandbox.localhost';

export class MailSettingsService {
  private catcher: { host: string; port: number } | undefined;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
  ) {}

  /** The built-in sandbox's SMTP catcher this process runs: the default while no server is stored. */
  useSandboxCatcher(address: { host: string; port: number } | undefined): void {
    this.catcher = address;
  }

  private async stored(): Promise<Partial<Record<Field, string>>> {
    const rows = await this.db.select().from(settings).where(like(settings.key, `${PREFIX}%`));
    const values: Partial<Record<Field, string>> = {};
    for (const field of FIELDS) {
      const row = rows.find((r) => r.key === KEYS[field]);
      if (row) values[field] = row.encrypted ? this.secrets.open(row.value, row.key).toString('utf8') : row.value;
    }
    return values;
  }

  /** The SMTP server to send through, with the password in clear (for the mailer only); undefined when mail is not configured. */
  async smtp(): Promise<SmtpSettings | undefined> {
    const stored = await this.stored();
    if (stored.host) {
      return {
        host: stored.host,
        port: Number(stored.port ?? (stored.security === 'tls' ? 465 : 587)),
        security: (stored.security as SmtpSecurity | undefined) ?? 'starttls',
        user: stored.user ?? '',
        password: stored.password ?? '',
        from: stored.from ?? '',
      };
    }
    if (this.catcher) return { host: this.catcher.host, port: this.catcher.port, security: 'none', user: '', password: '', from: stored.from || SANDBOX_MAIL_FROM };
    return undefined;
  }

  async view(): Promise<MailSettingsView> {
    const stored = await this.stored();
    const smtp = await this.smtp();
    return {
      host: smtp?.host ?? '',
      port: smtp?.port ?? 587,
      security: smtp?.security ?? 'starttls',
      user: smtp?.user ?? '',
      passwordSet: Boolean(stored.password),
      from: smtp?.from ?? '',
      source: stored.host ? 'stored' : smtp ? 'sandbox' : 'none',
    };
  }

  /** Validates the whole change first; stores all of it or nothing. An empty string clears a value (host: back to the default). */
  async update(actor: Actor, change: MailSettingsChange): Promise<MailSettingsView> {
    const problems: FieldProblem[] = [];
    const accepted: Partial<Record<Field, string | null>> = {};
    for (const [field, raw] of Object.entries(change) as [Field, unknown][]) {
      if (raw === undefined) continue;
      if (!FIELDS.includes(field)) {
        problems.push({ field, message: 'Неизвестная настройка' });
        continue;
      }
      const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
      if (text === undefined) {
        problems.push({ field, message: 'Ожидается строка' });
        continue;
      }
      if (text === '') {
        accepted[field] = null;
        continue;
      }
      switch (field) {
        case 'host':
          if (text.length > 253 || !/^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/.test(text)) problems.push({ field, message: 'Адрес SMTP-сервера: имя хоста или IP-адрес, например smtp.example.ru' });
          else accepted[field] = text.replace(/^\[(.*)\]$/, '$1');
          break;
        case 'port':
          if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) problems.push({ field, message: 'Порт: число от 1 до 65535' });
          else accepted[field] = String(Number(text));
          break;
        case 'security':
          if (!(SMTP_SECURITY as readonly string[]).includes(text)) problems.push({ field, message: 'Шифрование: none (без шифрования), starttls (STARTTLS) или tls (TLS сразу, порт 465)' });
          else accepted[field] = text;
          break;
        case 'user':
          if (text.length > 200) problems.push({ field, message: 'Имя пользователя: не длиннее 200 символов' });
          else accepted[field] = text;
          break;
        case 'password':
          if (text.length > 500) problems.push({ field, message: 'Пароль: не длиннее 500 символов' });
          else accepted[field] = text;
          break;
        case 'from': {
          const checked = checkEmail(text);
          if (!checked.ok) problems.push({ field, message: 'Адрес отправителя: электронная почта, например ca@example.ru' });
          else accepted[field] = checked.value;
          break;
        }
      }
    }
    if (problems.length) throw new ValidationError(problems, 'Проверьте настройки почты');

    await this.db.transaction(async (tx) => {
      const cleared = (Object.entries(accepted) as [Field, string | null][]).filter(([, value]) => value === null).map(([field]) => KEYS[field]);
      if (cleared.length) await tx.delete(settings).where(inArray(settings.key, cleared));
      for (const [field, value] of Object.entries(accepted) as [Field, string | null][]) {
        if (value === null) continue;
        const key = KEYS[field];
        const encrypted = field === 'password';
        const stored = encrypted ? this.secrets.seal(value, key) : value;
        await tx
          .insert(settings)
          .values({ key, value: stored, encrypted, updatedBy: actor.name })
          .onConflictDoUpdate({ target: settings.key, set: { value: stored, encrypted, updatedAt: new Date(), updatedBy: actor.name } });
      }
      const shown = Object.fromEntries(Object.entries(accepted).map(([field, value]) => [field, field === 'password' && value ? '***' : value]));
      await this.audit.record(actor, { action: 'updateMailSettings', targetType: 'settings', details: { changed: shown } }, tx);
    });
    return this.view();
  }

  /** Forgets every stored mail setting (back to the sandbox's catcher, or to no mail). */
  async reset(actor: Actor): Promise<MailSettingsView> {
    await this.db.delete(settings).where(like(settings.key, `${PREFIX}%`));
    await this.audit.record(actor, { action: 'resetMailSettings', targetType: 'settings' });
    return this.view();
  }
}
