// Configuration from the environment. A wrong value stops the start with one line that
// names the variable, so an operator sees at once what to fix.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Unset: the embedded PGlite database under dataDir. */
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  logLevel: LogLevel;
  /** 32 bytes used for AES-256-GCM encryption of secrets at rest. */
  masterKey: Buffer;
  /**
   * The SANDBOX_* variables, handed unread to the built-in sandbox (src/sandbox), which checks
   * them itself: the bridge does not know the sandbox's settings.
   */
  sandboxEnv: Readonly<Record<string, string>>;
  /** Port of `kca sandbox` (the sandbox alone, SANDBOX_PORT). */
  sandboxPort: number;
  /** How often the KCR event poller asks for new issue events (ISSUE_EVENTS_POLL_MS). */
  issueEventsPollMs: number;
  /** How often forms waiting for the CA are checked at Реестро (REESTRO_FORMS_POLL_SECONDS). */
  reestroFormsPollSeconds: number;
  /** How often the certificate lifecycle is reconciled: expiry notices, renewals due and in progress (CERTIFICATE_RECONCILE_SECONDS). */
  certificateReconcileSeconds: number;
  /** Documents up to this size are uploaded to Kontur for signing; larger ones are signed by hash (SIGN_UPLOAD_MAX_BYTES). */
  signUploadMaxBytes: number;
  /**
   * Which proxies in front of the server are believed about the client's address, scheme and host
   * (X-Forwarded-For/-Proto/-Host; TRUST_PROXY): false, true (all), a number of hops, or addresses.
   */
  trustProxy: boolean | number | string[];
  /** Origins besides the server's own from which cookie-authenticated changes are accepted (ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  /** Limits on what sends SMS codes (see sms-limits.ts). */
  smsLimits: SmsLimits;
  /**
   * How long a running job's lease (and a signing operation's finishing lease) lives without a
   * heartbeat; a job whose worker died is taken over by another about 1.5 leases later (JOB_LEASE_SECONDS).
   */
  jobLeaseMs: number;
  /** The overall deadline of one operation that calls Kontur, retries and waits included (KONTUR_DEADLINE_MS). */
  konturDeadlineMs: number;
  /** Where people open the web client, for links in notification mails (PUBLIC_URL); unset: the address the server listens on. */
  publicUrl: string | undefined;
}

/** How many SMS codes may be asked for, so that nobody floods a phone or guesses codes by starting over. */
export interface SmsLimits {
  /** Signing operations waiting for a code at once, per signer and per document (SMS_LIMIT_OPEN_SIGN_OPERATIONS). */
  openSignOperations: number;
  /** Signing operations (each sends an SMS) started within an hour, per signer and per document (SMS_LIMIT_SIGN_PER_HOUR). */
  signPerHour: number;
  /** Release-statement codes asked for within an hour, per issue (SMS_LIMIT_STATEMENT_CODES_PER_HOUR). */
  statementCodesPerHour: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readPort(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(name, `must be a port number from 0 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function readMilliseconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 3_600_000) {
    throw new ConfigError(name, `must be a number of milliseconds from 0 to 3600000, got "${raw}"`);
  }
  return Number(raw);
}

function readSeconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 3600) {
    throw new ConfigError(name, `must be a number of seconds from 1 to 3600, got "${raw}"`);
  }
  return Number(raw);
}

function readByteCount(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 1024 * 1024 * 1024) {
    throw new ConfigError(name, `must be a number of bytes from 0 to 1073741824, got "${raw}"`);
  }
  return Number(raw);
}

function readCount(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) {
    throw new ConfigError(name, `must be a whole number from 1 to 1000, got "${raw}"`);
  }
  return Number(raw);
}

function readDeadline(env: Env): number {
  const raw = env.KONTUR_DEADLINE_MS;
  if (raw === undefined || raw === '') return 60_000;
  if (!/^\d+$/.test(raw) || Number(raw) < 1000 || Number(raw) > 600_000) {
    throw new ConfigError('KONTUR_DEADLINE_MS', `must be a number of milliseconds from 1000 to 600000, got "${raw}"`);
  }
  return Number(raw);
}

function readTrustProxy(env: Env): Config['trustProxy'] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) {
    if (Number(raw) > 10) throw new ConfigError('TRUST_PROXY', `a number of proxies must be from 0 to 10, got "${raw}"`);
    return Number(raw);
  }
  const addresses = raw.split(',').map((part) => part.trim()).filter(Boolean);
  for (const address of addresses) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(address)) {
      throw new ConfigError('TRUST_PROXY', `must be true, false, a number of proxies, or IP addresses/CIDR ranges separated by commas, got "${address}"`);
    }
  }
  return addresses;
}

function readAllowedOrigins(env: Env): string[] {
  const raw = (env.ALLOWED_ORIGINS ?? '').trim();
  if (raw === '') return [];
  return raw.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      throw new ConfigError('ALLOWED_ORIGINS', `"${part}" is not an origin such as https://kca.example.ru`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== part.replace(/\/$/, '')) {
      throw new ConfigError('ALLOWED_ORIGINS', `"${part}" is not an origin such as https://kca.example.ru (scheme, host and port only)`);
    }
    return url.origin;
  });
}

function readPublicUrl(env: Env): string | undefined {
  const raw = (env.PUBLIC_URL ?? '').trim();
  if (raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an http(s) address such as https://ca.example.ru, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new ConfigError('PUBLIC_URL', `must be an http(s) address without query or fragment, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

function readDatabaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL (expected postgres://user@host:5432/db)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql://, got "${url.protocol}"`);
  }
  return raw;
}

/** MASTER_KEY is 32 bytes as 64 hex characters or base64; without it a key is generated once into DATA_DIR. */
function readMasterKey(env: Env, dataDir: string): Buffer {
  const raw = env.MASTER_KEY;
  if (raw !== undefined && raw !== '') {
    const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (key.length !== 32) {
      throw new ConfigError('MASTER_KEY', 'must be 32 bytes: 64 hex characters or 44 base64 characters');
    }
    return key;
  }
  const path = join(dataDir, 'master.key');
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length !== 32) throw new ConfigError('MASTER_KEY', `the key file ${path} is damaged (expected 64 hex characters)`);
    return key;
  }
  const key = randomBytes(32);
  // 'wx' fails if another process created the file in the meantime; then read theirs.
  try {
    writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readMasterKey(env, dataDir);
    throw error;
  }
  return key;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.DATA_DIR || './data');
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ConfigError('DATA_DIR', `cannot create ${dataDir}: ${(error as Error).message}`);
  }
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters long');
  }
  const host = env.HOST || '127.0.0.1';
  return {
    port: readPort(env, 'PORT', 8080),
    host,
    dataDir,
    databaseUrl: readDatabaseUrl(env),
    adminPassword,
    logLevel,
    masterKey: readMasterKey(env, dataDir),
    sandboxEnv: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('SANDBOX_') && entry[1] !== undefined)),
    sandboxPort: readPort(env, 'SANDBOX_PORT', 9090),
    issueEventsPollMs: readMilliseconds(env, 'ISSUE_EVENTS_POLL_MS', 1000),
    reestroFormsPollSeconds: readSeconds(env, 'REESTRO_FORMS_POLL_SECONDS', 5),
    certificateReconcileSeconds: readSeconds(env, 'CERTIFICATE_RECONCILE_SECONDS', 60),
    signUploadMaxBytes: readByteCount(env, 'SIGN_UPLOAD_MAX_BYTES', 10 * 1024 * 1024),
    trustProxy: readTrustProxy(env),
    allowedOrigins: readAllowedOrigins(env),
    smsLimits: {
      openSignOperations: readCount(env, 'SMS_LIMIT_OPEN_SIGN_OPERATIONS', 3),
      signPerHour: readCount(env, 'SMS_LIMIT_SIGN_PER_HOUR', 10),
      statementCodesPerHour: readCount(env, 'SMS_LIMIT_STATEMENT_CODES_PER_HOUR', 5),
    },
    jobLeaseMs: readSeconds(env, 'JOB_LEASE_SECONDS', 30) * 1000,
    konturDeadlineMs: readDeadline(env),
    publicUrl: readPublicUrl(env),
  };
}
