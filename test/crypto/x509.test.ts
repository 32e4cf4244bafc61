import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { generateKeyPair, type GostKeyPair } from '../../src/crypto/gost3410.ts';
import { exportPrivateKeyPem, importPrivateKey } from '../../src/crypto/keys.ts';
import { OID } from '../../src/crypto/oids.ts';
import {
  CertificateError, buildCertificateChain, certificateThumbprint, certificateToPem, createCertificate,
  createSelfSignedRoot, issueEndEntityCertificate, naturalPersonSubject, parseCertificate, summarizeCertificate,
  verifyCertificateSignature, type Certificate,
} from '../../src/crypto/x509.ts';
import { NameError, encodeName } from '../../src/crypto/x509-names.ts';
import { gostOpenssl, opensslOrSkip } from './openssl.ts';

const DAY = 86_400_000;

function makeRoot(keys: GostKeyPair = generateKeyPair('cryptopro-A'), cn = 'Тестовый корневой УЦ'): { keys: GostKeyPair; certificate: Certificate } {
  return { keys, certificate: createSelfSignedRoot({ subject: { CN: cn, O: 'ООО «Тест»', C: 'RU' }, ...keys }) };
}

const person = naturalPersonSubject({
  lastName: 'Иванов',
  firstName: 'Иван',
  middleName: 'Иванович',
  snils: '112-233-445 95',
  inn: '500100732259',
  email: 'ivanov@example.ru',
});

describe('building and parsing certificates', () => {
  test('a natural-person certificate carries the Russian attributes and the extensions asked for', () => {
    const root = makeRoot();
    const userKeys = generateKeyPair('tc26-256-A');
    const certificate = issueEndEntityCertificate({
      subject: person,
      publicKey: userKeys.publicKey,
      issuerCertificate: root.certificate,
      issuerPrivateKey: root.keys.privateKey,
      validDays: 30,
    });
    const summary = summarizeCertificate(certificate);
    assert.deepEqual(summary.subjectFields, {
      E: 'ivanov@example.ru', SNILS: '11223344595', INN: '500100732259', C: 'RU',
      CN: 'Иванов Иван Иванович', SN: 'Иванов', G: 'Иван Иванович',
    });
    assert.equal(summary.issuerFields.CN, 'Тестовый корневой УЦ');
    assert.equal(summary.paramSet, 'tc26-256-A');
    assert.equal(summary.keyAlgorithmOid, OID.gost3410_2012_256);
    assert.equal(summary.signatureAlgorithmOid, OID.signWithStreebog256);
    assert.equal(summary.isCA, false);
    assert.deepEqual(summary.keyUsage, ['digitalSignature', 'nonRepudiation', 'keyEncipherment']);
    assert.deepEqual(summary.extendedKeyUsage, ['clientAuth', 'emailProtection']);
    assert.equal(summary.authorityKeyIdentifier, summarizeCertificate(root.certificate).subjectKeyIdentifier);
    assert.match(summary.thumbprint, /^[0-9A-F]{40}$/);
    assert.match(summary.serialNumber, /^[0-9A-F]+$/);
    assert.equal(Date.parse(summary.notAfter) - Date.parse(summary.notBefore), 30 * DAY);
    assert.ok(verifyCertificateSignature(certificate, root.certificate));
    assert.ok(!verifyCertificateSignature(certificate, certificate), 'not self-signed');
    assert.ok(verifyCertificateSignature(root.certificate, root.certificate));
    assert.equal(summarizeCertificate(root.certificate).isCA, true);
  });

  test('legal-entity attributes and a 512-bit CA issuing a 256-bit certificate', () => {
    const root = makeRoot(generateKeyPair('tc26-512-A'));
    const certificate = issueEndEntityCertificate({
      subject: { CN: 'ООО Ромашка', O: 'ООО Ромашка', INNLE: '7707083893', OGRN: '1027700132195', T: 'Генеральный директор', STREET: 'ул. Ленина, д. 1', L: 'Москва', ST: '77 г. Москва', C: 'RU' },
      publicKey: generateKeyPair('cryptopro-B').publicKey,
      issuerCertificate: root.certificate,
      issuerPrivateKey: root.keys.privateKey,
    });
    assert.equal(certificate.signatureAlgorithmOid, OID.signWithStreebog512);
    assert.equal(summarizeCertificate(certificate).subjectFields.INNLE, '7707083893');
    assert.equal(summarizeCertificate(certificate).subjectFields.OGRN, '1027700132195');
    assert.ok(verifyCertificateSignature(certificate, root.certificate));
  });

  test('names with invalid identifiers are refused', () => {
    assert.throws(() => encodeName({ SNILS: '123' }), NameError);
    assert.throws(() => encodeName({ INN: '50010073225X' }), NameError);
    assert.throws(() => encodeName({ C: 'Russia' }), NameError);
    assert.throws(() => encodeName({ E: 'not an email' }), NameError);
    assert.throws(() => encodeName({}), NameError);
  });

  test('an issuer key that does not match the issuer certificate is refused', () => {
    const root = makeRoot();
    assert.throws(() => issueEndEntityCertificate({
      subject: person,
      publicKey: generateKeyPair().publicKey,
      issuerCertificate: root.certificate,
      issuerPrivateKey: generateKeyPair().privateKey,
    }), /does not belong/);
  });

  test('garbage never crashes the parser: only CertificateError', () => {
    const { certificate } = makeRoot();
    const inputs: Uint8Array[] = [new Uint8Array(0), randomBytes(10), randomBytes(2000), Uint8Array.of(0x30, 0x80), Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff)];
    for (let cut = 1; cut < certificate.der.length; cut += 37) inputs.push(certificate.der.subarray(0, cut));
    for (let i = 0; i < certificate.der.length; i += 3) {
      const mutated = Uint8Array.from(certificate.der);
      mutated[i] ^= 1 << (i % 8);
      inputs.push(mutated);
    }
    for (const input of inputs) {
      try {
        const parsed = parseCertificate(input);
        // A mutation that still parses must not verify (unless it hit nothing signed).
        if (!Buffer.from(parsed.tbs).equals(Buffer.from(certificate.tbs))) assert.ok(!verifyCertificateSignature(parsed, certificate));
      } catch (error) {
        assert.ok(error instanceof CertificateError, `unexpected ${(error as Error).name}: ${(error as Error).message}`);
      }
    }
    assert.throws(() => parseCertificate('hello'), CertificateError);
    assert.throws(() => parseCertificate('-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----'), Error);
  });
});

describe('chains to trusted roots', () => {
  const root = makeRoot();
  const intermediateKeys = generateKeyPair('cryptopro-A');
  const intermediate = createCertificate(
    { subject: { CN: 'Промежуточный УЦ', C: 'RU' }, publicKey: intermediateKeys.publicKey, isCA: true, pathLength: 0, validDays: 1000 },
    { certificate: root.certificate, privateKey: root.keys.privateKey },
  );
  const leafKeys = generateKeyPair('cryptopro-A');
  const leaf = issueEndEntityCertificate({
    subject: person, publicKey: leafKeys.publicKey, issuerCertificate: intermediate, issuerPrivateKey: intermediateKeys.privateKey, validDays: 10,
  });

  test('leaf -> intermediate -> trusted root', () => {
    const result = buildCertificateChain(leaf, { trustedRoots: [root.certificate], intermediates: [intermediate] });
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.deepEqual(result.chain.map((c) => c.serialNumber), [leaf, intermediate, root.certificate].map((c) => c.serialNumber));
  });

  test('a trusted root alone is a chain', () => {
    const result = buildCertificateChain(root.certificate, { trustedRoots: [root.certificate] });
    assert.ok(result.ok);
  });

  test('missing intermediate or no trusted root: untrusted-chain', () => {
    const withoutIntermediate = buildCertificateChain(leaf, { trustedRoots: [root.certificate] });
    assert.equal(withoutIntermediate.ok ? 'ok' : withoutIntermediate.reason, 'untrusted-chain');
    const otherRoot = makeRoot(undefined, 'Чужой УЦ');
    const untrusted = buildCertificateChain(leaf, { trustedRoots: [otherRoot.certificate], intermediates: [intermediate, root.certificate] });
    assert.equal(untrusted.ok ? 'ok' : untrusted.reason, 'untrusted-chain');
  });

  test('validity times: expired and not yet valid', () => {
    const later = buildCertificateChain(leaf, { trustedRoots: [root.certificate], intermediates: [intermediate], at: new Date(Date.now() + 11 * DAY) });
    assert.equal(later.ok ? 'ok' : later.reason, 'certificate-expired');
    const earlier = buildCertificateChain(leaf, { trustedRoots: [root.certificate], intermediates: [intermediate], at: new Date(Date.now() - DAY) });
    assert.equal(earlier.ok ? 'ok' : earlier.reason, 'certificate-not-yet-valid');
  });

  test('a certificate altered after signing: bad-certificate-signature', () => {
    // Change one letter of the subject's common name; the DER stays well-formed.
    const der = Uint8Array.from(leaf.der);
    const at = Buffer.from(der).indexOf(Buffer.from('Иванович', 'utf8'));
    assert.ok(at > 0);
    der[at + 1] ^= 0x01;
    const altered = parseCertificate(der);
    const result = buildCertificateChain(altered, { trustedRoots: [root.certificate], intermediates: [intermediate] });
    assert.equal(result.ok ? 'ok' : result.reason, 'bad-certificate-signature');
  });

  test('an end-entity certificate cannot act as an issuer: not-a-ca', () => {
    // Forge a certificate "issued" by the leaf: signed by the leaf key, leaf as issuer.
    const forged = createCertificate(
      { subject: { CN: 'Подделка', C: 'RU' }, publicKey: generateKeyPair().publicKey, validDays: 5 },
      { certificate: { ...leaf, basicConstraints: { ca: true } }, privateKey: leafKeys.privateKey },
    );
    const result = buildCertificateChain(forged, { trustedRoots: [root.certificate], intermediates: [intermediate, leaf] });
    assert.equal(result.ok ? 'ok' : result.reason, 'not-a-ca');
  });
});

describe('certificates against OpenSSL (gost engine)', () => {
  const runner = gostOpenssl();
  after(() => {
    if (!('unavailable' in runner)) runner.cleanup();
  });

  test('OpenSSL verifies our root and end-entity certificates (256- and 512-bit issuers)', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    for (const rootSet of ['cryptopro-A', 'tc26-512-C'] as const) {
      const root = makeRoot(generateKeyPair(rootSet));
      const leaf = issueEndEntityCertificate({
        subject: person, publicKey: generateKeyPair('tc26-256-A').publicKey, issuerCertificate: root.certificate, issuerPrivateKey: root.keys.privateKey,
      });
      writeFileSync(openssl.path('root.pem'), certificateToPem(root.certificate));
      writeFileSync(openssl.path('leaf.pem'), certificateToPem(leaf));
      const verified = openssl.run(['verify', '-CAfile', 'root.pem', 'leaf.pem']);
      assert.equal(verified.status, 0, `${rootSet}: ${verified.stderr}${verified.stdout}`);
      const text = openssl.ok(['x509', '-in', 'leaf.pem', '-noout', '-text', '-nameopt', 'utf8']).toString();
      assert.match(text, /SNILS\s*=\s*11223344595/);
      assert.match(text, /INN\s*=\s*500100732259/);
      const fingerprint = openssl.ok(['x509', '-in', 'leaf.pem', '-noout', '-fingerprint', '-sha1']).toString();
      assert.equal(fingerprint.trim().split('=')[1].replace(/:/g, ''), certificateThumbprint(leaf));
      // A different root must not verify the leaf.
      writeFileSync(openssl.path('other.pem'), certificateToPem(makeRoot().certificate));
      assert.notEqual(openssl.run(['verify', '-CAfile', 'other.pem', 'leaf.pem']).status, 0);
    }
  });

  test('we parse and verify certificates OpenSSL made (req -x509 and x509 -req)', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    openssl.ok(['genpkey', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', 'ca.key']);
    openssl.ok(['req', '-x509', '-md_gost12_256', '-key', 'ca.key', '-days', '30', '-out', 'ca.pem',
      '-subj', '/CN=Корневой УЦ OpenSSL/O=ООО Ромашка/C=RU']);
    openssl.ok(['genpkey', '-algorithm', 'gost2012_512', '-pkeyopt', 'paramset:C', '-out', 'user.key']);
    openssl.ok(['req', '-new', '-md_gost12_512', '-key', 'user.key', '-out', 'user.csr',
      '-subj', '/CN=Петров Пётр/SN=Петров/GN=Пётр/SNILS=11223344595/INN=500100732259/OGRN=1027700132195/emailAddress=petrov@example.ru/C=RU/ST=Москва/L=Москва/street=ул. Ленина, 1/O=ООО Ромашка/OU=ИТ/title=Инженер']);
    openssl.ok(['x509', '-req', '-md_gost12_256', '-in', 'user.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '10', '-extfile', 'openssl-gost.cnf', '-extensions', 'v3_signer', '-out', 'user.pem']);

    const ca = parseCertificate(readFileSync(openssl.path('ca.pem')));
    const user = parseCertificate(readFileSync(openssl.path('user.pem')));
    assert.ok(verifyCertificateSignature(ca, ca));
    assert.ok(verifyCertificateSignature(user, ca));
    const summary = summarizeCertificate(user);
    assert.deepEqual(summary.subjectFields, {
      CN: 'Петров Пётр', SN: 'Петров', G: 'Пётр', SNILS: '11223344595', INN: '500100732259', OGRN: '1027700132195',
      E: 'petrov@example.ru', C: 'RU', ST: 'Москва', L: 'Москва', STREET: 'ул. Ленина, 1', O: 'ООО Ромашка', OU: 'ИТ', T: 'Инженер',
    });
    assert.equal(summary.paramSet, 'tc26-512-C');
    assert.equal(summary.keyUsage.join(','), 'digitalSignature,nonRepudiation');
    const serial = openssl.ok(['x509', '-in', 'user.pem', '-noout', '-serial']).toString().trim().split('=')[1];
    assert.equal(summary.serialNumber, serial);
    const fingerprint = openssl.ok(['x509', '-in', 'user.pem', '-noout', '-fingerprint', '-sha1']).toString();
    assert.equal(summary.thumbprint, fingerprint.trim().split('=')[1].replace(/:/g, ''));
    const enddate = openssl.ok(['x509', '-in', 'user.pem', '-noout', '-enddate']).toString().trim().split('=')[1];
    assert.equal(user.notAfter.getTime(), Date.parse(enddate));
    const chain = buildCertificateChain(user, { trustedRoots: [ca] });
    assert.ok(chain.ok, chain.ok ? '' : chain.message);

    // Our CA issues for an OpenSSL key; OpenSSL accepts the result.
    const caKey = importPrivateKey(readFileSync(openssl.path('ca.key')));
    const ours = issueEndEntityCertificate({ subject: person, publicKey: generateKeyPair().publicKey, issuerCertificate: ca, issuerPrivateKey: caKey });
    writeFileSync(openssl.path('ours.pem'), certificateToPem(ours));
    const verified = openssl.run(['verify', '-CAfile', 'ca.pem', 'ours.pem']);
    assert.equal(verified.status, 0, verified.stderr);
    assert.equal(exportPrivateKeyPem(caKey), readFileSync(openssl.path('ca.key'), 'utf8'));
  });
});
