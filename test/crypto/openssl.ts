// Test helper: OpenSSL with Debian's gost engine (libengine-gost-openssl) as the
// independent reference implementation. Writes its own OPENSSL_CONF into a temp dir so
// the tests run on any machine with the package. Without it, interop tests are skipped,
// except under CI (process.env.CI), where they fail with the reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export interface GostOpenssl {
  /** Scratch directory for files passed to openssl; removed by cleanup(). */
  dir: string;
  path(name: string): string;
  /** Runs openssl; returns status and output without throwing. */
  run(args: string[], input?: Uint8Array): { status: number; stdout: Buffer; stderr: string };
  /** Runs openssl and returns stdout, failing the test with stderr on a non-zero exit. */
  ok(args: string[], input?: Uint8Array): Buffer;
  cleanup(): void;
}

function findGostEngine(): { path?: string; reason?: string } {
  const version = spawnSync('openssl', ['version', '-e'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { reason: 'the openssl command is not available' };
  const enginesDir = /ENGINESDIR: "([^"]+)"/.exec(version.stdout)?.[1];
  const candidates = [
    ...(enginesDir ? [join(enginesDir, 'gost.so')] : []),
    '/usr/lib/x86_64-linux-gnu/engines-3/gost.so',
    '/usr/lib/aarch64-linux-gnu/engines-3/gost.so',
  ];
  const path = candidates.find((candidate) => existsSync(candidate));
  return path ? { path } : { reason: `OpenSSL gost engine not found (looked for ${candidates.join(', ')}); install libengine-gost-openssl` };
}

function configText(enginePath: string): string {
  return `openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
dynamic_path = ${enginePath}
default_algorithms = ALL

[req]
distinguished_name = req_dn
x509_extensions = v3_ca
utf8 = yes
string_mask = utf8only
[req_dn]
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_signer]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;
}

let probe: { path?: string; reason?: string } | undefined;

/** An OpenSSL runner with the gost engine, or the reason there is none. */
export function gostOpenssl(): GostOpenssl | { unavailable: string } {
  probe ??= findGostEngine();
  if (!probe.path) return { unavailable: probe.reason! };
  const dir = mkdtempSync(join(tmpdir(), 'kca-openssl-'));
  const config = join(dir, 'openssl-gost.cnf');
  writeFileSync(config, configText(probe.path));
  const env = { ...process.env, OPENSSL_CONF: config };
  const run = (args: string[], input?: Uint8Array) => {
    const result = spawnSync('openssl', args, { cwd: dir, env, input, maxBuffer: 64 << 20 });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr?.toString() ?? String(result.error) };
  };
  const runner: GostOpenssl = {
    dir,
    path: (name) => join(dir, name),
    run,
    ok(args, input) {
      const result = run(args, input);
      assert.equal(result.status, 0, `openssl ${args.join(' ')} failed: ${result.stderr}`);
      return result.stdout;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  // The engine must really load: a GOST digest proves it.
  const check = run(['dgst', '-md_gost12_256'], new Uint8Array(0));
  if (check.status !== 0) {
    runner.cleanup();
    return { unavailable: `OpenSSL cannot load the gost engine: ${check.stderr.trim()}` };
  }
  return runner;
}

/**
 * For interop tests: the runner, or undefined after skipping the test (failing it in CI).
 */
export function opensslOrSkip(t: TestContext, runner: GostOpenssl | { unavailable: string }): GostOpenssl | undefined {
  if (!('unavailable' in runner)) return runner;
  if (process.env.CI) assert.fail(`OpenSSL interop tests are required in CI: ${runner.unavailable}`);
  t.skip(runner.unavailable);
  return undefined;
}
