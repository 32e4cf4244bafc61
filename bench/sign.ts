// Signing a 1 GiB file by hash through the module, against `openssl dgst -md_gost12_256` of the
// same file in the same run. The server runs as a child process (`kca serve`, its built-in
// sandbox, PGlite unless BENCH_DATABASE_URL names a PostgreSQL database) so that its peak RSS is
// its own. The module's time is the whole path: the file streamed to the server (which stores
// it and computes Streebog-256 on the way), the Sign request with the hash, the SMS code, and
// the verified signature attached.
//
//   npm run bench:sign [-- --size-mib 1024]
import { randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { freePort, startKca, waitForHealthy } from '../test/support/process.ts';
import { gostOpenssl } from '../test/crypto/openssl.ts';
import { adminToken, httpClient, signerWithCloudCertificate, smsCode, startSigning, waitForFinalStatus } from '../test/signing/helpers.ts';

const { values } = parseArgs({ options: { 'size-mib': { type: 'string', default: '1024' } } });
const size = Number(values['size-mib']) * 1024 * 1024;
const PASSWORD = 'bench-admin-password';

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

function upload(url: string, token: string, path: string): Promise<{ id: string; streebog256: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(size) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => (response.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(`upload: ${response.statusCode} ${text}`))));
    });
    request.on('error', reject);
    createReadStream(path, { highWaterMark: 1 << 20 }).pipe(request);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kca-bench-sign-'));
  const path = join(dir, 'document.bin');
  const openssl = gostOpenssl();
  if ('unavailable' in openssl) throw new Error(openssl.unavailable);
  const port = await freePort();
  const server = startKca(['serve'], {
    DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    SANDBOX_ACTUALIZATION_MS: '50',
    ISSUE_EVENTS_POLL_MS: '100',
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
  });
  try {
    process.stdout.write(`generating ${size / 1024 / 1024} MiB of random data in ${dir} ...\n`);
    const out = createWriteStream(path);
    const block = Buffer.alloc(1 << 20);
    for (let written = 0; written < size; written += block.length) {
      randomFillSync(block);
      if (!out.write(Buffer.from(block.subarray(0, Math.min(block.length, size - written))))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const http = httpClient(`http://127.0.0.1:${port}`);
    await waitForHealthy(http.url, 60_000);
    const admin = await adminToken(http, PASSWORD);
    const signer = await signerWithCloudCertificate(http, admin);

    // OpenSSL first, so that both read the file from the page cache.
    let started = performance.now();
    const dgst = openssl.run(['dgst', '-md_gost12_256', '-r', path]);
    const opensslSeconds = (performance.now() - started) / 1000;
    if (dgst.status !== 0) throw new Error(dgst.stderr);
    const opensslHex = dgst.stdout.toString().split(' ')[0].trim();

    const pid = server.child.pid!;
    const baseline = rssMiB(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 20);
    started = performance.now();
    const document = await upload(`${http.url}/api/v1/documents?fileName=document.bin`, signer.token, path);
    const uploadSeconds = (performance.now() - started) / 1000;
    const operation = await startSigning(http, signer, document.id);
    const confirmation = await http.request('POST', `/api/v1/sign-operations/${operation.operationId}/confirmation`, { token: signer.token, body: { code: await smsCode(http, admin, signer.phone) } });
    if (confirmation.status !== 200) throw new Error(`confirm: ${JSON.stringify(confirmation.body)}`);
    const final = await waitForFinalStatus(http, signer.token, operation.operationId);
    const moduleSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (final.state !== 'complete') throw new Error(`signing ended in ${final.state}: ${final.message}`);
    if (document.streebog256 !== opensslHex) throw new Error(`digest differs: ours ${document.streebog256}, OpenSSL ${opensslHex}`);

    const mb = size / 1e6;
    const ratio = moduleSeconds / opensslSeconds;
    process.stdout.write(
      `\nSigning ${size / 1024 / 1024} MiB by hash (MB = 10^6 bytes), database ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}\n` +
        `openssl dgst -md_gost12_256          ${opensslSeconds.toFixed(2)} s  ${(mb / opensslSeconds).toFixed(1)} MB/s\n` +
        `module: upload + hash (streamed)     ${uploadSeconds.toFixed(2)} s  ${(mb / uploadSeconds).toFixed(1)} MB/s\n` +
        `module: upload → signature attached  ${moduleSeconds.toFixed(2)} s  ${ratio.toFixed(2)} x OpenSSL (target <= 1.5)\n` +
        `server RSS: ${baseline.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB (+${(peak - baseline).toFixed(0)} MiB) (target peak <= 150 MB)\n` +
        `digest: ${opensslHex} (same as OpenSSL)\n`,
    );
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    openssl.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
