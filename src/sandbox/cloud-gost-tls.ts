// The cloud API over GOST TLS (SANDBOX_CLOUD_GOST_TLS_PORT), as Kontur's production service
// serves it: TLS 1.2 with GOST cipher suites, a GOST server certificate issued by the sandbox CA,
// a client certificate required, and the client identified by that certificate alone (no
// `certificate` query parameter needed). Paths are the real host's: https://HOST:PORT/v3/Sign.
//
// Node cannot speak GOST TLS, so stunnel does (src/crypto/stunnel.ts, Debian's stunnel4 with the
// OpenSSL GOST engine). stunnel forwards plain bytes and does not tell the backend which
// certificate the client presented, so the sandbox lets it accept exactly one: its service is
// pinned to the sandbox's client certificate (`verifyPeer` with that certificate alone as CAfile:
// a handshake with any other certificate fails, even one of the sandbox CA), and it forwards to a
// Unix socket in a directory only this process's user can enter. Whatever arrives on that socket
// was sent by the holder of that certificate's key, and is identified by its thumbprint. The
// client certificate is made by the sandbox CA on first use and kept (its key sealed) in the
// sandbox's CA table; the console hands it out (GET /sandbox/console/cloud/gost-tls) to be loaded
// into the bridge's certificate store. The server certificate is issued anew at each start for
// the names the port is reached by.
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, isIP } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { SandboxDb } from './store/database.ts';
import { sandboxCa } from './store/schema.ts';
import type { SandboxCa } from './ca.ts';
import type { SandboxConfig } from './config.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { der } from '../crypto/der.ts';
import { OID } from '../crypto/oids.ts';
import { generateKeyPair } from '../crypto/gost3410.ts';
import { encodePrivateKeyInfo, exportPrivateKeyPem, parsePrivateKeyInfo } from '../crypto/keys.ts';
import { certificateThumbprint, certificateToPem, issueEndEntityCertificate, parseCertificate, type Certificate } from '../crypto/x509.ts';
import { findGostTlsTools, GOST_TLS_CIPHERS, gostOpensslConfig, removeStaleRunDirectories, stunnelConfig, SupervisedStunnel } from '../crypto/stunnel.ts';

const CLIENT_ROW = 'cloud-gost-tls-client';
const CLIENT_KEY_AAD = 'sandbox-cloud-gost-tls-client-key';
const SERVICE = 'sandbox-cloud-gost-tls';
/** Longest Unix socket path Linux accepts. */
const MAX_SOCKET_PATH = 107;
/** Longer than any client's idle keep-alive (the bridge closes idle connections after 30 s), so a reused connection is never closed under it. */
const BACKEND_KEEP_ALIVE_MS = 75_000;

/** Requests that came through the GOST TLS front, with the thumbprint of the client certificate that sent them. */
const identified = new WeakMap<IncomingMessage, string>();

/** The client a request came from when it arrived over GOST TLS; undefined for plain HTTP. */
export function gostTlsClientOf(request: IncomingMessage): string | undefined {
  return identified.get(request);
}

export interface GostTlsClientCertificate {
  thumbprint: string;
  certificatePem: string;
  privateKeyPem: string;
}

export interface GostTlsInfo {
  enabled: boolean;
  /** https://HOST:PORT/v3/ while enabled. */
  address?: string;
  host?: string;
  port?: number;
  ciphers: readonly string[];
  state?: string;
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** subjectAltName with the names and addresses the port is reached by. */
function subjectAltName(names: string[]): Uint8Array {
  const entries = [...new Set(names)].map((name) => {
    if (isIP(name) === 4) return der.implicitPrimitive(7, new Uint8Array(name.split('.').map(Number)));
    if (isIP(name) === 6) return der.implicitPrimitive(7, ipv6Bytes(name));
    return der.implicitPrimitive(2, new Uint8Array(Buffer.from(name, 'ascii')));
  });
  return der.sequence(...entries);
}

function ipv6Bytes(address: string): Uint8Array {
  const [head, tail = ''] = address.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array(address.includes('::') ? missing : 0).fill('0'), ...groups(tail)];
  return new Uint8Array(all.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
}

export class CloudGostTlsFront {
  private supervisor: SupervisedStunnel | undefined;
  private backend: Server | undefined;
  private dir: string | undefined;
  private port: number | undefined;
  private client: Promise<GostTlsClientCertificate> | undefined;
  /** The thumbprint of the client certificate, once it is loaded (at start). */
  clientThumbprint: string | undefined;

  constructor(
    private readonly db: SandboxDb,
    private readonly secrets: SecretBox,
    private readonly ca: SandboxCa,
    private readonly config: SandboxConfig,
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.config.cloudGostTlsPort !== undefined;
  }

  info(): GostTlsInfo {
    if (!this.enabled || this.port === undefined) return { enabled: false, ciphers: GOST_TLS_CIPHERS };
    const host = this.config.cloudGostTlsHost;
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return {
      enabled: true,
      address: `https://${shown.includes(':') ? `[${shown}]` : shown}:${this.port}/v3/`,
      host,
      port: this.port,
      ciphers: GOST_TLS_CIPHERS,
      state: this.supervisor?.state,
    };
  }

  /** The only client certificate the GOST TLS port accepts, made on first use and kept. */
  clientCertificate(): Promise<GostTlsClientCertificate> {
    this.client ??= this.loadOrCreateClient().then(
      (client) => {
        this.clientThumbprint = client.thumbprint;
        return client;
      },
      (error) => {
        this.client = undefined;
        throw error;
      },
    );
    return this.client;
  }

  /** Serves `app`'s cloud routes over GOST TLS; throws (in Russian) when stunnel or the GOST engine is missing. */
  async start(app: FastifyInstance): Promise<void> {
    if (!this.enabled) return;
    const tools = findGostTlsTools();
    const client = await this.clientCertificate();
    const host = this.config.cloudGostTlsHost;
    this.port = this.config.cloudGostTlsPort || (await freePort(host));
    const runDir = join(this.dataDir, 'run');
    removeStaleRunDirectories(runDir, 'sandbox-gost-tls-');
    let dir = join(runDir, `sandbox-gost-tls-${process.pid}`);
    if (join(dir, 'backend.sock').length > MAX_SOCKET_PATH) dir = mkdtempSync(join(tmpdir(), 'kca-sandbox-tls-'));
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const socketPath = join(dir, 'backend.sock');
    rmSync(socketPath, { force: true });

    this.backend = createHttpServer({ keepAliveTimeout: BACKEND_KEEP_ALIVE_MS }, (request, response) => {
      const url = request.url ?? '/';
      if (url !== '/v3' && !url.startsWith('/v3/') && !url.startsWith('/v3?')) {
        response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ Code: 'NotFound', Message: 'Only /v3/ is served here' }));
        return;
      }
      request.url = `/sandbox/cloud${url}`;
      identified.set(request, client.thumbprint);
      app.routing(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      this.backend!.once('error', reject);
      this.backend!.listen(socketPath, () => resolve());
    });

    const { certificate: root, key: rootKey } = await this.ca.issuer();
    const names = ['localhost', '127.0.0.1', '::1', hostname(), ...(host === '0.0.0.0' || host === '::' ? [] : [host])];
    const serverPair = generateKeyPair('cryptopro-A');
    const serverCertificate = issueEndEntityCertificate({
      subject: { CN: host === '0.0.0.0' || host === '::' ? 'localhost' : host, O: 'Kontur CA Bridge sandbox' },
      publicKey: serverPair.publicKey,
      issuerCertificate: root,
      issuerPrivateKey: rootKey,
      validDays: 365,
      keyUsage: ['digitalSignature', 'keyEncipherment', 'keyAgreement'],
      extendedKeyUsage: [OID.ekuServerAuth],
      extraExtensions: [{ oid: OID.subjectAltName, critical: false, value: subjectAltName(names) }],
    });
    const keyPath = join(dir, 'server.key');
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text, { mode: 0o600 });
    this.supervisor = new SupervisedStunnel({
      tools: { ...tools, env: { ...tools.env, OPENSSL_CONF: join(dir, 'openssl.cnf') } },
      name: SERVICE,
      log: this.logger,
      prepare: async () => {
        write('openssl.cnf', gostOpensslConfig());
        write('server.pem', certificateToPem(serverCertificate) + certificateToPem(root));
        write('server.key', exportPrivateKeyPem(serverPair.privateKey));
        write('client.pem', client.certificatePem);
        write(
          'stunnel.conf',
          stunnelConfig(
            { foreground: 'yes', pid: '', syslog: 'no', debug: 'info' },
            {
              [SERVICE]: {
                accept: `${host}:${this.port}`,
                connect: socketPath,
                cert: join(dir, 'server.pem'),
                key: keyPath,
                // Pinned: only the sandbox's client certificate gets through (see the top of this file).
                CAfile: join(dir, 'client.pem'),
                verifyPeer: 'yes',
                sslVersion: 'TLSv1.2',
                ciphers: GOST_TLS_CIPHERS.join(':'),
              },
            },
          ),
        );
        return join(dir, 'stunnel.conf');
      },
      loaded: () => rmSync(keyPath, { force: true }),
      cleanup: () => {
        for (const name of ['server.key', 'stunnel.conf']) rmSync(join(dir, name), { force: true });
      },
    });
    try {
      await this.supervisor.start();
    } catch (error) {
      await this.stop();
      throw new Error(`Песочница не смогла открыть порт ГОСТ TLS ${host}:${this.config.cloudGostTlsPort} (SANDBOX_CLOUD_GOST_TLS_PORT): ${(error as Error).message}`);
    }
    this.logger.info({ address: this.info().address, clientThumbprint: client.thumbprint }, 'sandbox: cloud signature over GOST TLS');
  }

  async stop(): Promise<void> {
    await this.supervisor?.stop();
    this.supervisor = undefined;
    if (this.backend) {
      const backend = this.backend;
      this.backend = undefined;
      await new Promise<void>((resolve) => {
        backend.close(() => resolve());
        backend.closeAllConnections();
      });
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private async loadOrCreateClient(): Promise<GostTlsClientCertificate> {
    const read = async () => {
      const [row] = await this.db.select().from(sandboxCa).where(eq(sandboxCa.name, CLIENT_ROW));
      if (!row) return undefined;
      const certificate = parseCertificate(new Uint8Array(row.certificateDer));
      return this.describe(certificate, exportPrivateKeyPem(parsePrivateKeyInfo(this.secrets.open(row.keySealed, CLIENT_KEY_AAD))));
    };
    const existing = await read();
    if (existing) return existing;
    const { certificate: root, key: rootKey } = await this.ca.issuer();
    const pair = generateKeyPair('cryptopro-A');
    const certificate = issueEndEntityCertificate({
      subject: { CN: 'Клиент облачной подписи песочницы', O: 'Kontur CA Bridge sandbox', C: 'RU' },
      publicKey: pair.publicKey,
      issuerCertificate: root,
      issuerPrivateKey: rootKey,
      validDays: 1825,
      keyUsage: ['digitalSignature', 'keyEncipherment', 'keyAgreement'],
      extendedKeyUsage: [OID.ekuClientAuth],
    });
    // Another process may have made one meanwhile: the first row wins and everyone reads it.
    await this.db
      .insert(sandboxCa)
      .values({ name: CLIENT_ROW, keySealed: this.secrets.seal(Buffer.from(encodePrivateKeyInfo(pair.privateKey)), CLIENT_KEY_AAD), certificateDer: Buffer.from(certificate.der) })
      .onConflictDoNothing();
    return (await read())!;
  }

  private describe(certificate: Certificate, privateKeyPem: string): GostTlsClientCertificate {
    return { thumbprint: certificateThumbprint(certificate), certificatePem: certificateToPem(certificate), privateKeyPem };
  }
}
