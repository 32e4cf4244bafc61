// The GOST TLS tunnel's parts that need no running server: reading stunnel's log (lines recorded
// from real handshakes on Debian's stunnel4 5.68 with the GOST engine) into causes, the Russian
// error that names the Debian packages when stunnel or the engine is missing (up to the REST
// layer's 502), and the cloud client through a tunnel: no `certificate` parameter, the real
// server's Host header, and a call with no answer explained by the tunnel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { findGostTlsTools, GostTlsUnavailableError } from '../../src/crypto/gost-openssl.ts';
import { parseStunnelLine, stunnelConfig, type StunnelConnection } from '../../src/crypto/stunnel.ts';
import { GostTunnel, GostTunnelError, reportOf } from '../../src/kontur/gost-tunnel.ts';
import { CloudClient } from '../../src/kontur/cloud-client.ts';
import { CloudTunnelError } from '../../src/kontur/cloud-errors.ts';
import { HttpTransport } from '../../src/kontur/http-transport.ts';
import { serviceErrorOfCloud } from '../../src/services/cloud-failures.ts';
import { ServiceError } from '../../src/services/errors.ts';

const silent = pino({ level: 'silent' });
const target = { host: 'cloud.example.ru', port: 4443 };

function connection(lines: string[]): StunnelConnection {
  return { key: '1:0', peer: '127.0.0.1:41000', ended: true, lines: lines.map((line) => parseStunnelLine(line)!) };
}

describe('stunnel log', () => {
  it('reads timestamped lines and the lines printed while the configuration is read', () => {
    assert.deepEqual(parseStunnelLine('2026.12.02 04:45:23 LOG5[0]: Service [cloud] accepted connection from 127.0.0.1:37974'), {
      level: 5,
      connection: '0',
      text: 'Service [cloud] accepted connection from 127.0.0.1:37974',
    });
    assert.deepEqual(parseStunnelLine('[!] Configuration failed'), { level: 3, connection: 'config', text: 'Configuration failed' });
    assert.equal(parseStunnelLine('garbage'), undefined);
  });

  it('tells the cipher suite and the server certificate of a good handshake', () => {
    const report = reportOf(
      connection([
        '2026.12.02 04:46:31 LOG5[0]: Service [cloud] accepted connection from 127.0.0.1:41000',
        '2026.12.02 04:46:31 LOG6[0]: Certificate accepted at depth=1: C=RU, O=x, CN=Тестовый УЦ',
        '2026.12.02 04:46:31 LOG5[0]: Certificate accepted at depth=0: CN=localhost',
        '2026.12.02 04:46:31 LOG6[0]: TLSv1.2 ciphersuite: GOST2012-KUZNYECHIK-KUZNYECHIKOMAC (256-bit encryption)',
        '2026.12.02 04:46:31 LOG5[0]: Connection closed: 65 byte(s) sent to TLS, 1299 byte(s) sent to socket',
      ]),
      target,
    );
    assert.deepEqual(report, { protocol: 'TLSv1.2', cipher: 'GOST2012-KUZNYECHIK-KUZNYECHIKOMAC', serverSubject: 'CN=localhost' });
  });

  it('names a client certificate the server refused', () => {
    const report = reportOf(
      connection([
        '2026.12.02 04:45:28 LOG5[0]: Certificate accepted at depth=0: CN=server',
        '2026.12.02 04:45:28 LOG3[0]: SSL_connect: ../ssl/record/rec_layer_s3.c:1601: error:0A000412:SSL routines::sslv3 alert bad certificate',
      ]),
      { ...target, clientThumbprint: 'AB'.repeat(20) },
    );
    assert.equal(report.failure?.kind, 'client-certificate-rejected');
    assert.match(report.failure!.message, /отклонил клиентский сертификат ABAB.*alert bad certificate/);
  });

  it('names a server certificate that does not chain to a trusted root', () => {
    const report = reportOf(
      connection([
        '2026.12.02 04:46:41 LOG4[0]: CERT: Pre-verification error: unable to get local issuer certificate',
        '2026.12.02 04:46:41 LOG4[0]: Rejected by CERT at depth=0: CN=localhost',
        '2026.12.02 04:46:41 LOG3[0]: SSL_connect: ../ssl/statem/statem_clnt.c:1889: error:0A000086:SSL routines::certificate verify failed',
      ]),
      target,
    );
    assert.equal(report.failure?.kind, 'server-certificate-untrusted');
    assert.match(report.failure!.message, /cloud\.example\.ru:4443 не прошёл проверку: цепочка не доходит до доверенного корневого сертификата \(unable to get local issuer certificate\); отвергнут: CN=localhost/);
    assert.match(report.failure!.message, /Доверенные корневые сертификаты/);
  });

  it('names a server that cannot be reached', () => {
    const report = reportOf(
      connection([
        '2026.12.02 05:07:09 LOG3[0]: s_connect: connect 127.0.0.1:24999: Connection refused (111)',
        '2026.12.02 05:07:09 LOG3[0]: No more addresses to connect',
      ]),
      target,
    );
    assert.equal(report.failure?.kind, 'unreachable');
    assert.match(report.failure!.message, /Нет соединения с сервером облачной подписи cloud\.example\.ru:4443: connect 127\.0\.0\.1:24999: Connection refused/);
  });

  it('writes one option per line and refuses a value that would start another', () => {
    assert.equal(stunnelConfig({ foreground: 'yes' }, { svc: { accept: '127.0.0.1:1', ciphers: ['A', 'B'] } }), 'foreground = yes\n\n[svc]\naccept = 127.0.0.1:1\nciphers = A\nciphers = B\n');
    assert.throws(() => stunnelConfig({}, { svc: { cert: 'a\nexec = /bin/sh' } }), /one line/);
  });
});

describe('without stunnel or the GOST engine', () => {
  const missing = () => findGostTlsTools({ PATH: '/nonexistent', OPENSSL_ENGINES: '/nonexistent' });

  it('says in Russian which Debian packages to install', () => {
    assert.throws(missing, (error: unknown) => {
      assert.ok(error instanceof GostTlsUnavailableError);
      assert.deepEqual(error.packages, ['stunnel4', 'libengine-gost-openssl']);
      assert.match(error.message, /stunnel.*модуль ГОСТ для OpenSSL.*установите пакеты Debian stunnel4 и libengine-gost-openssl/);
      return true;
    });
  });

  it('a call through the tunnel fails with that message as a 502', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'kca-tunnel-'));
    const tunnel = new GostTunnel({ runDir, logger: silent, findTools: missing });
    try {
      await assert.rejects(tunnel.endpoint({ ...target, certificatePem: '', privateKeyPem: '', trustedRootsPem: [] }), (error: unknown) => {
        assert.ok(error instanceof GostTunnelError);
        assert.equal(error.failure, 'unavailable');
        assert.equal(error.requestSent, false);
        return true;
      });
      const cloud = new CloudClient(
        new HttpTransport(silent),
        async () => {
          await tunnel.endpoint({ ...target, certificatePem: '', privateKeyPem: '', trustedRootsPem: [] });
          throw new Error('unreachable');
        },
        silent,
      );
      const failure = await cloud.getStatus('x').catch((error: unknown) => error);
      assert.ok(failure instanceof CloudTunnelError);
      assert.equal(failure.outcomeUnknown, false);
      const service = serviceErrorOfCloud(failure);
      assert.ok(service instanceof ServiceError);
      assert.equal(service.status, 502);
      assert.equal(service.code, 'gost-tunnel-unavailable');
      assert.match(service.message, /stunnel4/);
    } finally {
      await tunnel.stop();
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});

describe('the cloud client through a tunnel', () => {
  let server: Server;
  let port: number;
  const seen: IncomingMessage[] = [];
  before(async () => {
    server = createServer((request, response) => {
      seen.push(request);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"OperationStatus":2,"FileStatuses":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => server.close());

  it('is identified by its TLS certificate alone: no certificate parameter, the real Host', async () => {
    const cloud = new CloudClient(
      new HttpTransport(silent),
      async () => ({ address: `http://127.0.0.1:${port}/v3/`, clientThumbprint: 'AB'.repeat(20), timeoutMs: 2000, tunnel: { host: 'cloud.example.ru:4443', explain: async () => undefined } }),
      silent,
    );
    await cloud.getStatus('op-1');
    const request = seen.at(-1)!;
    assert.equal(request.url, '/v3/GetStatus?operationId=op-1');
    assert.equal(request.headers.host, 'cloud.example.ru:4443');
  });

  it('without a tunnel sends the parameter, as before', async () => {
    const cloud = new CloudClient(new HttpTransport(silent), async () => ({ address: `http://127.0.0.1:${port}/v3/`, clientThumbprint: 'CD'.repeat(20), timeoutMs: 2000 }), silent);
    await cloud.getStatus('op-2');
    assert.equal(seen.at(-1)!.url, `/v3/GetStatus?certificate=${'CD'.repeat(20)}&operationId=op-2`);
  });

  it('a call the tunnel could not carry is explained by the tunnel (and known not to have been sent)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const cloud = new CloudClient(
      new HttpTransport(silent, { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, retryStatuses: [] }),
      async () => ({
        address: `http://127.0.0.1:${closedPort}/v3/`,
        clientThumbprint: 'AB'.repeat(20),
        timeoutMs: 2000,
        tunnel: { host: 'cloud.example.ru', explain: async (localPort, refused) => new GostTunnelError('not-running', `туннель не работает (порт ${localPort ?? 'нет'}, ${refused ? 'отказ в соединении' : '?'})`, false) },
      }),
      silent,
    );
    const failure = await cloud.sign({ Thumbprint: 'x' } as never).catch((error: unknown) => error);
    assert.ok(failure instanceof CloudTunnelError);
    assert.equal(failure.failure, 'not-running');
    assert.equal(failure.status, 502);
    assert.equal(failure.outcomeUnknown, false);
    assert.match(failure.message, /туннель не работает \(порт \d+, отказ в соединении\)/);
  });
});
