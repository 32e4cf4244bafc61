// The server bundle (scripts/server-bundle.js) that bin/kca.js runs when it is up to date: it
// must build, find the package's files from its own depth, and be taken only while it is newer
// than its sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../src/package-files.ts';

// The build scripts are plain JavaScript (they run before anything is compiled); typed here.
const scripts = (name: string) => join(PACKAGE_ROOT, 'scripts', name);
const { buildServerBundle } = (await import(pathToFileURL(scripts('server-bundle.js')).href)) as { buildServerBundle(outDir?: string): Promise<void> };
const { isStale } = (await import(pathToFileURL(scripts('freshness.js')).href)) as { isStale(output: string, inputs: string[]): boolean };

test('the bundle builds, runs kca, and finds the Streebog WebAssembly and migrations from dist/', async () => {
  // One level deeper than dist/server, so that a path taken relative to the module would miss.
  const testDir = mkdtempSync(join(PACKAGE_ROOT, 'dist', 'bundle-test-'));
  const outDir = join(testDir, 'deeper');
  const work = mkdtempSync(join(tmpdir(), 'kca-bundle-'));
  try {
    await buildServerBundle(outDir);
    const file = join(work, 'message.txt');
    // RFC 6986 / GOST R 34.11-2012 example M1 (63 bytes) and its 256-bit digest.
    writeFileSync(file, '012345678901234567890123456789012345678901234567890123456789012');
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(pathToFileURL(join(outDir, 'kca.mjs')).href)}); process.exitCode = await main(${JSON.stringify(args)});`], {
        encoding: 'utf8',
        env: { ...process.env, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'warn' },
      });
    const hash = run(['hash', file]);
    assert.equal(hash.status, 0, hash.stderr);
    assert.equal(hash.stdout.split(' ')[0], '9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
    // `migrate` opens the embedded database and applies drizzle/ found from the package root.
    const migrate = run(['migrate']);
    assert.equal(migrate.status, 0, migrate.stdout + migrate.stderr);
  } finally {
    rmSync(testDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});

test('an output is stale when missing or older than any file under its inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kca-fresh-'));
  try {
    const src = join(dir, 'src', 'deep');
    mkdirSync(src, { recursive: true });
    const input = join(src, 'a.ts');
    const output = join(dir, 'out.mjs');
    writeFileSync(input, 'x');
    assert.equal(isStale(output, [join(dir, 'src')]), true, 'missing output');
    writeFileSync(output, 'y');
    const past = new Date(Date.now() - 60_000);
    utimesSync(input, past, past);
    utimesSync(join(dir, 'src'), past, past);
    utimesSync(src, past, past);
    assert.equal(isStale(output, [join(dir, 'src')]), false, 'output newer than every input');
    writeFileSync(input, 'edited');
    assert.equal(isStale(output, [join(dir, 'src')]), true, 'an edited input');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
