// Streebog-256 throughput: ours (default engine, then the TypeScript fallback) against
// `openssl dgst -md_gost12_256` (Debian's gost engine) and the node-gost-crypto package,
// on one generated file, in one run. Each JavaScript contender runs in its own child
// process so that its peak RSS is its own.
//
//   npm run bench:hash [-- --size-mib 256] [--skip-js-fallback] [--skip-node-gost-crypto]
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
async function runWorker(kind: string, path: string): Promise<void> {
  const baselineRssMiB = peakRssMiB();
  const started = performance.now();
  let hex: string;
  let note: string | undefined;
  if (kind === 'ours' || kind === 'ours-js') {
    const engine: StreebogEngineName | undefined = kind === 'ours-js' ? 'js' : undefined;
    hex = toHex(await hashFile(path, 'streebog256', { engine }));
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

function measureInChild(name: string, kind: string, path: string): Measurement {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--worker', kind, path], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) return { name, note: `failed: ${child.stderr.trim().split('\n').pop() ?? child.status}` };
  return { name, ...(JSON.parse(child.stdout) as Omit<Measurement, 'name'>) };
}

function measureOpenssl(path: string, workDir: string): Measurement {
  const enginePath = GOST_ENGINE_CANDIDATES.find((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  if (!enginePath) return { name: 'openssl dgst -md_gost12_256', note: 'skipped: gost engine not installed (apt-get install libengine-gost-openssl)' };
  const config = join(workDir, 'openssl-gost.cnf');
  writeFileSync(config, [
    'openssl_conf = openssl_init',
    '[openssl_init]', 'engines = engine_section',
    '[engine_section]', 'gost = gost_section',
    '[gost_section]', 'engine_id = gost', `dynamic_path = ${enginePath}`, 'default_algorithms = ALL', '',
  ].join('\n'));
  const started = performance.now();
  const result = spawnSync('openssl', ['dgst', '-md_gost12_256', '-r', path], {
    encoding: 'utf8',
    env: { ...process.env, OPENSSL_CONF: config },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) return { name: 'openssl dgst -md_gost12_256', note: `failed: ${result.stderr.trim()}` };
  return { name: 'openssl dgst -md_gost12_256', hex: result.stdout.split(' ')[0], seconds, note: 'peak RSS not measured (native child)' };
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
      'size-mib': { type: 'string', default: '256' },
      'skip-js-fallback': { type: 'boolean', default: false },
      'skip-node-gost-crypto': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.worker) {
    await runWorker(values.worker, process.argv[process.argv.length - 1]);
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

    const results: Measurement[] = [];
    results.push(measureOpenssl(path, workDir));
    results.push(measureInChild('kca (ours)', 'ours', path));
    if (!values['skip-js-fallback']) results.push(measureInChild('kca TypeScript fallback', 'ours-js', path));
    if (!values['skip-node-gost-crypto']) results.push(measureInChild('node-gost-crypto', 'node-gost-crypto', path));

    const openssl = results[0];
    const opensslRate = openssl.seconds ? bytes / 1e6 / openssl.seconds : undefined;
    const reference = results.find((r) => r.hex)?.hex;
    process.stdout.write(`\nStreebog-256 of ${sizeMiB} MiB (MB = 10^6 bytes)\n`);
    process.stdout.write(`${'implementation'.padEnd(30)} ${'MB/s'.padStart(8)} ${'x OpenSSL'.padStart(10)} ${'peak RSS'.padStart(10)} ${'(before)'.padStart(9)}  digest\n`);
    let mismatch = false;
    for (const r of results) {
      const rate = r.seconds ? bytes / 1e6 / r.seconds : undefined;
      const ratio = rate && opensslRate ? (rate / opensslRate).toFixed(2) : '-';
      const rss = r.peakRssMiB ? `${r.peakRssMiB.toFixed(0)} MiB` : '-';
      const baseline = r.baselineRssMiB ? `${r.baselineRssMiB.toFixed(0)} MiB` : '-';
      const same = r.hex ? (r.hex === reference ? 'same' : 'DIFFERENT') : '-';
      if (r.hex && r.hex !== reference) mismatch = true;
      process.stdout.write(`${r.name.padEnd(30)} ${(rate?.toFixed(1) ?? '-').padStart(8)} ${ratio.padStart(10)} ${rss.padStart(10)} ${baseline.padStart(9)}  ${same}${r.note ? `  (${r.note})` : ''}\n`);
    }
    process.stdout.write(`digest: ${reference ?? '-'}\n`);
    if (mismatch) {
      process.stderr.write('digests differ between implementations\n');
      process.exitCode = 1;
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
