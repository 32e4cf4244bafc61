// Signing a 1 GiB file by hash through the module, against `openssl dgst -md_gost12_256` of the
// same file in the same run (target: ≤ 1.1× OpenSSL's hash time). The server runs as `npm start`
// runs it (bench/support/server.ts: its built-in sandbox, the embedded PostgreSQL, or PostgreSQL
// with --database postgres). The module's time is the whole path: the file streamed to the server
// (which stores it and computes Streebog-256 on the way), the Sign request with the hash, the SMS
// code, and the verified signature attached. Memory is sampled over every process of the server
// (the embedded PostgreSQL's included).
//
//   npm run bench:sign [-- --size-mib 1024] [--database embedded|postgres]
import { randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { gostOpenssl } from '../test/crypto/openssl.ts';
import { adminToken, httpClient, signerWithCloudCertificate, smsCode, startSigning, waitForFinalStatus } from '../test/signing/helpers.ts';
import { ADMIN_PASSWORD, startBenchServer, type DatabaseKind } from './support/server.ts';
import { MemorySampler, memoryOf, processTree } from './support/memory.ts';
import { mib, report } from './support/report.ts';

const { values } = parseArgs({ options: { 'size-mib': { type: 'string', default: '1024' }, database: { type: 'string', default: 'embedded' } } });
const size = Number(values['size-mib']) * 1024 * 1024;
const database = values.database as DatabaseKind;
if (database !== 'embedded' && database !== 'postgres') throw new Error('--database must be embedded or postgres');

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
  const server = await startBenchServer({ database });
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

    const http = httpClient(server.url);
    const admin = await adminToken(http, ADMIN_PASSWORD);
    const signer = await signerWithCloudCertificate(http, admin);

    // OpenSSL first, so that both read the file from the page cache.
    let started = performance.now();
    const dgst = openssl.run(['dgst', '-md_gost12_256', '-r', path]);
    const opensslSeconds = (performance.now() - started) / 1000;
    if (dgst.status !== 0) throw new Error(dgst.stderr);
    const opensslHex = dgst.stdout.toString().split(' ')[0].trim();

    const pid = server.pid;
    const before = memoryOf(processTree(pid));
    const sampler = new MemorySampler(pid, 250);
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
    sampler.sample();
    sampler.stop();
    if (final.state !== 'complete') throw new Error(`signing ended in ${final.state}: ${final.message}`);
    if (document.streebog256 !== opensslHex) throw new Error(`digest differs: ours ${document.streebog256}, OpenSSL ${opensslHex}`);

    const mb = size / 1e6;
    const ratio = moduleSeconds / opensslSeconds;
    process.stdout.write(
      `\nSigning ${size / 1024 / 1024} MiB by hash (MB = 10^6 bytes), ${database} database\n` +
        `openssl dgst -md_gost12_256          ${opensslSeconds.toFixed(2)} s  ${(mb / opensslSeconds).toFixed(1)} MB/s\n` +
        `module: upload + hash (streamed)     ${uploadSeconds.toFixed(2)} s  ${(mb / uploadSeconds).toFixed(1)} MB/s\n` +
        `module: upload → signature attached  ${moduleSeconds.toFixed(2)} s  ${ratio.toFixed(2)}× OpenSSL\n` +
        `all server processes: ${mib(before.pssMiB)} PSS / ${mib(before.rssMiB)} RSS before the upload, peak ${mib(sampler.peakTotal.pssMiB)} PSS / ${mib(sampler.peakTotal.rssMiB)} RSS while uploading and signing (${sampler.peakTotal.processes} processes)\n` +
        `server CPU during the upload: ${cpuDuringUpload}; this benchmark's own process (the sending client): ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} s\n` +
        `digest: ${opensslHex} (same as OpenSSL)\n`,
    );
    report(`Signing ${size / 1024 / 1024} MiB by hash (${database} database)`, [
      { name: 'upload → signature attached / openssl dgst time', measured: `${moduleSeconds.toFixed(2)} s`, reference: `OpenSSL ${opensslSeconds.toFixed(2)} s`, ratio, target: '≤ 1.1×', met: ratio <= 1.1 },
      { name: 'peak memory of all server processes while signing', measured: `${mib(sampler.peakTotal.pssMiB)} PSS`, reference: `${mib(sampler.peakTotal.rssMiB)} RSS`, ratio: (sampler.peakTotal.pssMiB * 1048576) / 300e6, target: '≤ 300 MB', met: sampler.peakTotal.pssMiB * 1048576 <= 300e6 },
    ]);
  } finally {
    await server.stop();
    openssl.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
