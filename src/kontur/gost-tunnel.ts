// The tunnel to Kontur's cloud signature API over GOST TLS: a stunnel in client mode
// (src/crypto/stunnel.ts) that listens on a loopback port of its own and opens a GOST TLS
// connection to the Crypto API for every connection the cloud client makes, presenting the client
// certificate and checking the server's certificate against the trusted roots and the host name.
// The cloud client speaks plain HTTP to that port.
//
// Its files live in DATA_DIR/run/gost-tunnel-<pid> (mode 0700, files 0600): the configuration,
// the client certificate, the trusted roots, and the client's private key only until stunnel has
// read it (then it is deleted; it is written again for a restart). Everything is removed when the
// tunnel stops. The tunnel is re-created when its target changes (address, client certificate or
// its key, trusted roots), restarted when it dies (a bounded number of times, logged), and
// explains a failed connection from its log: which connection it was is known from the local
// port stunnel logs as the connection's origin.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isIP, createServer } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  findGostTlsTools,
  GOST_TLS_CIPHERS,
  gostOpensslConfig,
  GostTlsUnavailableError,
  removeStaleRunDirectories,
  StunnelStartError,
  stunnelConfig,
  SupervisedStunnel,
  type GostTlsTools,
  type RestartPolicy,
  type StunnelConnection,
} from '../crypto/stunnel.ts';

export interface GostTunnelTarget {
  /** The Crypto API's host and port (from its https address). */
  host: string;
  port: number;
  /** The client certificate (PEM, possibly followed by its chain) and its private key (PEM). */
  certificatePem: string;
  privateKeyPem: string;
  /** Roots the server's certificate must chain to (PEM each). */
  trustedRootsPem: string[];
}

export type GostTunnelFailure =
  | 'unavailable'
  | 'start-failed'
  | 'not-running'
  | 'unreachable'
  | 'server-certificate-untrusted'
  | 'client-certificate-rejected'
  | 'handshake-failed';

/** The tunnel cannot carry a call; `message` is in Russian and names the cause. */
export class GostTunnelError extends Error {
  constructor(
    readonly failure: GostTunnelFailure,
    message: string,
    /** The request may have reached the server (false: it certainly did not). */
    readonly requestSent: boolean,
  ) {
    super(message);
  }
}

/** What the tunnel's log says about one connection. */
export interface TunnelConnectionReport {
  protocol?: string;
  cipher?: string;
  /** Subject of the server's certificate as stunnel printed it. */
  serverSubject?: string;
  failure?: { kind: GostTunnelFailure; message: string };
}

export interface GostTunnelOptions {
  /** DATA_DIR/run: the tunnel makes its own directory inside. */
  runDir: string;
  logger: Logger;
  /** Finds stunnel and the GOST engine (tests pass another PATH). */
  findTools?: () => GostTlsTools;
  restart?: RestartPolicy;
  /** Seconds stunnel waits for the TCP connection to the server. */
  connectTimeoutSeconds?: number;
}

const SERVICE = 'kontur-cloud';
const TOOLS_RECHECK_MS = 30_000;
const PORT_ATTEMPTS = 3;

function fingerprintOf(target: GostTunnelTarget): string {
  return createHash('sha256').update(JSON.stringify([target.host, target.port, target.certificatePem, target.privateKeyPem, target.trustedRootsPem])).digest('hex');
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Russian words for OpenSSL's certificate verification errors that a user is likely to meet. */
function verifyReason(reason: string): string {
  const known: [RegExp, string][] = [
    [/unable to get local issuer certificate|unable to get issuer certificate/i, 'цепочка не доходит до доверенного корневого сертификата'],
    [/self-signed certificate/i, 'самоподписанный сертификат не входит в доверенные'],
    [/certificate has expired/i, 'срок действия сертификата истёк'],
    [/certificate is not yet valid/i, 'срок действия сертификата ещё не начался'],
    [/certificate signature failure/i, 'подпись сертификата неверна'],
    [/certificate revoked/i, 'сертификат отозван'],
  ];
  const match = known.find(([pattern]) => pattern.test(reason));
  return match ? `${match[1]} (${reason})` : reason;
}

/** Reads a connection's log lines into what happened (client mode). */
export function reportOf(connection: StunnelConnection, target: { host: string; port: number; clientThumbprint?: string }): TunnelConnectionReport {
  const report: TunnelConnectionReport = {};
  const where = `${target.host}:${target.port}`;
  let verifyError: string | undefined;
  let rejectedSubject: string | undefined;
  for (const { text } of connection.lines) {
    let match: RegExpExecArray | null;
    if ((match = /^(TLSv[\d.]+) ciphersuite: (\S+)/.exec(text))) {
      report.protocol = match[1];
      report.cipher = match[2];
    } else if ((match = /^Certificate accepted at depth=0: (.*)$/.exec(text))) {
      report.serverSubject = match[1];
    } else if ((match = /^CERT: Pre-verification error: (.*)$/.exec(text))) {
      verifyError = match[1];
    } else if ((match = /^Rejected by CERT at depth=\d+: (.*)$/.exec(text))) {
      rejectedSubject = match[1];
    } else if (/^CERT: (No matching host name found|Host name .* not matched|IP address .* not matched|Subject checks failed)/i.test(text)) {
      verifyError ??= `имя сервера ${target.host} не совпадает с сертификатом`;
    } else if ((match = /^s_connect: (connect .*|s_poll_wait .*)$/.exec(text)) || (match = /^(Error resolving .*|No host resolved.*)$/.exec(text))) {
      report.failure ??= { kind: 'unreachable', message: `Нет соединения с сервером облачной подписи ${where}: ${match[1]}` };
    } else if ((match = /^SSL_connect: .*(?:error:[0-9A-F]+:SSL routines::|: )(.+)$/.exec(text))) {
      const detail = match[1];
      if (/certificate verify failed/i.test(detail)) {
        report.failure = {
          kind: 'server-certificate-untrusted',
          message: `Сертификат сервера облачной подписи ${where} не прошёл проверку: ${verifyReason(verifyError ?? detail)}${rejectedSubject ? `; отвергнут: ${rejectedSubject}` : ''}. Добавьте корневой сертификат его УЦ в доверенные (Настройки → Доверенные корневые сертификаты)`,
        };
      } else if (/alert (bad certificate|certificate required|unknown ca|certificate unknown|unsupported certificate|access denied|certificate revoked|certificate expired)/i.test(detail)) {
        report.failure = {
          kind: 'client-certificate-rejected',
          message: `Сервер облачной подписи ${where} отклонил клиентский сертификат${target.clientThumbprint ? ` ${target.clientThumbprint}` : ''} (CryptoAuthenticationCertificateThumbprint): ${detail}`,
        };
      } else {
        report.failure = { kind: 'handshake-failed', message: `Рукопожатие ГОСТ TLS с ${where} не удалось: ${detail}` };
      }
    } else if (/^SSL_connect: /.test(text) && !report.failure) {
      report.failure = { kind: 'handshake-failed', message: `Рукопожатие ГОСТ TLS с ${where} не удалось: сервер закрыл соединение (${text.replace(/^SSL_connect: /, '')})` };
    }
  }
  return report;
}

export class GostTunnel {
  private supervisor: SupervisedStunnel | undefined;
  private fingerprint: string | undefined;
  private target: GostTunnelTarget | undefined;
  private clientThumbprint: string | undefined;
  private port: number | undefined;
  private tools: { value?: GostTlsTools; error?: GostTlsUnavailableError; at: number } | undefined;
  private changing: Promise<unknown> = Promise.resolve();
  private readonly dir: string;

  constructor(private readonly options: GostTunnelOptions) {
    this.dir = join(options.runDir, `gost-tunnel-${process.pid}`);
    removeStaleRunDirectories(options.runDir, 'gost-tunnel-');
  }

  /** The local port of a running tunnel to `target`: started, or re-created when the target changed. */
  endpoint(target: GostTunnelTarget, clientThumbprint?: string): Promise<{ port: number }> {
    const run = this.changing.then(() => this.ensure(target, clientThumbprint));
    this.changing = run.catch(() => undefined);
    return run;
  }

  /** What the tunnel logged about the connection from `localPort`, once it is settled (or after `waitMs`). */
  async report(localPort: number, waitMs: number, until: 'handshake' | 'end' = 'end'): Promise<TunnelConnectionReport | undefined> {
    const supervisor = this.supervisor;
    const target = this.target;
    if (!supervisor || !target) return undefined;
    const connection = await supervisor.connectionFrom(`127.0.0.1:${localPort}`, waitMs, (c) => {
      if (c.ended) return true;
      const report = reportOf(c, target);
      return until === 'handshake' && (!!report.cipher || !!report.failure);
    });
    return connection && reportOf(connection, { ...target, clientThumbprint: this.clientThumbprint });
  }

  /**
   * Why a call through the tunnel failed with no answer: `localPort` is the port of the call's
   * connection to the tunnel (undefined when it never connected). Undefined when the tunnel's log
   * says nothing wrong (an ordinary network failure).
   */
  async explain(localPort: number | undefined, refused: boolean, waitMs = 2_000): Promise<GostTunnelError | undefined> {
    // Nobody listens on the tunnel's port: stunnel is gone (its exit may not have been noticed yet).
    if (refused) return this.notRunning(false);
    if (localPort !== undefined) {
      const report = await this.report(localPort, waitMs);
      if (report?.failure) return new GostTunnelError(report.failure.kind, report.failure.message, false);
    }
    if (this.supervisor && this.supervisor.state !== 'running') return this.notRunning(true);
    return undefined;
  }

  /** State for the connection check and the tests. */
  status(): { state: string; pid?: number; port?: number; lastExit?: { code: number | null; signal: string | null; at: Date } } {
    const supervisor = this.supervisor;
    return {
      state: supervisor?.state ?? 'stopped',
      pid: supervisor?.pid,
      port: supervisor?.state === 'running' ? this.port : undefined,
      lastExit: supervisor?.lastExit && { code: supervisor.lastExit.code, signal: supervisor.lastExit.signal, at: supervisor.lastExit.at },
    };
  }

  async stop(): Promise<void> {
    await this.changing;
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    this.fingerprint = undefined;
    await supervisor?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private findTools(): GostTlsTools {
    const now = Date.now();
    if (!this.tools || (this.tools.error && now - this.tools.at > TOOLS_RECHECK_MS)) {
      try {
        this.tools = { value: (this.options.findTools ?? findGostTlsTools)(), at: now };
      } catch (error) {
        if (!(error instanceof GostTlsUnavailableError)) throw error;
        this.tools = { error, at: now };
      }
    }
    if (this.tools.error) throw new GostTunnelError('unavailable', this.tools.error.message, false);
    return this.tools.value!;
  }

  private async ensure(target: GostTunnelTarget, clientThumbprint?: string): Promise<{ port: number }> {
    const tools = this.findTools();
    const fingerprint = fingerprintOf(target);
    this.clientThumbprint = clientThumbprint;
    if (fingerprint !== this.fingerprint) {
      if (this.supervisor) this.options.logger.info({ tunnel: SERVICE }, 'the GOST TLS tunnel is re-created: its address, client certificate or trusted roots changed');
      await this.supervisor?.stop();
      this.target = target;
      this.fingerprint = fingerprint;
      this.supervisor = this.createSupervisor(tools, target);
      await this.startWithFreePort();
      return { port: this.port! };
    }
    const supervisor = this.supervisor!;
    if (supervisor.state === 'running') return { port: this.port! };
    if (supervisor.state === 'restarting') throw this.notRunning(false);
    // Stopped after too many exits, or a start failed: one new attempt per call, at most every window.
    if (supervisor.gaveUpAt && Date.now() - supervisor.gaveUpAt.getTime() < (this.options.restart?.windowMs ?? 60_000)) throw this.notRunning(false);
    await this.startWithFreePort();
    return { port: this.port! };
  }

  private async startWithFreePort(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.supervisor!.start();
        this.options.logger.info({ tunnel: SERVICE, pid: this.supervisor!.pid, port: this.port, server: `${this.target!.host}:${this.target!.port}` }, 'GOST TLS tunnel started');
        return;
      } catch (error) {
        if (error instanceof StunnelStartError && error.addressInUse && attempt < PORT_ATTEMPTS) continue;
        const message = error instanceof Error ? error.message : String(error);
        this.options.logger.error({ tunnel: SERVICE, error: message }, 'GOST TLS tunnel could not start');
        if (/no cipher match|could not load the shared library/i.test(message)) {
          throw new GostTunnelError('unavailable', `ГОСТ-туннель не запустился: OpenSSL не загрузил модуль ГОСТ (${message}). Установите пакет Debian libengine-gost-openssl`, false);
        }
        throw new GostTunnelError('start-failed', `ГОСТ-туннель (stunnel) не запустился: ${message}`, false);
      }
    }
  }

  private notRunning(requestSent: boolean): GostTunnelError {
    const supervisor = this.supervisor;
    const exit = supervisor?.lastExit;
    const how = exit ? (exit.signal ? `получил сигнал ${exit.signal}` : `завершился с кодом ${exit.code}`) : 'не запущен';
    const last = exit?.errors.at(-1) ? `; последняя ошибка: ${exit.errors.at(-1)}` : '';
    const next =
      supervisor?.state === 'restarting' && supervisor.restartAt
        ? `; перезапуск через ${Math.max(1, Math.ceil((supervisor.restartAt.getTime() - Date.now()) / 1000))} с`
        : supervisor?.gaveUpAt
          ? '; перезапуски исчерпаны, следующая попытка при следующем обращении через минуту'
          : '';
    return new GostTunnelError('not-running', `ГОСТ-туннель к облачной подписи не работает: процесс stunnel ${how}${last}${next}`, requestSent);
  }

  private createSupervisor(tools: GostTlsTools, target: GostTunnelTarget): SupervisedStunnel {
    const dir = this.dir;
    const keyPath = join(dir, 'client.key');
    const logger = this.options.logger;
    return new SupervisedStunnel({
      tools: { ...tools, env: { ...tools.env, OPENSSL_CONF: join(dir, 'openssl.cnf') } },
      name: SERVICE,
      log: logger,
      restart: this.options.restart,
      prepare: async () => {
        this.port = await freeLoopbackPort();
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        chmodSync(dir, 0o700);
        const write = (name: string, text: string) => writeFileSync(join(dir, name), text, { mode: 0o600 });
        write('openssl.cnf', gostOpensslConfig());
        write('client.pem', target.certificatePem.trim() + '\n');
        write('client.key', target.privateKeyPem.trim() + '\n');
        write('trusted.pem', target.trustedRootsPem.map((pem) => pem.trim()).join('\n') + '\n');
        const ip = isIP(target.host) !== 0;
        write(
          'stunnel.conf',
          stunnelConfig(
            { foreground: 'yes', pid: '', syslog: 'no', debug: 'info' },
            {
              [SERVICE]: {
                client: 'yes',
                accept: `127.0.0.1:${this.port}`,
                connect: `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`,
                // The server's name is looked up at each connection, not once at start.
                delay: 'yes',
                sni: ip ? '' : target.host,
                cert: join(dir, 'client.pem'),
                key: keyPath,
                CAfile: join(dir, 'trusted.pem'),
                verifyChain: 'yes',
                ...(ip ? { checkIP: target.host } : { checkHost: target.host }),
                sslVersion: 'TLSv1.2',
                ciphers: GOST_TLS_CIPHERS.join(':'),
                TIMEOUTconnect: this.options.connectTimeoutSeconds ?? 10,
              },
            },
          ),
        );
        return join(dir, 'stunnel.conf');
      },
      // stunnel holds the key in memory from here on: the file goes at once.
      loaded: () => rmSync(keyPath, { force: true }),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    });
  }
}
