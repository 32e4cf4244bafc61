// The sandbox's own configuration, read from the SANDBOX_* variables the host hands it (the
// bridge passes them through unread). A wrong value stops the start with a message that names
// the variable.

/** The X-KONTUR-APIKEY the KCR sandbox accepts by default: a public development value that the real Kontur never accepts. */
export const DEFAULT_KCR_API_KEY = 'sandbox-kcr-api-key-0000-000000000000';

/** The client identity (certificate thumbprint) the cloud sandbox accepts by default, equally public. */
export const DEFAULT_CLOUD_CLIENT_THUMBPRINT = '0000000000000000000000000000000000000000';

/** The same client named by a GUID in the `certificate` parameter (one public client does so), equally public. */
export const DEFAULT_CLOUD_CLIENT_ID = '00000000-0000-0000-0000-000000000000';
/** The Реестро API key (a GUID, like Kontur's) and the organization it may act for, by default: public development values. */
export const DEFAULT_REESTRO_API_KEY = '5a4db0c5-0000-4000-8000-000000000001';
export const DEFAULT_REESTRO_ORG_ID = '5a4db0c5-0000-4000-8000-0000000000a1';

export interface SandboxConfig {
  /** The X-KONTUR-APIKEY the KCR sandbox accepts (SANDBOX_KCR_API_KEY). */
  kcrApiKey: string;
  /** How long an issue stays `actualized: false` after a change (SANDBOX_ACTUALIZATION_MS). */
  actualizationMs: number;
  /** How long the SMS code for the release statement stays valid (SANDBOX_KCR_SMS_CODE_TTL_MS). */
  kcrSmsCodeTtlMs: number;
  /** The operator approves valid issues and releases forwarded ones by itself (SANDBOX_AUTO_OPERATOR). */
  autoOperator: boolean;
  /** The client-certificate thumbprint the cloud-signature sandbox accepts (SANDBOX_CLOUD_CLIENT_THUMBPRINT). */
  cloudClientThumbprint: string;
  /** The GUID that names the same client in the `certificate` parameter (SANDBOX_CLOUD_CLIENT_ID), lowercase. */
  cloudClientId: string;
  /** How long a cloud signing operation waits for its SMS code before it expires (SANDBOX_CLOUD_CONFIRMATION_MS). */
  cloudConfirmationMs: number;
  /**
   * Where the cloud API is also served over GOST TLS with client certificates
   * (SANDBOX_CLOUD_GOST_TLS_PORT; 0 picks a free port; unset: not served).
   */
  cloudGostTlsPort: number | undefined;
  /** The address that GOST TLS port listens on (SANDBOX_CLOUD_GOST_TLS_HOST, default 127.0.0.1). */
  cloudGostTlsHost: string;
  /** The `apiKey` the Реестро sandbox accepts (SANDBOX_REESTRO_API_KEY), compared case-insensitively. */
  reestroApiKey: string;
  /** The organization (portal.orgid) that key may act for (SANDBOX_REESTRO_ORG_ID). */
  reestroOrganizationId: string;
  /** Where the mail catcher's SMTP server listens (SANDBOX_SMTP_PORT; 0, the default, picks a free port). */
  smtpPort: number;
  /** The address it listens on (SANDBOX_SMTP_HOST, default 127.0.0.1). */
  smtpHost: string;
  /** Validity of the certificates the CA releases, in days (SANDBOX_CERT_VALIDITY_DAYS; unset: a year, 455 days for not qualified ones). */
  certValidityDays: number | undefined;
}

export class SandboxConfigError extends Error {
  override readonly name = 'SandboxConfigError';

  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function readMilliseconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 3_600_000) {
    throw new SandboxConfigError(name, `must be a number of milliseconds from 0 to 3600000, got "${raw}"`);
  }
  return Number(raw);
}

function readSwitch(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new SandboxConfigError(name, `must be 1 or 0 (true or false), got "${env[name]}"`);
}

function readOptionalPort(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new SandboxConfigError(name, `must be a port number from 0 to 65535, got "${raw}"`);
  return Number(raw);
}

function readGuid(env: Env, name: string, fallback: string): string {
  const raw = (env[name] ?? '').trim().replace(/^\{(.*)\}$/, '$1');
  if (raw === '') return fallback;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)) throw new SandboxConfigError(name, `must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got "${env[name]}"`);
  return raw.toLowerCase();
}

function readDays(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 3650) throw new SandboxConfigError(name, `must be a number of days from 1 to 3650, got "${raw}"`);
  return Number(raw);
}

export function readSandboxConfig(env: Env): SandboxConfig {
  return {
    kcrApiKey: env.SANDBOX_KCR_API_KEY || DEFAULT_KCR_API_KEY,
    actualizationMs: readMilliseconds(env, 'SANDBOX_ACTUALIZATION_MS', 500),
    kcrSmsCodeTtlMs: readMilliseconds(env, 'SANDBOX_KCR_SMS_CODE_TTL_MS', 600_000),
    autoOperator: readSwitch(env, 'SANDBOX_AUTO_OPERATOR'),
    cloudClientThumbprint: (env.SANDBOX_CLOUD_CLIENT_THUMBPRINT || DEFAULT_CLOUD_CLIENT_THUMBPRINT).toUpperCase(),
    cloudClientId: readGuid(env, 'SANDBOX_CLOUD_CLIENT_ID', DEFAULT_CLOUD_CLIENT_ID),
    cloudConfirmationMs: readMilliseconds(env, 'SANDBOX_CLOUD_CONFIRMATION_MS', 300_000),
    cloudGostTlsPort: readOptionalPort(env, 'SANDBOX_CLOUD_GOST_TLS_PORT'),
    cloudGostTlsHost: env.SANDBOX_CLOUD_GOST_TLS_HOST || '127.0.0.1',
    reestroApiKey: readGuid(env, 'SANDBOX_REESTRO_API_KEY', DEFAULT_REESTRO_API_KEY),
    reestroOrganizationId: readGuid(env, 'SANDBOX_REESTRO_ORG_ID', DEFAULT_REESTRO_ORG_ID),
    smtpPort: readOptionalPort(env, 'SANDBOX_SMTP_PORT') ?? 0,
    smtpHost: env.SANDBOX_SMTP_HOST || '127.0.0.1',
    certValidityDays: readDays(env, 'SANDBOX_CERT_VALIDITY_DAYS'),
  };
}
