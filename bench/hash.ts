// Streebog-256 and -512 throughput: ours (the default engine) against `openssl dgst
// -md_gost12_256/512` (Debian's gost engine) on one generated file, three rounds each in turns;
// the target (ours ≥ 1.0× OpenSSL in every run) is judged on the worst round. With --all also the
// TypeScript fallback and the node-gost-crypto package (Streebog-256). Each JavaScript contender
// runs in its own child process so that its peak RSS is its own.
//
//   npm run bench:hash [-- --size-mib 256] [--rounds 3] [--all]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { hashFile, toHex, defaultStreebogEngine, type StreebogEngineName } from '../src/crypto/streebog.ts';
import { report, type ResultRow } from './support/report.ts';

type Algorithm = 'streebog256' | 'streebog512';

interface Measurement {
  name: string;
  hex?: string;
  seconds?: number;
  peakRssMiB?: number;
  /** Peak RSS of the same process before it started hashing. */
  baselineRssMiB?: number;
  note?: string;
}

const GOST_ENGINE_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/engines-3/gost.so',
  '/usr/lib/aarch64-linux-gnu/engines-3/gost.so',
  '/usr/lib64/engines-3/gost.so',
];

function peakRssMiB(): number {
  // resourceUsage().maxRSS is in KiB.
  return process.resourceUsage().maxRSS / 1024;
}

/** Child-process entry: hash the file one way and print a JSON measurement. */
async function runWorker(kind: string, path: string, algorithm: Algorithm): Promise<void> {
  const baselineRssMiB = peakRssMiB();
  const started = performance.now();
  let hex: string;
  let note: string | undefined;
  if (kind === 'ours' || kind === 'ours-js') {
    const engine: StreebogEngineName | undefined = kind === 'ours-js' ? 'js' : undefined;
    hex = toHex(await hashFile(path, algorithm, { engine }));
    note = `engine: ${engine ?? defaultStreebogEngine()}, streamed in 1 MiB chunks`;
  } else {
    // node-gost-crypto has only a one-shot digest(), so the whole file must be in memory.
    const require = createRequire(import.meta.url);
    const { gostEngine } = require('node-gost-crypto') as {
      gostEngine: { getGostDigest(a: object): { digest(data: Uint8Array): ArrayBuffer } };
    };
    const digest = gostEngine.getGostDigest({ name: 'GOST R 34.11', length: 256, version: 2012 });
    hex = Buffer.from(digest.digest(readFileSync(path))).toString('hex');
    note = 'one-shot API: whole file read into memory';
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ hex, seconds, peakRssMiB: peakRssMiB(), baselineRssMiB, note }));
}

function measureInChild(name: string, kind: string, path: string, algorithm: Algorithm = 'streebog256'): Measurement {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--worker', kind, '--algorithm', algorithm, path], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) return { name, note: `failed: ${child.stderr.trim().split('\n').pop() ?? child.status}` };
  return { name, ...(JSON.parse(child.stdout) as Omit<Measurement, 'name'>) };
}

function measureOpenssl(path: string, workDir: string, algorithm: Algorithm = 'streebog256'): Measurement {
  const digest = algorithm === 'streebog256' ? '-md_gost12_256' : '-md_gost12_512';
  const enginePath = GOST_ENGINE_CANDIDATES.find((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  if (!enginePath) return { name: `openssl dgst ${digest}`, note: 'skipped: gost engine not installed (apt-get install libengine-gost-openssl)' };
  const config = join(workDir, 'openssl-gost.cnf');
  writeFileSync(config, [
    'openssl_conf = openssl_init',
    '[openssl_init]', 'engines = engine_section',
    '[engine_section]', 'gost = gost_section',
    '[gost_section]', 'engine_id = gost', `dynamic_path = ${enginePath}`, 'default_algorithms = ALL', '',
  ].join('\n'));
  const started = performance.now();
  const result = spawnSync('openssl', ['dgst', digest, '-r', path], {
    encoding: 'utf8',
    env: { ...process.env, OPENSSL_CONF: config },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) return { name: `openssl dgst ${digest}`, note: `failed: ${result.stderr.trim()}` };
  return { name: `openssl dgst ${digest}`, hex: result.stdout.split(' ')[0], seconds, note: 'peak RSS not measured (native child)' };
}

async function generateFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = 1 << 20;
  for (let written = 0; written < bytes; written += chunk) {
    if (!out.write(randomBytes(Math.min(chunk, bytes - written)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      worker: { type: 'string' },
      algorithm: { type: 'string', default: 'streebog256' },
      'size-mib': { type: 'string', default: '256' },
      rounds: { type: 'string', default: '3' },
      all: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.worker) {
    await runWorker(values.worker, process.argv[process.argv.length - 1], values.algorithm as Algorithm);
    return;
  }
  const sizeMiB = Number(values['size-mib']);
  if (!Number.isInteger(sizeMiB) || sizeMiB <= 0) throw new Error('--size-mib must be a positive integer');
  const bytes = sizeMiB * 1024 * 1024;
  const workDir = mkdtempSync(join(tmpdir(), 'kca-bench-hash-'));
  // The data file is large: remove it even when interrupted.
  const removeOnSignal = () => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', removeOnSignal);
  process.once('SIGTERM', removeOnSignal);
  try {
    const path = join(workDir, 'data.bin');
    process.stdout.write(`generating ${sizeMiB} MiB of random data in ${workDir} ...\n`);
    await generateFile(path, bytes);
    const rate = (m: Measurement) => (m.seconds ? bytes / 1e6 / m.seconds : NaN);
    const rows: ResultRow[] = [];
    let mismatch = false;
    for (const algorithm of ['streebog256', 'streebog512'] as Algorithm[]) {
      const ratios: number[] = [];
      const lines: string[] = [];
      for (let round = 0; round < Number(values.rounds); round++) {
        // OpenSSL first, then ours: both read the file from the page cache.
        const openssl = measureOpenssl(path, workDir, algorithm);
        const ours = measureInChild('kca (ours)', 'ours', path, algorithm);
        if (!openssl.hex || !ours.hex) throw new Error(`${algorithm}: ${openssl.note ?? ''} ${ours.note ?? ''}`);
        if (openssl.hex !== ours.hex) mismatch = true;
        ratios.push(rate(ours) / rate(openssl));
        lines.push(`round ${round + 1}: OpenSSL ${rate(openssl).toFixed(1)} MB/s, ours ${rate(ours).toFixed(1)} MB/s (${(rate(ours) / rate(openssl)).toFixed(2)}x; peak RSS ${ours.peakRssMiB?.toFixed(0)} MiB)${openssl.hex === ours.hex ? '' : ' DIGESTS DIFFER'}`);
      }
      process.stdout.write(`\n${algorithm} of ${sizeMiB} MiB (MB = 10^6 bytes), ${defaultStreebogEngine()} engine\n${lines.join('\n')}\n`);
      const worst = Math.min(...ratios);
      rows.push({ name: `${algorithm === 'streebog256' ? 'Streebog-256' : 'Streebog-512'} ours / OpenSSL (worst of ${ratios.length} rounds)`, measured: `${worst.toFixed(2)}×`, reference: `all rounds ${ratios.map((r) => r.toFixed(2)).join(', ')}`, ratio: worst, target: '≥ 1.0× every run', met: worst >= 1 });
    }
    if (values.all) {
      const results = [measureOpenssl(path, workDir), measureInChild('kca (ours)', 'ours', path), measureInChild('kca TypeScript fallback', 'ours-js', path), measureInChild('node-gost-crypto', 'node-gost-crypto', path)];
      const openssl = rate(results[0]);
      process.stdout.write(`\nStreebog-256, every implementation\n`);
      for (const r of results) process.stdout.write(`${r.name.padEnd(30)} ${rate(r).toFixed(1).padStart(8)} MB/s ${(rate(r) / openssl).toFixed(2).padStart(6)}x  ${r.peakRssMiB ? `peak RSS ${r.peakRssMiB.toFixed(0)} MiB (${r.baselineRssMiB?.toFixed(0)} before)` : ''}  ${r.hex === results[0].hex ? 'same digest' : 'DIFFERENT DIGEST'}${r.note ? `  (${r.note})` : ''}\n`);
    }
    report('Streebog throughput', rows);
    if (mismatch) {
      process.stderr.write('digests differ between implementations\n');
      process.exitCode = 1;
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
