import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { exportPrivateKeyPem } from '../../src/crypto/keys.ts';
import { OID } from '../../src/crypto/oids.ts';
import {
  PKI_STATUS, answerTimeStampRequest, encodeTimeStampRequest, imprintOf, issueTimeStampToken, parseTimeStampRequest, parseTimeStampResponse,
  parseTstInfo, verifyTimeStampToken,
} from '../../src/crypto/tsp.ts';
import { certificateToPem, issueEndEntityCertificate, parseCertificate } from '../../src/crypto/x509.ts';
import { gostOpenssl, opensslOrSkip } from './openssl.ts';
import { DAY, makeTestPki } from './pki.ts';

const pki = makeTestPki();
const data = new Uint8Array(Buffer.from('Договор поставки №17\n'.repeat(20)));

describe('RFC 3161 time-stamps (ours)', () => {
  test('a token carries the imprint, policy, nonce and TSA name, and verifies', () => {
    const genTime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const token = issueTimeStampToken(pki.tsa, { imprint: imprintOf(data), nonce: 1234567n, certReq: true }, { genTime: new Date(genTime.getTime() + 700), serialNumber: 42n });
    const info = parseTstInfo(token);
    assert.equal(info.policy, pki.tsa.policy);
    assert.equal(info.imprint.hashAlgorithmOid, OID.streebog256);
    assert.equal(info.serialNumber, 42n);
    assert.equal(info.genTime.toISOString(), genTime.toISOString(), 'whole seconds');
    assert.equal(info.accuracyMs, 1000);
    assert.equal(info.nonce, 1234567n);
    assert.equal(info.tsaName?.find((a) => a.oid === '2.5.4.3')?.value, 'Служба штампов времени');
    const result = verifyTimeStampToken(token, { data, trustedRoots: [pki.root], nonce: 1234567n });
    assert.ok(result.valid, result.valid ? '' : result.message);
    assert.equal(result.tsa.serialNumber, pki.tsa.certificate.serialNumber);
  });

  test('every failure has its reason', () => {
    const token = issueTimeStampToken(pki.tsa, { imprint: imprintOf(data), certReq: true });
    const reason = (r: ReturnType<typeof verifyTimeStampToken>) => (r.valid ? 'valid' : r.reason);
    assert.equal(reason(verifyTimeStampToken(token, { data: data.subarray(1), trustedRoots: [pki.root] })), 'imprint-mismatch');
    assert.equal(reason(verifyTimeStampToken(token, { data, trustedRoots: [] })), 'untrusted-chain');
    assert.equal(reason(verifyTimeStampToken(token, { data, trustedRoots: [pki.root], nonce: 5n })), 'nonce-mismatch');
    assert.equal(reason(verifyTimeStampToken(new Uint8Array([0x30, 0x00]), { data, trustedRoots: [pki.root] })), 'not-a-time-stamp');
    // Without certReq the token has no certificates: the TSA certificate is needed from elsewhere.
    const bare = issueTimeStampToken(pki.tsa, { imprint: imprintOf(data) });
    assert.equal(reason(verifyTimeStampToken(bare, { data, trustedRoots: [pki.root] })), 'signer-not-found');
    assert.equal(reason(verifyTimeStampToken(bare, { data, trustedRoots: [pki.root], tsaCertificates: [pki.tsa.certificate] })), 'valid');
    // A certificate without the critical timeStamping usage is no TSA.
    const notTsa = issueEndEntityCertificate({
      subject: { CN: 'Не служба штампов' }, publicKey: pki.signerKeys.publicKey, issuerCertificate: pki.root, issuerPrivateKey: pki.rootKeys.privateKey,
      notBefore: new Date(Date.now() - DAY), extendedKeyUsage: [OID.ekuTimeStamping],
    });
    const forged = issueTimeStampToken({ certificate: notTsa, privateKey: pki.signerKeys.privateKey, policy: pki.tsa.policy }, { imprint: imprintOf(data), certReq: true });
    assert.equal(reason(verifyTimeStampToken(forged, { data, trustedRoots: [pki.root] })), 'not-a-tsa');
    // A token is a signed TSTInfo: altering it breaks the signature.
    const altered = Uint8Array.from(token);
    const at = Buffer.from(altered).indexOf(Buffer.from(imprintOf(data).digest));
    altered[at] ^= 1;
    assert.equal(reason(verifyTimeStampToken(altered, { imprint: { hashAlgorithmOid: OID.streebog256, digest: altered.subarray(at, at + 32) }, trustedRoots: [pki.root] })), 'digest-mismatch');
  });

  test('requests are answered as RFC 3161 says, rejections included', () => {
    const request = encodeTimeStampRequest({ imprint: imprintOf(data, OID.sha256), nonce: 99n, certReq: true });
    assert.deepEqual(parseTimeStampRequest(request), { imprint: imprintOf(data, OID.sha256), nonce: 99n, certReq: true, hasExtensions: false });
    const granted = parseTimeStampResponse(answerTimeStampRequest(pki.tsa, request));
    assert.equal(granted.status, PKI_STATUS.granted);
    assert.ok(verifyTimeStampToken(granted.token!, { data, trustedRoots: [pki.root], nonce: 99n }).valid);
    const otherPolicy = parseTimeStampResponse(answerTimeStampRequest(pki.tsa, encodeTimeStampRequest({ imprint: imprintOf(data), policy: '1.2.3.4' })));
    assert.equal(otherPolicy.status, PKI_STATUS.rejection);
    assert.equal(otherPolicy.token, undefined);
    const wrongLength = parseTimeStampResponse(answerTimeStampRequest(pki.tsa, encodeTimeStampRequest({ imprint: { hashAlgorithmOid: OID.streebog256, digest: new Uint8Array(5) } })));
    assert.equal(wrongLength.status, PKI_STATUS.rejection);
    const garbage = parseTimeStampResponse(answerTimeStampRequest(pki.tsa, new Uint8Array([1, 2, 3])));
    assert.equal(garbage.status, PKI_STATUS.rejection);
    assert.match(garbage.statusText ?? '', /malformed/);
  });
});

describe('time-stamps against OpenSSL with the GOST engine', () => {
  const runner = gostOpenssl();
  after(() => {
    if (!('unavailable' in runner)) runner.cleanup();
  });

  test('openssl ts -verify accepts our tokens and our answers to its queries', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    writeFileSync(openssl.path('root.pem'), certificateToPem(pki.root));
    writeFileSync(openssl.path('tsa.pem'), certificateToPem(pki.tsa.certificate));
    writeFileSync(openssl.path('data.bin'), data);
    writeFileSync(openssl.path('token.der'), issueTimeStampToken(pki.tsa, { imprint: imprintOf(data), certReq: true }));
    openssl.ok(['ts', '-verify', '-data', 'data.bin', '-in', 'token.der', '-token_in', '-CAfile', 'root.pem']);
    // Its own queries, Streebog with a nonce and certificates, and SHA-256 without certificates.
    openssl.ok(['ts', '-query', '-data', 'data.bin', '-md_gost12_256', '-cert', '-out', 'gost.tsq']);
    writeFileSync(openssl.path('gost.tsr'), answerTimeStampRequest(pki.tsa, readFileSync(openssl.path('gost.tsq'))));
    openssl.ok(['ts', '-verify', '-queryfile', 'gost.tsq', '-in', 'gost.tsr', '-CAfile', 'root.pem']);
    assert.match(openssl.ok(['ts', '-reply', '-in', 'gost.tsr', '-text']).toString(), /Status: Granted[\s\S]*GOST R 34\.11-2012 with 256 bit hash[\s\S]*Nonce: 0x/);
    openssl.ok(['ts', '-query', '-data', 'data.bin', '-sha256', '-out', 'sha.tsq']);
    writeFileSync(openssl.path('sha.tsr'), answerTimeStampRequest(pki.tsa, readFileSync(openssl.path('sha.tsq'))));
    assert.notEqual(openssl.run(['ts', '-verify', '-queryfile', 'sha.tsq', '-in', 'sha.tsr', '-CAfile', 'root.pem']).status, 0, 'no certificate in the token: OpenSSL needs it given');
    openssl.ok(['ts', '-verify', '-queryfile', 'sha.tsq', '-in', 'sha.tsr', '-CAfile', 'root.pem', '-untrusted', 'tsa.pem']);
    // A token over other data is refused by OpenSSL too.
    writeFileSync(openssl.path('other.bin'), data.subarray(1));
    assert.notEqual(openssl.run(['ts', '-verify', '-data', 'other.bin', '-in', 'token.der', '-token_in', '-CAfile', 'root.pem']).status, 0);
  });

  test('we verify a token OpenSSL issued as a GOST time-stamp authority', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    writeFileSync(openssl.path('root.pem'), certificateToPem(pki.root));
    writeFileSync(openssl.path('tsa.pem'), certificateToPem(pki.tsa.certificate));
    writeFileSync(openssl.path('tsa.key'), exportPrivateKeyPem(pki.tsa.privateKey));
    writeFileSync(openssl.path('data.bin'), data);
    // The engine is loaded by OPENSSL_CONF already; this file only adds the TSA section.
    const config = `[tsa]
default_tsa = tsa_section
[tsa_section]
serial = ${openssl.path('tsaserial')}
crypto_device = builtin
signer_cert = ${openssl.path('tsa.pem')}
signer_key = ${openssl.path('tsa.key')}
signer_digest = md_gost12_256
default_policy = 1.2.643.2.2.38.4
digests = md_gost12_256, sha256
accuracy = secs:1
ess_cert_id_alg = md_gost12_256
`;
    writeFileSync(openssl.path('tsa.cnf'), config);
    writeFileSync(openssl.path('tsaserial'), '01\n');
    openssl.ok(['ts', '-query', '-data', 'data.bin', '-md_gost12_256', '-cert', '-out', 'q.tsq']);
    openssl.ok(['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', 'q.tsq', '-out', 'r.tsr']);
    const response = parseTimeStampResponse(readFileSync(openssl.path('r.tsr')));
    assert.equal(response.status, PKI_STATUS.granted);
    const result = verifyTimeStampToken(response.token!, { data, trustedRoots: [pki.root] });
    assert.ok(result.valid, result.valid ? '' : result.message);
    assert.equal(result.info.policy, '1.2.643.2.2.38.4');
    assert.equal(result.valid && result.tsa.serialNumber, parseCertificate(readFileSync(openssl.path('tsa.pem'))).serialNumber);
  });
});
