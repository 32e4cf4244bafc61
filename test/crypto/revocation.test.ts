import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { createCrl, crlToPem, findRevocation, parseCrl, verifyCrlSignature } from '../../src/crypto/crl.ts';
import { exportPrivateKeyPem } from '../../src/crypto/keys.ts';
import {
  answerOcspRequest, encodeOcspRequest, ocspCertId, parseOcspRequest, parseOcspResponse, verifyOcspResponse, type OcspCertStatus,
} from '../../src/crypto/ocsp.ts';
import { certificateToPem, parseCertificate } from '../../src/crypto/x509.ts';
import { gostOpenssl, opensslOrSkip } from './openssl.ts';
import { DAY, makeTestPki } from './pki.ts';

const pki = makeTestPki();
const revokedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
const crl = createCrl({
  issuer: pki.root,
  privateKey: pki.rootKeys.privateKey,
  thisUpdate: new Date(Date.now() - 60_000),
  nextUpdate: new Date(Date.now() + DAY),
  crlNumber: 12n,
  revoked: [{ serialNumber: pki.other.serialNumber, revocationDate: revokedAt, reason: 'keyCompromise' }],
});
const lookup = (serial: bigint): OcspCertStatus | undefined =>
  serial === pki.other.serialNumber ? { status: 'revoked', revocationTime: revokedAt, reason: 'keyCompromise' }
  : serial === pki.signer.serialNumber ? { status: 'good' }
  : undefined;

describe('CRLs (ours)', () => {
  test('a CRL lists the revoked certificate with its reason, and is signed by the CA', () => {
    const parsed = parseCrl(crl.der);
    assert.equal(parsed.crlNumber, 12n);
    assert.deepEqual(parsed.revoked, [{ serialNumber: pki.other.serialNumber, revocationDate: revokedAt, reason: 'keyCompromise' }]);
    assert.ok(verifyCrlSignature(parsed, pki.root));
    assert.ok(!verifyCrlSignature(parsed, pki.tsa.certificate), 'another key');
    assert.equal(findRevocation(parsed, pki.other)?.reason, 'keyCompromise');
    assert.equal(findRevocation(parsed, pki.signer), undefined);
    assert.deepEqual(parseCrl(new Uint8Array(Buffer.from(crlToPem(parsed)))).der, parsed.der, 'PEM round trip');
    const tampered = Uint8Array.from(crl.der);
    tampered[tampered.length - 1] ^= 1;
    assert.ok(!verifyCrlSignature(parseCrl(tampered), pki.root));
    assert.throws(() => parseCrl(new Uint8Array([0x30, 0x03, 1, 2, 3])), /malformed CRL/);
  });
});

describe('OCSP (ours)', () => {
  test('good, revoked and unknown answers, with the nonce echoed, verify', () => {
    const request = encodeOcspRequest({
      certIds: [ocspCertId(pki.signer, pki.root), ocspCertId(pki.other, pki.root, 'streebog256'), ocspCertId(pki.tsa.certificate, pki.tsa.certificate)],
      nonce: new Uint8Array([1, 2, 3, 4]),
    });
    assert.equal(parseOcspRequest(request).certIds.length, 3);
    const response = parseOcspResponse(answerOcspRequest({ certificate: pki.root, privateKey: pki.rootKeys.privateKey }, request, lookup));
    assert.equal(response.status, 'successful');
    const basic = response.basic!;
    assert.deepEqual(basic.responses.map((r) => r.certStatus.status), ['good', 'revoked', 'unknown']);
    assert.deepEqual(basic.nonce, new Uint8Array([1, 2, 3, 4]));
    const good = verifyOcspResponse(basic, pki.signer, pki.root, { nonce: new Uint8Array([1, 2, 3, 4]) });
    assert.ok(good.valid && good.single.certStatus.status === 'good');
    const revoked = verifyOcspResponse(basic, pki.other, pki.root);
    assert.ok(revoked.valid && revoked.single.certStatus.status === 'revoked' && revoked.single.certStatus.reason === 'keyCompromise');
    assert.equal(verifyOcspResponse(basic, pki.signer, pki.root, { nonce: new Uint8Array([9]) }).valid, false);
    // Signed by someone else than the issuer (no delegation): refused.
    const forged = parseOcspResponse(answerOcspRequest({ certificate: pki.tsa.certificate, privateKey: pki.tsa.privateKey }, request, lookup)).basic!;
    const refused = verifyOcspResponse(forged, pki.signer, pki.root);
    assert.ok(!refused.valid && refused.reason === 'unauthorized-responder');
  });

  test('a malformed request gets malformedRequest', () => {
    assert.equal(parseOcspResponse(answerOcspRequest({ certificate: pki.root, privateKey: pki.rootKeys.privateKey }, new Uint8Array([0x30, 0]), lookup)).status, 'malformedRequest');
  });
});

describe('CRLs and OCSP against OpenSSL with the GOST engine', () => {
  const runner = gostOpenssl();
  after(() => {
    if (!('unavailable' in runner)) runner.cleanup();
  });

  test('openssl crl verifies our CRL, and openssl verify -crl_check uses it', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    writeFileSync(openssl.path('root.pem'), certificateToPem(pki.root));
    writeFileSync(openssl.path('signer.pem'), certificateToPem(pki.signer));
    writeFileSync(openssl.path('other.pem'), certificateToPem(pki.other));
    writeFileSync(openssl.path('crl.der'), crl.der);
    writeFileSync(openssl.path('crl.pem'), crlToPem(crl));
    assert.match(openssl.run(['crl', '-inform', 'DER', '-in', 'crl.der', '-CAfile', 'root.pem', '-noout']).stderr, /verify OK/);
    assert.match(openssl.ok(['crl', '-inform', 'DER', '-in', 'crl.der', '-noout', '-text']).toString(), /CRL Number:\s+12[\s\S]*Key Compromise/);
    openssl.ok(['verify', '-crl_check', '-CAfile', 'root.pem', '-CRLfile', 'crl.pem', 'signer.pem']);
    const revoked = openssl.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-CRLfile', 'crl.pem', 'other.pem']);
    assert.notEqual(revoked.status, 0);
    assert.match(revoked.stdout.toString() + revoked.stderr, /certificate revoked/);
  });

  test('we parse and check a CRL OpenSSL made', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    writeFileSync(openssl.path('root.pem'), certificateToPem(pki.root));
    writeFileSync(openssl.path('root.key'), exportPrivateKeyPem(pki.rootKeys.privateKey));
    writeFileSync(openssl.path('other.pem'), certificateToPem(pki.other));
    writeFileSync(openssl.path('ca.cnf'), `[ca]
default_ca = ca_section
[ca_section]
database = ${openssl.path('index.txt')}
crlnumber = ${openssl.path('crlnumber')}
default_md = md_gost12_256
default_crl_days = 1
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
`);
    const serialHex = pki.other.serialNumberHex;
    const expiry = '351231000000Z';
    const revokedStamp = '250101000000Z';
    writeFileSync(openssl.path('index.txt'), `R\t${expiry}\t${revokedStamp},keyCompromise\t${serialHex}\tunknown\t/CN=Другой\n`);
    writeFileSync(openssl.path('crlnumber'), '05\n');
    openssl.ok(['ca', '-config', 'ca.cnf', '-gencrl', '-cert', 'root.pem', '-keyfile', 'root.key', '-out', 'openssl.crl']);
    const theirs = parseCrl(readFileSync(openssl.path('openssl.crl')));
    assert.equal(theirs.crlNumber, 5n);
    assert.ok(verifyCrlSignature(theirs, pki.root));
    assert.equal(findRevocation(theirs, pki.other)?.reason, 'keyCompromise');
    assert.equal(findRevocation(theirs, pki.other)?.revocationDate.toISOString(), '2025-01-01T00:00:00.000Z');
  });

  test('openssl ocsp accepts our answers to its requests (SHA-1 and Streebog CertIDs); the nonce is echoed', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    writeFileSync(openssl.path('root.pem'), certificateToPem(pki.root));
    writeFileSync(openssl.path('signer.pem'), certificateToPem(pki.signer));
    writeFileSync(openssl.path('other.pem'), certificateToPem(pki.other));
    const responder = { certificate: pki.root, privateKey: pki.rootKeys.privateKey };
    const digests: string[][] = [[], ['-md_gost12_256']];
    for (const digest of digests) {
      // OpenSSL 3's `ocsp -reqin -respin` reports a nonce error even for its own responder's
      // answers, so the nonce is checked here by hand and left out of the request OpenSSL checks.
      openssl.ok(['ocsp', ...digest, '-issuer', 'root.pem', '-cert', 'signer.pem', '-cert', 'other.pem', '-reqout', 'nonce.der']);
      const withNonce: Uint8Array = new Uint8Array(readFileSync(openssl.path('nonce.der')));
      assert.deepEqual(parseOcspResponse(answerOcspRequest(responder, withNonce, lookup)).basic!.nonce, parseOcspRequest(withNonce).nonce);
      openssl.ok(['ocsp', ...digest, '-no_nonce', '-issuer', 'root.pem', '-cert', 'signer.pem', '-cert', 'other.pem', '-reqout', 'req.der']);
      writeFileSync(openssl.path('resp.der'), answerOcspRequest(responder, readFileSync(openssl.path('req.der')), lookup));
      const checked = openssl.run(['ocsp', ...digest, '-respin', 'resp.der', '-issuer', 'root.pem', '-cert', 'signer.pem', '-cert', 'other.pem', '-CAfile', 'root.pem']);
      const output = checked.stdout.toString();
      assert.match(checked.stderr, /Response verify OK/, checked.stderr);
      assert.match(output, /signer\.pem: good/);
      assert.match(output, /other\.pem: revoked[\s\S]*Reason: keyCompromise/);
    }
  });

  test('we verify an OCSP answer OpenSSL signed as the responder', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    writeFileSync(openssl.path('root.pem'), certificateToPem(pki.root));
    writeFileSync(openssl.path('root.key'), exportPrivateKeyPem(pki.rootKeys.privateKey));
    writeFileSync(openssl.path('signer.pem'), certificateToPem(pki.signer));
    writeFileSync(openssl.path('index.txt'), `V\t351231000000Z\t\t${pki.signer.serialNumberHex}\tunknown\t/CN=Сидорова\n`);
    openssl.ok(['ocsp', '-issuer', 'root.pem', '-cert', 'signer.pem', '-reqout', 'req.der']);
    openssl.ok(['ocsp', '-index', 'index.txt', '-rsigner', 'root.pem', '-rkey', 'root.key', '-CA', 'root.pem', '-reqin', 'req.der', '-respout', 'resp.der', '-rmd', 'md_gost12_256']);
    const response = parseOcspResponse(readFileSync(openssl.path('resp.der')));
    assert.equal(response.status, 'successful');
    const verdict = verifyOcspResponse(response.basic!, pki.signer, parseCertificate(readFileSync(openssl.path('root.pem'))));
    assert.ok(verdict.valid && verdict.single.certStatus.status === 'good', verdict.valid ? '' : verdict.message);
  });
});
