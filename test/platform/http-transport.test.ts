// The outbound HTTP transport (Kontur clients, webhooks) against local servers: the TLS client
// certificate on https (PEM pair and PFX), kept-alive connections, the deadline of a call and
// what it says about whether the call may have been carried out, broken and oversized answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEFAULT_RETRY_POLICY, HttpTransport, TransportError, type OutboundRequest } from '../../src/kontur/http-transport.ts';

const silent = pino({ level: 'silent' });
const once = { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function get(baseUrl: string, path = 'x', timeoutMs = 2000): OutboundRequest {
  return { method: 'GET', baseUrl, path, timeoutMs, repeatable: false, operation: 'test' };
}

/** A self-signed certificate and its key (PEM) made by the openssl command line. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

describe('outbound HTTP transport', () => {
  describe('over https with a client certificate', () => {
    let dir: string;
    let server: ReturnType<typeof createHttpsServer>;
    let base: string;
    let client: { cert: string; key: string };
    let pfx: Buffer;
    /** The test server's self-signed certificate, trusted by the transports that should get through. */
    let serverCa: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kca-transport-'));
      const serverIdentity = selfSigned(dir, 'server');
      client = selfSigned(dir, 'bridge-client');
      execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'bridge-client.crt'), '-inkey', join(dir, 'bridge-client.key'), '-passout', 'pass:secret-1', '-out', join(dir, 'client.pfx')], { stdio: 'ignore' });
      pfx = readFileSync(join(dir, 'client.pfx'));
      server = createHttpsServer({ ...serverIdentity, ca: [client.cert], requestCert: true, rejectUnauthorized: true }, (request, response) => {
        const peer = (request.socket as TLSSocket).getPeerCertificate();
        response.end(JSON.stringify({ clientCn: peer.subject?.CN }));
      });
      base = `https://127.0.0.1:${await listen(server)}/`;
      serverCa = readFileSync(join(dir, 'server.crt'), 'utf8');
    });
    after(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('presents a PEM pair or a PFX as the TLS client certificate', async () => {
      for (const tls of [client, { pfx, passphrase: 'secret-1' }]) {
        const transport = new HttpTransport(silent, once, { tls, trustedCa: [serverCa] });
        const response = await transport.request(get(base));
        assert.equal(response.status, 200);
        assert.deepEqual(JSON.parse(response.body.toString()), { clientCn: 'bridge-client' });
        await transport.close();
      }
    });

    it('without a client certificate the server refuses the handshake: not carried out', async () => {
      const transport = new HttpTransport(silent, once, { trustedCa: [serverCa] });
      await assert.rejects(transport.request(get(base)), (error) => error instanceof TransportError && error.kind === 'network');
      await transport.close();
    });

    it('refuses a server certificate nobody trusts, before sending anything', async () => {
      const transport = new HttpTransport(silent, once, { tls: client });
      await assert.rejects(transport.request(get(base)), (error) => error instanceof TransportError && error.kind === 'network' && !error.mayHaveBeenProcessed);
      await transport.close();
    });
  });

  describe('over http', () => {
    let server: Server;
    let base: string;
    let handler: (request: IncomingMessage, response: ServerResponse) => void;
    const connections: number[] = [];

    before(async () => {
      server = createHttpServer((request, response) => handler(request, response));
      server.on('connection', () => connections.push(Date.now()));
      base = `http://127.0.0.1:${await listen(server)}/api/`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    it('sends the body with its length and keeps one connection alive across calls', async () => {
      const bodies: string[] = [];
      handler = (request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          bodies.push(`${request.method} ${request.url} ${request.headers['content-length']} ${body}`);
          response.end('ok');
        });
      };
      connections.length = 0;
      const transport = new HttpTransport(silent, once);
      for (let i = 0; i < 3; i++) {
        const response = await transport.request({ ...get(base, '/Sign'), method: 'POST', query: { operationId: 'op 1', tag: ['a', 'b'] }, body: `{"n":${i}}` });
        assert.equal(response.body.toString(), 'ok');
      }
      assert.deepEqual(bodies, [0, 1, 2].map((i) => `POST /api/Sign?operationId=op+1&tag=a&tag=b 7 {"n":${i}}`));
      assert.equal(connections.length, 1, 'one kept-alive connection');
      await transport.close();
    });

    it('gives up at the deadline when no answer comes: the call may have been carried out', async () => {
      handler = () => undefined;
      const transport = new HttpTransport(silent, once);
      const started = Date.now();
      await assert.rejects(transport.request(get(base, 'slow', 300)), (error) => error instanceof TransportError && error.kind === 'timeout' && error.mayHaveBeenProcessed);
      assert.ok(Date.now() - started < 2000);
      await transport.close();
    });

    it('counts a body that stops coming against the same deadline', async () => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-length': '100' });
        response.write('only part');
      };
      const transport = new HttpTransport(silent, once);
      await assert.rejects(transport.request(get(base, 'stalls', 300)), (error) => error instanceof TransportError && error.kind === 'timeout');
      await transport.close();
    });

    it('reports an answer cut off midway as a network failure after sending', async () => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-length': '100' });
        response.write('only part', () => response.socket?.destroy());
      };
      const transport = new HttpTransport(silent, once);
      await assert.rejects(transport.request(get(base, 'cut')), (error) => error instanceof TransportError && error.kind === 'network' && error.mayHaveBeenProcessed);
      await transport.close();
    });

    it('drops an answer larger than the limit instead of holding it', async () => {
      handler = (_request, response) => response.end(Buffer.alloc(64 * 1024, 1));
      const transport = new HttpTransport(silent, once, { maxResponseBytes: 1024 });
      await assert.rejects(transport.request(get(base, 'big')), (error) => error instanceof TransportError && /larger than 1024 bytes/.test(error.message));
      await transport.close();
    });
  });

  it('reports a refused connection as not carried out, and a server that accepts but never answers as unknown', async () => {
    const accepted: Socket[] = [];
    const tcp = createTcpServer((socket) => accepted.push(socket)); // accepts, reads nothing, answers nothing
    const port = await listen(tcp);
    const transport = new HttpTransport(silent, once);
    await assert.rejects(transport.request(get(`http://127.0.0.1:${port}/`, 'x', 300)), (error) => error instanceof TransportError && error.kind === 'timeout' && error.mayHaveBeenProcessed);
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => tcp.close(resolve));
    await assert.rejects(transport.request(get(`http://127.0.0.1:${port}/`)), (error) => error instanceof TransportError && error.kind === 'network' && !error.mayHaveBeenProcessed);
    await transport.close();
  });
});
