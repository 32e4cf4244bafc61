// The system's OpenSSL with Debian's GOST engine (libengine-gost-openssl), and stunnel next to
// it: what GOST TLS needs from the machine (src/crypto/stunnel.ts), an OPENSSL_CONF that loads the
// engine, and opening a PFX whose key is GOST (Node's own OpenSSL cannot read those).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { decodePemBlocks, encodePem } from './pem.ts';

/** stunnel or the GOST engine is missing: `packages` are the Debian packages that bring them. */
export class GostTlsUnavailableError extends Error {
  constructor(
    readonly packages: string[],
    message: string,
  ) {
    super(message);
  }
}

export interface GostTlsTools {
  stunnel: string;
  /** util-linux's setpriv: gives stunnel a parent-death signal, so it never outlives the process that started it. */
  setpriv?: string;
  /** The openssl command (Debian's stunnel4 depends on it): reads PFX files with GOST keys. */
  openssl?: string;
  /** The environment stunnel runs with: nothing of the caller's, only what OpenSSL needs. */
  env: Record<string, string>;
}

function findExecutable(names: string[], path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Where OpenSSL loads engines from: OPENSSL_ENGINES, or the directory the openssl command reports, or Debian's. */
function engineDirectories(env: Record<string, string | undefined>): string[] {
  if (env.OPENSSL_ENGINES) return [env.OPENSSL_ENGINES];
  const openssl = findExecutable(['openssl'], env.PATH);
  const reported = openssl ? /ENGINESDIR: "([^"]+)"/.exec(spawnSync(openssl, ['version', '-e'], { encoding: 'utf8', env: { PATH: env.PATH ?? '' } }).stdout ?? '')?.[1] : undefined;
  return [...(reported ? [reported] : []), '/usr/lib/x86_64-linux-gnu/engines-3', '/usr/lib/aarch64-linux-gnu/engines-3'];
}

/**
 * Finds stunnel and the GOST engine, or throws GostTlsUnavailableError in Russian naming the
 * Debian packages to install. `env` is the environment to look in (PATH, OPENSSL_ENGINES).
 */
export function findGostTlsTools(env: Record<string, string | undefined> = process.env): GostTlsTools {
  const stunnel = findExecutable(['stunnel4', 'stunnel'], env.PATH);
  const engines = engineDirectories(env);
  const engineDir = engines.find((dir) => existsSync(join(dir, 'gost.so')));
  const packages = [...(stunnel ? [] : ['stunnel4']), ...(engineDir ? [] : ['libengine-gost-openssl'])];
  if (packages.length) {
    const what = [...(stunnel ? [] : ['программа stunnel']), ...(engineDir ? [] : [`модуль ГОСТ для OpenSSL (gost.so; искали в ${engines.join(', ')})`])].join(' и ');
    throw new GostTlsUnavailableError(packages, `Для ГОСТ TLS нужна ${what}: установите пакеты Debian ${packages.join(' и ')} (apt-get install ${packages.join(' ')})`);
  }
  return {
    stunnel: stunnel!,
    setpriv: findExecutable(['setpriv'], env.PATH),
    openssl: findExecutable(['openssl'], env.PATH),
    env: { PATH: env.PATH ?? '/usr/bin:/bin', LANG: 'C', ...(env.OPENSSL_ENGINES ? { OPENSSL_ENGINES: env.OPENSSL_ENGINES } : {}) },
  };
}

/** An OPENSSL_CONF that loads the GOST engine for everything (ciphers, digests, keys). */
export function gostOpensslConfig(): string {
  return [
    'openssl_conf = openssl_init',
    '[openssl_init]',
    'engines = engine_section',
    '[engine_section]',
    'gost = gost_section',
    '[gost_section]',
    'engine_id = gost',
    'default_algorithms = ALL',
    '',
  ].join('\n');
}


/** A PFX the system's OpenSSL could not open; `wrongPassword` when its MAC did not verify. */
export class GostPfxError extends Error {
  constructor(
    readonly wrongPassword: boolean,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The client certificate (leaf first) and private key of a PFX, read by the system's OpenSSL with
 * the GOST engine: the way to use a PFX whose key is GOST, which Node's OpenSSL cannot load. The
 * password goes through stdin, never the command line; the scratch directory is removed at once.
 */
export function openGostPfx(tools: GostTlsTools, pfx: Uint8Array, password: string): { certificatePem: string; privateKeyPem: string } {
  if (!tools.openssl) throw new GostTlsUnavailableError(['openssl'], 'Для чтения PFX с ключом ГОСТ нужна программа openssl: установите пакет Debian openssl');
  const dir = mkdtempSync(join(tmpdir(), 'kca-pfx-'));
  try {
    writeFileSync(join(dir, 'openssl.cnf'), gostOpensslConfig(), { mode: 0o600 });
    writeFileSync(join(dir, 'in.pfx'), pfx, { mode: 0o600 });
    const env = { ...tools.env, OPENSSL_CONF: join(dir, 'openssl.cnf') };
    const run = (args: string[]) => {
      const result = spawnSync(tools.openssl!, ['pkcs12', '-in', join(dir, 'in.pfx'), '-passin', 'stdin', ...args], { input: `${password}\n`, env, maxBuffer: 1 << 20 });
      return { ok: result.status === 0, stdout: result.stdout?.toString('latin1') ?? '', stderr: result.stderr?.toString() ?? String(result.error) };
    };
    // Older PFX files use ciphers OpenSSL 3 keeps in its legacy provider.
    let legacy: string[] = [];
    let certificates = run(['-nokeys', '-clcerts']);
    if (!certificates.ok && /unsupported|legacy|RC2|global default library context/i.test(certificates.stderr)) {
      legacy = ['-legacy'];
      certificates = run([...legacy, '-nokeys', '-clcerts']);
    }
    const failed = (result: { stderr: string }) =>
      new GostPfxError(/mac verify failure|invalid password|mac verify error/i.test(result.stderr), `OpenSSL с модулем ГОСТ не открыл PFX: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
    if (!certificates.ok) throw failed(certificates);
    const key = run([...legacy, '-nocerts', '-nodes']);
    if (!key.ok) throw failed(key);
    const leaf = decodePemBlocks(certificates.stdout).find((block) => block.label === 'CERTIFICATE');
    const others = decodePemBlocks(run([...legacy, '-nokeys', '-cacerts']).stdout).filter((block) => block.label === 'CERTIFICATE');
    const privateKey = decodePemBlocks(key.stdout).find((block) => block.label === 'PRIVATE KEY');
    if (!leaf) throw new GostPfxError(false, 'В PFX нет сертификата');
    if (!privateKey) throw new GostPfxError(false, 'В PFX нет закрытого ключа');
    return {
      certificatePem: [leaf, ...others].map((block) => encodePem('CERTIFICATE', block.der)).join(''),
      privateKeyPem: encodePem('PRIVATE KEY', privateKey.der),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
