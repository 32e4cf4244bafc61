// The server as a real child process (as in production): a 300 MB generated file uploaded and
// signed by hash while the server's resident memory (read from /proc) stays flat, and a server
// killed with SIGKILL right after the code was confirmed, restarted, and the signature attached
// anyway. OpenSSL's GOST engine verifies both signatures.
//
// Why a child process: RSS of the test runner itself would mix the client's memory (the file
// being sent) with the server's, and a SIGKILL must hit a real process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { freePort, startKca, waitForHealthy, type KcaProcess } from '../support/process.ts';
import { ADMIN_PASSWORD, createPostgresDatabase, usesPostgres } from '../support/server.ts';
import { expectStatus, waitFor } from '../issuance/helpers.ts';
import type { TestServer } from '../support/server.ts';
import { gostOpenssl, opensslOrSkip, type GostOpenssl } from '../crypto/openssl.ts';
import { adminToken, download, httpClient, opensslVerifies, signerWithCloudCertificate, smsCode, startSigning, waitForFinalStatus, type Http, type Signer } from './helpers.ts';

const LARGE_BYTES = 300 * 1000 * 1000;
/** The most the server's RSS may grow while it takes and signs the 300 MB file. */
const FLAT_RSS_GROWTH_MIB = 100;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** POSTs a file as the raw body, streamed from disk. */
function uploadFile(url: string, token: string, path: string, size: number): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(size) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    request.on('error', reject);
    createReadStream(path, { highWaterMark: 1 << 20 }).pipe(request);
  });
}

describe('signing with the server as a child process', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: KcaProcess;
  let http: Http;
  let admin: string;
  let signer: Signer;
  let dropDatabase: (() => Promise<void>) | undefined;
  let openssl: GostOpenssl | { unavailable: string };

  async function start(): Promise<void> {
    server = startKca(['serve'], env);
    await waitForHealthy(http.url, 60_000);
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kca-signing-'));
    const port = await freePort();
    const database = usesPostgres ? await createPostgresDatabase() : undefined;
    dropDatabase = database?.drop;
    env = {
      DATA_DIR: join(dir, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      SANDBOX_ACTUALIZATION_MS: '50',
      ISSUE_EVENTS_POLL_MS: '100',
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
    http = httpClient(`http://127.0.0.1:${port}`);
    await start();
    admin = await adminToken(http, ADMIN_PASSWORD);
    signer = await signerWithCloudCertificate(http, admin);
    openssl = gostOpenssl();
  });

  after(async () => {
    if (!('unavailable' in openssl)) openssl.cleanup();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await dropDatabase?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs a 300 MB file by hash while the server memory stays flat', async (ctx) => {
    const path = join(dir, 'large.bin');
    const block = Buffer.alloc(1 << 20);
    const out = createWriteStream(path);
    for (let written = 0; written < LARGE_BYTES; written += block.length) {
      const part = block.subarray(0, Math.min(block.length, LARGE_BYTES - written));
      randomFillSync(part);
      if (!out.write(part)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    assert.equal((await stat(path)).size, LARGE_BYTES);

    const pid = server.child.pid!;
    const baseline = rssMiB(pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(pid));
    }, 25);
    let operationId: string;
    try {
      const uploaded = await uploadFile(`${http.url}/api/v1/documents?fileName=large.bin`, signer.token, path, LARGE_BYTES);
      assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
      assert.equal(uploaded.body.size, LARGE_BYTES);
      const started = await startSigning(http, signer, uploaded.body.id);
      assert.equal(started.method, 'hash');
      operationId = started.operationId;
      await expectStatus(http as TestServer, 200, 'POST', `/api/v1/sign-operations/${operationId}/confirmation`, { token: signer.token, body: { code: await smsCode(http, admin, signer.phone) } });
      const final = await waitForFinalStatus(http, signer.token, operationId);
      assert.equal(final.state, 'complete', final.message);
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - baseline;
    ctx.diagnostic(`server RSS: ${baseline.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB (+${growth.toFixed(0)} MiB) for a ${LARGE_BYTES / 1e6} MB file`);
    assert.ok(growth < FLAT_RSS_GROWTH_MIB, `server RSS grew by ${growth.toFixed(0)} MiB (limit ${FLAT_RSS_GROWTH_MIB})`);

    const runner = opensslOrSkip(ctx, openssl);
    if (!runner) return;
    const sig = await download(http, signer.token, `/api/v1/sign-operations/${operationId}/result`);
    await opensslVerifies(http, runner, sig, path);
  });

  it('attaches the signature after the server is killed right after confirmation and restarted', async (ctx) => {
    const content = Buffer.from(`Приказ о премировании, ${new Date().toISOString()}\n`.repeat(50));
    const response = await http.request('POST', '/api/v1/documents?fileName=order.txt', { token: signer.token, raw: content, headers: { 'content-type': 'text/plain' } });
    assert.equal(response.status, 201);
    const started = await startSigning(http, signer, response.body.id);
    // Kontur takes its time: the Confirm request is still finishing the operation when the
    // server is killed.
    await expectStatus(http as TestServer, 200, 'PUT', '/sandbox/console/cloud/faults', { token: admin, body: { signingDelayMs: 5000 } });
    const code = await smsCode(http, admin, signer.phone);
    void http.request('POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code } }).catch(() => undefined);
    await waitFor('the code to be accepted', async () => (await expectStatus(http as TestServer, 200, 'GET', `/api/v1/sign-operations/${started.operationId}`, { token: signer.token })).body.data.state === 'inProgress');
    server.child.kill('SIGKILL');
    await server.exited;

    await start();
    const final = await waitForFinalStatus(http, signer.token, started.operationId, 90_000);
    assert.equal(final.state, 'complete', final.message);
    const document = await expectStatus(http as TestServer, 200, 'GET', `/api/v1/documents/${response.body.id}`, { token: signer.token });
    assert.equal(document.body.signatures.length, 1);

    const runner = opensslOrSkip(ctx, openssl);
    if (!runner) return;
    writeFileSync(runner.path('order.txt'), content);
    const sig = await download(http, signer.token, `/api/v1/documents/${response.body.id}/signatures/${document.body.signatures[0].id}/content`);
    await opensslVerifies(http, runner, sig, runner.path('order.txt'));
  });
});
