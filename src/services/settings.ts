// The module's connection settings (the manual's five, and Реестро's three). The API keys
// (KcrApiKey, ReestroApiKey) are encrypted at rest, write-only over the API and never logged.
import { eq } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { settings } from '../store/schema/index.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import {
  SANDBOX_CLOUD_CLIENT_THUMBPRINT,
  SANDBOX_KCR_API_KEY,
  SANDBOX_REESTRO_API_KEY,
  SANDBOX_REESTRO_ORG_ID,
  sandboxCloudAddress,
  sandboxKcrAddress,
  sandboxReestroAddress,
} from '../domain/sandbox-defaults.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import { ValidationError, type FieldProblem } from './errors.ts';

/** How the module reaches the Crypto API: Node's http/https, or plain http to a local stunnel that speaks GOST TLS. */
export type CryptoApiTransport = 'direct' | 'gost-tunnel';
export const CRYPTO_API_TRANSPORTS: CryptoApiTransport[] = ['direct', 'gost-tunnel'];

export interface ConnectionSettings {
  CryptoApiConnectionAddress: string;
  CryptoApiTransport: CryptoApiTransport;
  CryptoAuthenticationCertificateThumbprint: string;
  KcrApiConnectionAddress: string;
  KcrApiKey: string;
  RestClientMaxTimeout: number;
  /** Kontur Реестро (certificate forms): the host whose paths start with realty/... */
  ReestroApiConnectionAddress: string;
  /** A Реестро API key (GUID) or a session id (auth.sid). */
  ReestroApiKey: string;
  /** The organization (portal.orgid) the module acts for at Реестро. */
  ReestroOrganizationId: string;
}

export type SettingName = keyof ConnectionSettings;
export const SETTING_NAMES: SettingName[] = [
  'CryptoApiConnectionAddress',
  'CryptoApiTransport',
  'CryptoAuthenticationCertificateThumbprint',
  'KcrApiConnectionAddress',
  'KcrApiKey',
  'RestClientMaxTimeout',
  'ReestroApiConnectionAddress',
  'ReestroApiKey',
  'ReestroOrganizationId',
];

/** What an API read shows: the keys masked, and which values are still the defaults. */
export interface SettingsView extends ConnectionSettings {
  defaults: SettingName[];
  /** True while every address points at the built-in sandbox. */
  sandboxMode: boolean;
}

export type SettingsChange = Partial<{ [K in SettingName]: string | number }>;

const SECRETS: readonly SettingName[] = ['KcrApiKey', 'ReestroApiKey'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkAddress(field: SettingName, raw: unknown, problems: FieldProblem[]): string | undefined {
  if (typeof raw !== 'string') return void problems.push({ field, message: 'Укажите адрес строкой' });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return void problems.push({ field, message: 'Неверный адрес: ожидается https://…' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return void problems.push({ field, message: 'Адрес должен начинаться с https:// или http://' });
  if (url.search || url.hash) return void problems.push({ field, message: 'Адрес не должен содержать параметров запроса' });
  // The clients append paths to the address, so it always ends with a slash.
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

export function maskSecret(value: string): string {
  return value.length <= 4 ? '****' : `****${value.slice(-4)}`;
}

export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
    private port: number,
  ) {}

  /** With PORT=0 the real port is known only once the server listens; the defaults follow it. */
  useListeningPort(port: number): void {
    this.port = port;
  }

  defaults(): ConnectionSettings {
    return {
      CryptoApiConnectionAddress: sandboxCloudAddress(this.port),
      CryptoApiTransport: 'direct',
      CryptoAuthenticationCertificateThumbprint: SANDBOX_CLOUD_CLIENT_THUMBPRINT,
      KcrApiConnectionAddress: sandboxKcrAddress(this.port),
      KcrApiKey: SANDBOX_KCR_API_KEY,
      RestClientMaxTimeout: 60_000,
      ReestroApiConnectionAddress: sandboxReestroAddress(this.port),
      ReestroApiKey: SANDBOX_REESTRO_API_KEY,
      ReestroOrganizationId: SANDBOX_REESTRO_ORG_ID,
    };
  }

  /** The settings in clear, for the Kontur clients only. */
  async connection(): Promise<ConnectionSettings & { stored: Set<SettingName> }> {
    const rows = await this.db.select().from(settings);
    const values: ConnectionSettings = this.defaults();
    const stored = new Set<SettingName>();
    for (const row of rows) {
      const name = row.key as SettingName;
      if (!SETTING_NAMES.includes(name)) continue;
      const value = row.encrypted ? this.secrets.open(row.value, name).toString('utf8') : row.value;
      (values as unknown as Record<string, unknown>)[name] = name === 'RestClientMaxTimeout' ? Number(value) : value;
      stored.add(name);
    }
    return { ...values, stored };
  }

  async view(): Promise<SettingsView> {
    const { stored, ...values } = await this.connection();
    const defaults = this.defaults();
    return {
      ...values,
      KcrApiKey: maskSecret(values.KcrApiKey),
      ReestroApiKey: maskSecret(values.ReestroApiKey),
      defaults: SETTING_NAMES.filter((name) => !stored.has(name)),
      sandboxMode:
        values.KcrApiConnectionAddress === defaults.KcrApiConnectionAddress &&
        values.CryptoApiConnectionAddress === defaults.CryptoApiConnectionAddress &&
        values.ReestroApiConnectionAddress === defaults.ReestroApiConnectionAddress,
    };
  }

  /** Validates the whole change first; stores all of it or nothing. */
  async update(actor: Actor, change: SettingsChange): Promise<SettingsView> {
    const problems: FieldProblem[] = [];
    const accepted: Partial<Record<SettingName, string>> = {};
    for (const [name, raw] of Object.entries(change) as [SettingName, unknown][]) {
      if (raw === undefined) continue;
      switch (name) {
        case 'CryptoApiConnectionAddress':
        case 'KcrApiConnectionAddress':
        case 'ReestroApiConnectionAddress': {
          const address = checkAddress(name, raw, problems);
          if (address) accepted[name] = address;
          break;
        }
        case 'CryptoAuthenticationCertificateThumbprint': {
          const thumbprint = typeof raw === 'string' ? raw.replace(/[\s:]/g, '').toUpperCase() : '';
          if (!/^[0-9A-F]{40}$/.test(thumbprint)) problems.push({ field: name, message: 'Отпечаток сертификата: 40 шестнадцатеричных символов' });
          else accepted[name] = thumbprint;
          break;
        }
        case 'CryptoApiTransport': {
          if (typeof raw !== 'string' || !CRYPTO_API_TRANSPORTS.includes(raw as CryptoApiTransport)) problems.push({ field: name, message: 'Транспорт: direct (напрямую) или gost-tunnel (ГОСТ TLS через stunnel)' });
          else accepted[name] = raw;
          break;
        }
        case 'KcrApiKey': {
          const key = typeof raw === 'string' ? raw.trim() : '';
          if (key.length < 8 || key.length > 200 || /\s/.test(key)) problems.push({ field: name, message: 'API-ключ: от 8 до 200 символов без пробелов' });
          else accepted[name] = key;
          break;
        }
        case 'ReestroApiKey': {
          // Kontur issues GUID keys; a session id (auth.sid, 64 hex characters in the seed) works too.
          const key = typeof raw === 'string' ? raw.trim() : '';
          if (!GUID.test(key) && !/^[0-9A-Fa-f]{32,128}$/.test(key)) problems.push({ field: name, message: 'Ключ API Реестро: GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) или идентификатор сессии auth.sid (шестнадцатеричные символы)' });
          else accepted[name] = key;
          break;
        }
        case 'ReestroOrganizationId': {
          const id = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
          if (!GUID.test(id)) problems.push({ field: name, message: 'Идентификатор организации в Реестро: GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)' });
          else accepted[name] = id;
          break;
        }
        case 'RestClientMaxTimeout': {
          const ms = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
          if (!Number.isInteger(ms) || ms < 1000 || ms > 600_000) problems.push({ field: name, message: 'Время ожидания: целое число миллисекунд от 1000 до 600000' });
          else accepted[name] = String(ms);
          break;
        }
        default:
          problems.push({ field: name, message: 'Неизвестная настройка' });
      }
    }
    if (!problems.length && (accepted.CryptoApiTransport ?? accepted.CryptoApiConnectionAddress)) {
      // GOST TLS needs an https address; checked against what the settings will be after the change.
      const current = await this.connection();
      const transport = accepted.CryptoApiTransport ?? current.CryptoApiTransport;
      const address = accepted.CryptoApiConnectionAddress ?? current.CryptoApiConnectionAddress;
      if (transport === 'gost-tunnel' && !address.startsWith('https:')) {
        problems.push({ field: accepted.CryptoApiTransport ? 'CryptoApiTransport' : 'CryptoApiConnectionAddress', message: 'ГОСТ-туннель работает только с адресом https:// в CryptoApiConnectionAddress' });
      }
    }
    if (problems.length) throw new ValidationError(problems);

    await this.db.transaction(async (tx) => {
      for (const [name, value] of Object.entries(accepted) as [SettingName, string][]) {
        const encrypted = SECRETS.includes(name);
        const stored = encrypted ? this.secrets.seal(value, name) : value;
        await tx
          .insert(settings)
          .values({ key: name, value: stored, encrypted, updatedBy: actor.name })
          .onConflictDoUpdate({ target: settings.key, set: { value: stored, encrypted, updatedAt: new Date(), updatedBy: actor.name } });
      }
      const shown = Object.fromEntries(Object.entries(accepted).map(([name, value]) => [name, SECRETS.includes(name as SettingName) ? maskSecret(value) : value]));
      await this.audit.record(actor, { action: 'updateSettings', targetType: 'settings', details: { changed: shown } }, tx);
    });
    return this.view();
  }

  /** Back to the default (the sandbox) for one setting. */
  async reset(actor: Actor, name: SettingName): Promise<SettingsView> {
    if (name === 'CryptoApiConnectionAddress' && (await this.connection()).CryptoApiTransport === 'gost-tunnel') {
      throw new ValidationError([{ field: name, message: 'Адрес по умолчанию (песочница) — http://, а ГОСТ-туннелю нужен https://: сначала верните CryptoApiTransport к direct' }]);
    }
    await this.db.delete(settings).where(eq(settings.key, name));
    await this.audit.record(actor, { action: 'resetSetting', targetType: 'settings', details: { name } });
    return this.view();
  }
}
