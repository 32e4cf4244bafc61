import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import {
  CmsError, parseCms, signCms, signCmsFile, verifyCms, verifyCmsFile, verifyCmsStream, type CmsVerifyResult,
} from '../../src/crypto/cms.ts';
import { parseDer } from '../../src/crypto/der.ts';
import { generateKeyPair, type GostKeyPair } from '../../src/crypto/gost3410.ts';
import { exportPrivateKeyPem, importPrivateKey } from '../../src/crypto/keys.ts';
import { hashFile, streebog256, streebog512 } from '../../src/crypto/streebog.ts';
import {
  certificateToPem, createSelfSignedRoot, issueEndEntityCertificate, naturalPersonSubject, parseCertificate, type Certificate,
} from '../../src/crypto/x509.ts';
import { gostOpenssl, opensslOrSkip } from './openssl.ts';

const DAY = 86_400_000;

function reason(result: CmsVerifyResult): string {
  return result.valid ? 'valid' : result.reason;
}

function makePki(signerSet: 'tc26-256-A' | 'tc26-512-A' = 'tc26-256-A') {
  const rootKeys = generateKeyPair('cryptopro-A');
  const root = createSelfSignedRoot({ subject: { CN: 'Тестовый УЦ', C: 'RU' }, ...rootKeys });
  const signerKeys: GostKeyPair = generateKeyPair(signerSet);
  const signer = issueEndEntityCertificate({
    subject: naturalPersonSubject({ lastName: 'Сидорова', firstName: 'Анна', snils: '11223344595', inn: '500100732259', email: 'anna@example.ru' }),
    publicKey: signerKeys.publicKey,
    issuerCertificate: root,
    issuerPrivateKey: rootKeys.privateKey,
    notBefore: new Date(Date.now() - DAY),
    validDays: 30,
  });
  return { root, rootKeys, signer, signerKeys };
}

const pki = makePki();
const content = new Uint8Array(Buffer.from('Заявление на выпуск сертификата\n'.repeat(50)));

describe('signing and verifying', () => {
  test('detached over content: verified with the content, its digest, a stream, a file', async () => {
    const cms = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, content });
    const options = { trustedRoots: [pki.root] };
    const result = verifyCms(cms, { ...options, content });
    assert.ok(result.valid, result.valid ? '' : result.message);
    assert.equal(result.signers[0].certificate?.serialNumber, pki.signer.serialNumber);
    assert.deepEqual(result.signers[0].chain?.map((c) => c.serialNumber), [pki.signer.serialNumber, pki.root.serialNumber]);
    assert.ok(Math.abs(result.signers[0].signingTime!.getTime() - Date.now()) < 60_000);
    assert.ok(verifyCms(cms, { ...options, contentDigest: streebog256(content) }).valid);
    assert.ok(verifyCms(cms, { ...options, contentDigest: { streebog256: streebog256(content) } }).valid);
    assert.ok((await verifyCmsStream(cms, Readable.from([content.subarray(0, 100), content.subarray(100)]), options)).valid);
    const dir = mkdtempSync(join(tmpdir(), 'kca-cms-'));
    try {
      writeFileSync(join(dir, 'content.txt'), content);
      assert.ok((await verifyCmsFile(cms, join(dir, 'content.txt'), options)).valid);
      // Signing a file goes through its streamed hash.
      const fromFile = await signCmsFile(join(dir, 'content.txt'), { certificate: pki.signer, privateKey: pki.signerKeys.privateKey });
      assert.ok(verifyCms(fromFile, { ...options, content }).valid);
      assert.deepEqual(await hashFile(join(dir, 'content.txt')), streebog256(content));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('detached over a precomputed hash equals signing the content', () => {
    const cms = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, contentDigest: streebog256(content) });
    assert.ok(verifyCms(cms, { trustedRoots: [pki.root], content }).valid);
    assert.throws(() => signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, contentDigest: streebog512(content) }), CmsError);
    assert.throws(() => signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, contentDigest: streebog256(content), detached: false }), CmsError);
    assert.throws(() => signCms({ certificate: pki.signer, privateKey: generateKeyPair('tc26-256-A').privateKey, content }), /does not belong/);
  });

  test('encapsulated signature carries and verifies its content', () => {
    const cms = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, content, detached: false });
    const result = verifyCms(cms, { trustedRoots: [pki.root] });
    assert.ok(result.valid);
    assert.deepEqual(result.content, content);
  });

  test('512-bit signer uses Streebog-512', () => {
    const big = makePki('tc26-512-A');
    const cms = signCms({ certificate: big.signer, privateKey: big.signerKeys.privateKey, content });
    assert.deepEqual(parseCms(cms).digestAlgorithms, ['streebog512']);
    const result = verifyCms(cms, { trustedRoots: [big.root], contentDigest: { streebog512: streebog512(content) } });
    assert.ok(result.valid);
    assert.equal(result.signers[0].digestAlgorithm, 'streebog512');
  });

  test('signature only (skipChainValidation) and the requirement to choose', () => {
    const cms = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, content });
    const unchecked = verifyCms(cms, { content, skipChainValidation: true });
    assert.ok(unchecked.valid);
    assert.equal(unchecked.chainChecked, false);
    assert.equal(reason(verifyCms(cms, { content })), 'untrusted-chain');
  });
});

describe('failures give the right reason', () => {
  const cms = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, content });
  const options = { trustedRoots: [pki.root] };

  function signerInfo(bytes: Uint8Array) {
    const signedData = parseDer(bytes).child(1).child(0);
    return signedData.children[signedData.children.length - 1].child(0);
  }

  test('changed content: digest-mismatch', () => {
    const changed = Uint8Array.from(content);
    changed[10] ^= 1;
    assert.equal(reason(verifyCms(cms, { ...options, content: changed })), 'digest-mismatch');
    assert.equal(reason(verifyCms(cms, { ...options, contentDigest: streebog256(changed) })), 'digest-mismatch');
  });

  test('changed signature value: bad-signature', () => {
    const info = signerInfo(cms);
    const signature = info.children[info.children.length - 1];
    const tampered = Uint8Array.from(cms);
    tampered[signature.contentStart + 7] ^= 0x40;
    assert.equal(reason(verifyCms(tampered, { ...options, content })), 'bad-signature');
  });

  test('changed signed attributes: signingTime -> bad-signature, messageDigest -> digest-mismatch', () => {
    const attributes = signerInfo(cms).children[3];
    const bytes = Buffer.from(cms);
    const timeAt = bytes.indexOf(Buffer.from([0x17, 0x0d]), attributes.start); // the UTCTime
    assert.ok(timeAt > 0);
    const tamperedTime = Uint8Array.from(cms);
    tamperedTime[timeAt + 2 + 11] = tamperedTime[timeAt + 2 + 11] === 0x30 ? 0x31 : 0x30; // a seconds digit
    assert.equal(reason(verifyCms(tamperedTime, { ...options, content })), 'bad-signature');

    const digestAt = bytes.indexOf(Buffer.from(streebog256(content)));
    assert.ok(digestAt > attributes.start);
    const tamperedDigest = Uint8Array.from(cms);
    tamperedDigest[digestAt] ^= 1;
    assert.equal(reason(verifyCms(tamperedDigest, { ...options, content })), 'digest-mismatch');
  });

  test('changed embedded certificate: signing-certificate-mismatch', () => {
    const at = Buffer.from(cms).indexOf(Buffer.from('Сидорова', 'utf8'));
    const tampered = Uint8Array.from(cms);
    tampered[at + 1] ^= 1;
    assert.equal(reason(verifyCms(tampered, { ...options, content })), 'signing-certificate-mismatch');
  });

  test('signer certificate outside its validity at signing time', () => {
    const late = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, content, signingTime: new Date(Date.now() + 40 * DAY) });
    assert.equal(reason(verifyCms(late, { ...options, content })), 'certificate-expired');
    const early = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, content, signingTime: new Date(Date.now() - 10 * DAY) });
    assert.equal(reason(verifyCms(early, { ...options, content })), 'certificate-not-yet-valid');
    assert.equal(reason(verifyCms(cms, { ...options, content, at: new Date(Date.now() + 40 * DAY) })), 'certificate-expired');
  });

  test('wrong trusted root: untrusted-chain', () => {
    const other = makePki();
    assert.equal(reason(verifyCms(cms, { trustedRoots: [other.root], content })), 'untrusted-chain');
    assert.equal(reason(verifyCms(cms, { trustedRoots: [], content })), 'untrusted-chain');
  });

  test('detached signature without content: content-missing', () => {
    assert.equal(reason(verifyCms(cms, options)), 'content-missing');
  });

  test('garbage is malformed, never an exception', async () => {
    const inputs: Uint8Array[] = [
      new Uint8Array(0), randomBytes(1), randomBytes(64), randomBytes(5000), content,
      Uint8Array.of(0x30, 0x80, 0x00, 0x00), Uint8Array.of(0x30, 0x03, 0x06, 0x01, 0x00),
      new Uint8Array(Buffer.from('-----BEGIN CMS-----\nAAAA\n-----END CMS-----\n')),
    ];
    for (const input of inputs) {
      const result = verifyCms(input, { ...options, content });
      assert.equal(result.valid, false);
      assert.equal(reason(result), 'malformed');
      assert.ok(!result.valid && result.message.length > 0);
      assert.equal(reason(await verifyCmsStream(input, Readable.from([content]), options)), 'malformed');
    }
    for (let cut = 0; cut < cms.length; cut += 29) {
      const result = verifyCms(cms.subarray(0, cut), { ...options, content });
      assert.equal(result.valid, false, `truncated at ${cut}`);
    }
  });

  test('every single-byte change in the signer information is caught', () => {
    const info = signerInfo(cms);
    let checked = 0;
    for (let i = info.start; i < info.end; i += 2) {
      const mutated = Uint8Array.from(cms);
      mutated[i] ^= 0x01 << (i % 8);
      const result = verifyCms(mutated, { ...options, content });
      assert.equal(result.valid, false, `change at byte ${i} went unnoticed`);
      checked++;
    }
    assert.ok(checked > 100);
  });
});

describe('CMS against OpenSSL (gost engine)', () => {
  const runner = gostOpenssl();
  after(() => {
    if (!('unavailable' in runner)) runner.cleanup();
  });

  test('we verify what openssl cms -sign made (detached, attached, 512-bit, without certificates)', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    openssl.ok(['genpkey', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', 'ca.key']);
    openssl.ok(['req', '-x509', '-md_gost12_256', '-key', 'ca.key', '-days', '30', '-out', 'ca.pem', '-subj', '/CN=УЦ OpenSSL/C=RU']);
    for (const [size, md] of [[256, 'md_gost12_256'], [512, 'md_gost12_512']] as const) {
      openssl.ok(['genpkey', '-algorithm', `gost2012_${size}`, '-pkeyopt', 'paramset:A', '-out', 'signer.key']);
      openssl.ok(['req', '-new', `-${md}`, '-key', 'signer.key', '-out', 'signer.csr', '-subj', '/CN=Подписант/SNILS=11223344595/C=RU']);
      openssl.ok(['x509', '-req', '-md_gost12_256', '-in', 'signer.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '10',
        '-extfile', 'openssl-gost.cnf', '-extensions', 'v3_signer', '-out', 'signer.pem']);
      writeFileSync(openssl.path('content.bin'), content);
      const root = parseCertificate(readFileSync(openssl.path('ca.pem')));
      const options = { trustedRoots: [root] };

      openssl.ok(['cms', '-sign', '-binary', '-md', md, '-signer', 'signer.pem', '-inkey', 'signer.key', '-in', 'content.bin', '-outform', 'DER', '-out', 'detached.p7s']);
      const detached: Buffer = readFileSync(openssl.path('detached.p7s'));
      const result = verifyCms(detached, { ...options, content });
      assert.ok(result.valid, `${size}: ${result.valid ? '' : result.message}`);
      assert.equal(result.signers[0].certificate?.subject.find((a) => a.key === 'SNILS')?.value, '11223344595');
      const changed = Uint8Array.from(content);
      changed[0] ^= 1;
      assert.equal(reason(verifyCms(detached, { ...options, content: changed })), 'digest-mismatch');
      // A certificate altered inside an OpenSSL CMS (no ESS attribute there) fails its chain.
      const at = detached.indexOf(Buffer.from('Подписант', 'utf8'));
      const tampered = Uint8Array.from(detached);
      tampered[at + 1] ^= 1;
      assert.equal(reason(verifyCms(tampered, { ...options, content })), 'bad-certificate-signature');

      openssl.ok(['cms', '-sign', '-binary', '-nodetach', '-md', md, '-signer', 'signer.pem', '-inkey', 'signer.key', '-in', 'content.bin', '-outform', 'DER', '-out', 'attached.p7s']);
      const attached = verifyCms(readFileSync(openssl.path('attached.p7s')), options);
      assert.ok(attached.valid, attached.valid ? '' : attached.message);
      assert.deepEqual(new Uint8Array(attached.content ?? []), content);

      // Streaming mode writes BER with indefinite lengths; PEM armour on top.
      openssl.ok(['cms', '-sign', '-binary', '-stream', '-nodetach', '-md', md, '-signer', 'signer.pem', '-inkey', 'signer.key', '-in', 'content.bin', '-outform', 'PEM', '-out', 'streamed.pem']);
      const streamed = verifyCms(readFileSync(openssl.path('streamed.pem')), options);
      assert.ok(streamed.valid, streamed.valid ? '' : streamed.message);
      assert.deepEqual(new Uint8Array(streamed.content ?? []), content);

      openssl.ok(['cms', '-sign', '-binary', '-nocerts', '-md', md, '-signer', 'signer.pem', '-inkey', 'signer.key', '-in', 'content.bin', '-outform', 'DER', '-out', 'nocerts.p7s']);
      const nocerts: Buffer = readFileSync(openssl.path('nocerts.p7s'));
      assert.equal(reason(verifyCms(nocerts, { ...options, content })), 'signer-not-found');
      const signerCertificate = parseCertificate(readFileSync(openssl.path('signer.pem')));
      assert.ok(verifyCms(nocerts, { ...options, content, signerCertificates: [signerCertificate] }).valid);
    }
  });

  test('openssl cms -verify accepts what we made (detached, attached, by hash, 512-bit)', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    for (const set of ['tc26-256-A', 'tc26-512-A'] as const) {
      const local = makePki(set);
      writeFileSync(openssl.path('root.pem'), certificateToPem(local.root));
      writeFileSync(openssl.path('content.bin'), content);
      const detached = signCms({ certificate: local.signer, privateKey: local.signerKeys.privateKey, content });
      writeFileSync(openssl.path('ours.p7s'), detached);
      const verified = openssl.run(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'ours.p7s', '-content', 'content.bin', '-CAfile', 'root.pem', '-out', 'out.bin']);
      assert.equal(verified.status, 0, `${set} detached: ${verified.stderr}`);
      assert.deepEqual(new Uint8Array(readFileSync(openssl.path('out.bin'))), content);

      const byHash = signCms({
        certificate: local.signer, privateKey: local.signerKeys.privateKey,
        contentDigest: set === 'tc26-256-A' ? streebog256(content) : streebog512(content),
      });
      writeFileSync(openssl.path('hash.p7s'), byHash);
      const hashVerified = openssl.run(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'hash.p7s', '-content', 'content.bin', '-CAfile', 'root.pem', '-out', 'out.bin']);
      assert.equal(hashVerified.status, 0, `${set} by hash: ${hashVerified.stderr}`);

      writeFileSync(openssl.path('attached.p7s'), signCms({ certificate: local.signer, privateKey: local.signerKeys.privateKey, content, detached: false }));
      const attached = openssl.run(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'attached.p7s', '-CAfile', 'root.pem', '-out', 'out.bin']);
      assert.equal(attached.status, 0, `${set} attached: ${attached.stderr}`);
      assert.deepEqual(new Uint8Array(readFileSync(openssl.path('out.bin'))), content);

      // Sanity: OpenSSL, too, rejects our signature over changed content.
      const changed = Uint8Array.from(content);
      changed[3] ^= 1;
      writeFileSync(openssl.path('changed.bin'), changed);
      assert.notEqual(openssl.run(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'ours.p7s', '-content', 'changed.bin', '-CAfile', 'root.pem', '-out', 'out.bin']).status, 0);
    }
  });

  test('an OpenSSL key and certificate sign through our API; OpenSSL verifies', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    openssl.ok(['genpkey', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:B', '-out', 'self.key']);
    openssl.ok(['req', '-x509', '-md_gost12_256', '-key', 'self.key', '-days', '5', '-out', 'self.pem', '-subj', '/CN=Самоподписанный/C=RU']);
    const certificate = parseCertificate(readFileSync(openssl.path('self.pem')));
    const privateKey = importPrivateKey(readFileSync(openssl.path('self.key')));
    assert.equal(exportPrivateKeyPem(privateKey), readFileSync(openssl.path('self.key'), 'utf8'));
    writeFileSync(openssl.path('content.bin'), content);
    writeFileSync(openssl.path('self.p7s'), signCms({ certificate, privateKey, content }));
    const verified = openssl.run(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'self.p7s', '-content', 'content.bin', '-CAfile', 'self.pem', '-out', 'out.bin']);
    assert.equal(verified.status, 0, verified.stderr);
  });
});
