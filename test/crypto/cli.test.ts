// The kca hash / cms / cert commands, run as a user would: `node bin/kca.js ...`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair } from '../../src/crypto/gost3410.ts';
import { exportPrivateKeyPem } from '../../src/crypto/keys.ts';
import { streebog512, toHex } from '../../src/crypto/streebog.ts';
import {
  certificateThumbprint, certificateToPem, createSelfSignedRoot, issueEndEntityCertificate, naturalPersonSubject,
} from '../../src/crypto/x509.ts';
import { addSignatureTimeStamp } from '../../src/crypto/cades.ts';
import { signCms } from '../../src/crypto/cms.ts';
import { issueTimeStampToken } from '../../src/crypto/tsp.ts';
import { gostOpenssl, opensslOrSkip } from './openssl.ts';
import { makeTestPki } from './pki.ts';

const KCA = resolve('bin/kca.js');
const dir = mkdtempSync(join(tmpdir(), 'kca-cli-'));
const file = (name: string) => join(dir, name);

function kca(args: string[], input?: Uint8Array | string) {
  const result = spawnSync(process.execPath, [KCA, ...args], { input, maxBuffer: 16 << 20 });
  return { status: result.status, stdout: result.stdout, text: result.stdout.toString(), stderr: result.stderr.toString() };
}

function assertOneLineError(stderr: string) {
  assert.equal(stderr.trimEnd().split('\n').length, 1, `expected one line on stderr, got:\n${stderr}`);
}

after(() => rmSync(dir, { recursive: true, force: true }));

describe('kca hash', () => {
  const text = '012345678901234567890123456789012345678901234567890123456789012';
  before(() => writeFileSync(file('m1.txt'), text));

  test('prints the Streebog-256 hex of a file as OpenSSL does (RFC 6986 M1)', () => {
    const result = kca(['hash', file('m1.txt')]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.text, `9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500  ${file('m1.txt')}\n`);
  });

  test('--alg streebog512 on standard input', () => {
    const result = kca(['hash', '--alg', 'streebog512', '-'], text);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.text, `${toHex(streebog512(text))}  -\n`);
  });

  test('matches openssl dgst on the same file', (t) => {
    const openssl = opensslOrSkip(t, gostOpenssl());
    if (!openssl) return;
    try {
      writeFileSync(openssl.path('data.bin'), readFileSync(KCA));
      for (const [alg, flag] of [['streebog256', '-md_gost12_256'], ['streebog512', '-md_gost12_512']]) {
        const expected: string = openssl.ok(['dgst', flag, '-r', 'data.bin']).toString().split(' ')[0];
        assert.equal(kca(['hash', '--alg', alg, openssl.path('data.bin')]).text.split(' ')[0], expected);
      }
    } finally {
      openssl.cleanup();
    }
  });

  test('errors: usage exits 2, a missing file exits 1, one line each', () => {
    for (const args of [['hash'], ['hash', '--alg', 'md5', 'x'], ['hash', '--bogus', 'x']]) {
      const result = kca(args);
      assert.equal(result.status, 2, args.join(' '));
      assertOneLineError(result.stderr);
    }
    const missing = kca(['hash', file('absent.bin')]);
    assert.equal(missing.status, 1);
    assertOneLineError(missing.stderr);
    assert.match(missing.stderr, /no such file/);
  });
});

describe('kca cms and kca cert', () => {
  before(() => {
    const rootKeys = generateKeyPair('cryptopro-A');
    const root = createSelfSignedRoot({ subject: { CN: 'Тестовый УЦ', C: 'RU' }, ...rootKeys });
    const userKeys = generateKeyPair('tc26-256-A');
    const user = issueEndEntityCertificate({
      subject: naturalPersonSubject({ lastName: 'Кузнецов', firstName: 'Олег', snils: '11223344595', inn: '500100732259', email: 'oleg@example.ru' }),
      publicKey: userKeys.publicKey,
      issuerCertificate: root,
      issuerPrivateKey: rootKeys.privateKey,
    });
    writeFileSync(file('root.pem'), certificateToPem(root));
    writeFileSync(file('root.der'), root.der);
    writeFileSync(file('user.pem'), certificateToPem(user));
    writeFileSync(file('user.key'), exportPrivateKeyPem(userKeys.privateKey));
    writeFileSync(file('other-root.pem'), certificateToPem(createSelfSignedRoot({ subject: { CN: 'Чужой УЦ' }, ...generateKeyPair() })));
    writeFileSync(file('document.txt'), 'Договор № 1\n'.repeat(1000));
    writeFileSync(file('changed.txt'), 'Договор № 2\n'.repeat(1000));
    writeFileSync(file('thumbprint'), certificateThumbprint(user));
  });

  test('sign --detached, then verify: valid with a signer report, exit 0', () => {
    const signed = kca(['cms', 'sign', '--cert', file('user.pem'), '--key', file('user.key'), '--detached', file('document.txt')]);
    assert.equal(signed.status, 0, signed.stderr);
    assert.equal(signed.stdout[0], 0x30, 'DER on stdout');
    writeFileSync(file('document.sig'), signed.stdout);

    const verified = kca(['cms', 'verify', '--content', file('document.txt'), '--signature', file('document.sig'), '--trusted', file('root.pem')]);
    assert.equal(verified.status, 0, verified.text + verified.stderr);
    assert.match(verified.text, /^Signature: VALID\n/);
    assert.match(verified.text, /CN=Кузнецов Олег/);
    assert.match(verified.text, /SNILS: 11223344595/);
    assert.match(verified.text, new RegExp(`Thumbprint: ${readFileSync(file('thumbprint'), 'utf8')}`));
    assert.match(verified.text, /Chain: Кузнецов Олег <- Тестовый УЦ/);

    const changed = kca(['cms', 'verify', '--content', file('changed.txt'), '--signature', file('document.sig'), '--trusted', file('root.pem')]);
    assert.equal(changed.status, 1);
    assert.match(changed.text, /INVALID \(digest-mismatch\)/);

    const untrusted = kca(['cms', 'verify', '--content', file('document.txt'), '--signature', file('document.sig'), '--trusted', file('other-root.pem')]);
    assert.equal(untrusted.status, 1);
    assert.match(untrusted.text, /INVALID \(untrusted-chain\)/);

    const unchecked = kca(['cms', 'verify', '--content', file('document.txt'), '--signature', file('document.sig')]);
    assert.equal(unchecked.status, 0);
    assert.match(unchecked.text, /chain NOT checked/);
  });

  test('verify reports the CAdES level and the time-stamp of a CAdES-T signature, and refuses one whose time-stamp is foreign', async () => {
    const pki = makeTestPki();
    const content = Buffer.from('Приказ № 5\n'.repeat(100));
    const bes = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, content });
    writeFileSync(file('cades-t.sig'), await addSignatureTimeStamp(bes, (imprint) => issueTimeStampToken(pki.tsa, { imprint, certReq: true })));
    writeFileSync(file('cades-content.txt'), content);
    writeFileSync(file('cades-root.pem'), certificateToPem(pki.root));
    const verified = kca(['cms', 'verify', '--content', file('cades-content.txt'), '--signature', file('cades-t.sig'), '--trusted', file('cades-root.pem')]);
    assert.equal(verified.status, 0, verified.text + verified.stderr);
    assert.match(verified.text, /Level: CAdES-T\n/);
    assert.match(verified.text, /Time-stamp: \d{4}-\d\d-\d\dT[\d:.]+Z by .*CN=Служба штампов времени/);
    const otherTsa = makeTestPki().tsa;
    writeFileSync(file('foreign-t.sig'), await addSignatureTimeStamp(bes, (imprint) => issueTimeStampToken(otherTsa, { imprint, certReq: true })));
    const foreign = kca(['cms', 'verify', '--content', file('cades-content.txt'), '--signature', file('foreign-t.sig'), '--trusted', file('cades-root.pem')]);
    assert.equal(foreign.status, 1);
    assert.match(foreign.text, /INVALID \(bad-timestamp\)/);
  });

  test('sign without --detached embeds the content; verify needs no --content', () => {
    const signed = kca(['cms', 'sign', '--cert', file('user.pem'), '--key', file('user.key'), '--out', file('attached.sig'), file('document.txt')]);
    assert.equal(signed.status, 0, signed.stderr);
    const verified = kca(['cms', 'verify', '--signature', file('attached.sig'), '--trusted', file('root.der')]);
    assert.equal(verified.status, 0, verified.text + verified.stderr);
  });

  test('OpenSSL verifies a signature made by kca cms sign', (t) => {
    const openssl = opensslOrSkip(t, gostOpenssl());
    if (!openssl) return;
    try {
      const signed = kca(['cms', 'sign', '--cert', file('user.pem'), '--key', file('user.key'), '--detached', file('document.txt')]);
      writeFileSync(openssl.path('document.sig'), signed.stdout);
      const result = openssl.run(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'document.sig', '-content', file('document.txt'), '-CAfile', file('root.pem'), '-out', '/dev/null']);
      assert.equal(result.status, 0, result.stderr);
    } finally {
      openssl.cleanup();
    }
  });

  test('verify on garbage: invalid (malformed), no crash', () => {
    const result = kca(['cms', 'verify', '--content', file('document.txt'), '--signature', file('document.txt'), '--trusted', file('root.pem')]);
    assert.equal(result.status, 1);
    assert.match(result.text, /INVALID \(malformed\)/);
    assert.equal(result.stderr, '');
  });

  test('cms usage and file errors: exit 2 / exit 1, one line', () => {
    for (const args of [['cms'], ['cms', 'sign', file('document.txt')], ['cms', 'verify'], ['cms', 'frobnicate'], ['cms', 'verify', '--signature', 'x', '--nope']]) {
      const result = kca(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assertOneLineError(result.stderr);
    }
    const missingKey = kca(['cms', 'sign', '--cert', file('user.pem'), '--key', file('absent.key'), '--out', file('x.sig'), file('document.txt')]);
    assert.equal(missingKey.status, 1);
    assertOneLineError(missingKey.stderr);
    const wrongKey = kca(['cms', 'sign', '--cert', file('user.pem'), '--key', file('user.pem'), '--out', file('x.sig'), file('document.txt')]);
    assert.equal(wrongKey.status, 1);
    assertOneLineError(wrongKey.stderr);
  });

  test('cert show: PEM and DER, text and JSON', () => {
    const shown = kca(['cert', 'show', file('user.pem')]);
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.text, /Subject:\s+.*CN=Кузнецов Олег/);
    assert.match(shown.text, /SNILS\s+11223344595/);
    assert.match(shown.text, /INN\s+500100732259/);
    assert.match(shown.text, new RegExp(`Thumbprint \\(SHA-1\\):\\s+${readFileSync(file('thumbprint'), 'utf8')}`));
    assert.match(shown.text, /tc26-256-A/);
    const json = JSON.parse(kca(['cert', 'show', '--json', file('root.der')]).text);
    assert.equal(json.subjectFields.CN, 'Тестовый УЦ');
    assert.equal(json.isCA, true);
    assert.equal(json.paramSet, 'cryptopro-A');
  });

  test('cert show errors', () => {
    const garbage = kca(['cert', 'show', file('document.txt')]);
    assert.equal(garbage.status, 1);
    assertOneLineError(garbage.stderr);
    assert.match(garbage.stderr, /not a certificate/);
    for (const args of [['cert'], ['cert', 'list'], ['cert', 'show']]) {
      const result = kca(args);
      assert.equal(result.status, 2, args.join(' '));
      assertOneLineError(result.stderr);
    }
  });
});
