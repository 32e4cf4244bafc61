import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { addLongTermValidation, addSignatureTimeStamp, verifyCades, verifyCadesStream, type CadesVerifyResult, type TimeStamper } from '../../src/crypto/cades.ts';
import { findAttribute, parseCms, signCms, withUnsignedAttributes } from '../../src/crypto/cms.ts';
import { createCrl } from '../../src/crypto/crl.ts';
import { concatBytes, der, parseDer } from '../../src/crypto/der.ts';
import { exportPublicKeyPem } from '../../src/crypto/keys.ts';
import { answerOcspRequest, createBasicOcspResponse, encodeOcspRequest, ocspCertId, parseOcspResponse, wrapBasicOcspResponse } from '../../src/crypto/ocsp.ts';
import { OID } from '../../src/crypto/oids.ts';
import { signRaw, verifyRawSignature } from '../../src/crypto/raw-signature.ts';
import { streebog256 } from '../../src/crypto/streebog.ts';
import { issueTimeStampToken } from '../../src/crypto/tsp.ts';
import { certificateToPem } from '../../src/crypto/x509.ts';
import { gostOpenssl, opensslOrSkip } from './openssl.ts';
import { DAY, makeTestPki } from './pki.ts';

const pki = makeTestPki();
const content = new Uint8Array(Buffer.from('Приказ о приёме на работу\n'.repeat(40)));
const stamp: TimeStamper = (imprint) => issueTimeStampToken(pki.tsa, { imprint, certReq: true });
const responder = { certificate: pki.root, privateKey: pki.rootKeys.privateKey };

function validationData(revokedSerial?: bigint, revokedAt = new Date(Date.now() - DAY)) {
  const crl = createCrl({
    issuer: pki.root, privateKey: pki.rootKeys.privateKey, thisUpdate: new Date(Date.now() - 1000), nextUpdate: new Date(Date.now() + DAY), crlNumber: 3n,
    revoked: revokedSerial ? [{ serialNumber: revokedSerial, revocationDate: revokedAt, reason: 'keyCompromise' }] : [],
  });
  const request = encodeOcspRequest({ certIds: [ocspCertId(pki.signer, pki.root, 'streebog256')] });
  const basic = parseOcspResponse(answerOcspRequest(responder, request, (serial) => (serial === revokedSerial ? { status: 'revoked', revocationTime: revokedAt } : { status: 'good' }))).basic!;
  return { caCertificates: [pki.root], crls: [crl.der], ocspResponses: [basic.der] };
}

const bes = signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, content });
const cadesT = await addSignatureTimeStamp(bes, stamp);
const xlt1 = await addLongTermValidation(cadesT, validationData(), stamp);

function unsigned(cms: Uint8Array, oid: string) {
  return findAttribute(parseCms(cms).signers[0].unsignedAttributes!, oid);
}

const failure = (result: CadesVerifyResult) => (result.valid ? 'valid' : result.reason);

describe('CAdES-T and CAdES-X Long Type 1 (ours)', () => {
  test('CAdES-T: a time-stamp over the signature value; the signed part is unchanged', () => {
    const result = verifyCades(cadesT, { content, trustedRoots: [pki.root] });
    assert.ok(result.valid, result.valid ? '' : result.message);
    const signer = result.signers[0];
    assert.equal(signer.level, 'CAdES-T');
    assert.equal(signer.timeStamp?.tsa.serialNumber, pki.tsa.certificate.serialNumber);
    assert.ok(Math.abs(signer.timeStamp!.genTime.getTime() - Date.now()) < 60_000);
    assert.deepEqual(parseCms(cadesT).signers[0].signature, parseCms(bes).signers[0].signature);
    assert.equal(verifyCades(bes, { content, trustedRoots: [pki.root] }).signers[0].level, 'CAdES-BES');
  });

  test('CAdES-X Long Type 1: references, values and the CAdES-C time-stamp verify', async () => {
    const result = verifyCades(xlt1, { content, trustedRoots: [pki.root] });
    assert.ok(result.valid, result.valid ? '' : result.message);
    assert.equal(result.signers[0].level, 'CAdES-X Long Type 1');
    assert.deepEqual(result.signers[0].revocationChecked, ['crl', 'ocsp']);
    assert.ok(result.signers[0].referencesTimeStamp);
    // Streamed content and a digest work the same.
    assert.ok((await verifyCadesStream(xlt1, Readable.from([content.subarray(0, 7), content.subarray(7)]), { trustedRoots: [pki.root] })).valid);
    assert.ok(verifyCades(xlt1, { contentDigest: streebog256(content), trustedRoots: [pki.root] }).valid);
    for (const oid of [OID.signatureTimeStampToken, OID.certificateRefs, OID.revocationRefs, OID.certValues, OID.revocationValues, OID.escTimeStamp]) {
      assert.ok(unsigned(xlt1, oid), oid);
    }
  });

  test('a signer revoked before the time-stamp, a broken token, missing values: each is refused with its reason', async () => {
    const revoked = await addLongTermValidation(cadesT, validationData(pki.signer.serialNumber), stamp);
    assert.equal(failure(verifyCades(revoked, { content, trustedRoots: [pki.root] })), 'certificate-revoked');
    // Revoked only after the signature was time-stamped: still valid.
    const later = await addLongTermValidation(cadesT, validationData(pki.signer.serialNumber, new Date(Date.now() + 60_000)), stamp);
    assert.equal(failure(verifyCades(later, { content, trustedRoots: [pki.root] })), 'valid');
    // A time-stamp over another signature value.
    const foreign = issueTimeStampToken(pki.tsa, { imprint: { hashAlgorithmOid: OID.streebog256, digest: streebog256(new Uint8Array([1])) }, certReq: true });
    const swapped = withUnsignedAttributes(bes, 0, [der.sequence(der.oid(OID.signatureTimeStampToken), der.setOf(foreign))]);
    assert.equal(failure(verifyCades(swapped, { content, trustedRoots: [pki.root] })), 'bad-timestamp');
    // A time-stamp authority nobody trusts.
    assert.equal(failure(verifyCades(cadesT, { content, trustedRoots: [pki.root], extraCertificates: [] })), 'valid');
    const otherPki = makeTestPki();
    const untrustedStamp = await addSignatureTimeStamp(bes, (imprint) => issueTimeStampToken(otherPki.tsa, { imprint, certReq: true }));
    assert.equal(failure(verifyCades(untrustedStamp, { content, trustedRoots: [pki.root] })), 'bad-timestamp');
    // Values removed while the references stay: the references no longer resolve.
    const attributes = parseCms(xlt1).signers[0].unsignedAttributes!.children.map((a) => a.raw);
    const withoutCrl = attributes.map((raw) => {
      const oid = parseDer(raw).child(0);
      if (oid.raw.length && der.oid(OID.revocationValues).every((b, i) => b === oid.raw[i])) {
        const basic = parseDer(parseDer(raw).child(1).child(0).raw).children[1];
        return der.sequence(der.oid(OID.revocationValues), der.setOf(der.sequence(basic.raw)));
      }
      return raw;
    });
    assert.equal(failure(verifyCades(withUnsignedAttributes(xlt1, 0, withoutCrl), { content, trustedRoots: [pki.root] })), 'bad-validation-data');
    // The references re-encoded after the CAdES-C time-stamp was made (still naming the root,
    // but without its issuer and serial): the CAdES-C time-stamp no longer covers them.
    const refsAltered = attributes.map((raw) => {
      const node = parseDer(raw);
      if (!der.oid(OID.certificateRefs).every((b, i) => b === node.child(0).raw[i])) return raw;
      return der.sequence(der.oid(OID.certificateRefs), der.setOf(der.sequence(
        der.sequence(der.sequence(der.sequence(der.oid(OID.streebog256)), der.octetString(streebog256(pki.root.der)))),
      )));
    });
    assert.equal(failure(verifyCades(withUnsignedAttributes(xlt1, 0, refsAltered), { content, trustedRoots: [pki.root] })), 'bad-timestamp');
    // Validation data without a signature time-stamp is not CAdES-C.
    const noT = attributes.filter((raw) => !der.oid(OID.signatureTimeStampToken).every((b, i) => b === parseDer(raw).child(0).raw[i]));
    assert.equal(failure(verifyCades(withUnsignedAttributes(xlt1, 0, noT), { content, trustedRoots: [pki.root] })), 'bad-validation-data');
    // The content still decides first.
    assert.equal(failure(verifyCades(xlt1, { content: content.subarray(1), trustedRoots: [pki.root] })), 'digest-mismatch');
  });

  test('a raw signature verifies against the certificate and the digest', () => {
    const digest = streebog256(content);
    const raw = signRaw(pki.signerKeys.privateKey, digest);
    assert.equal(raw.length, 64);
    const ok = verifyRawSignature(raw, { certificate: pki.signer, content, trustedRoots: [pki.root] });
    assert.ok(ok.valid && ok.chain?.length === 2);
    assert.equal(verifyRawSignature(raw, { certificate: pki.signer, contentDigest: streebog256(content.subarray(1)), trustedRoots: [pki.root] }).valid, false);
    const untrusted = verifyRawSignature(raw, { certificate: pki.signer, content, trustedRoots: [] });
    assert.ok(!untrusted.valid && untrusted.reason === 'untrusted-chain');
    assert.throws(() => signRaw(pki.signerKeys.privateKey, new Uint8Array(64)), RangeError);
  });
});

describe('CAdES against OpenSSL with the GOST engine', () => {
  const runner = gostOpenssl();
  after(() => {
    if (!('unavailable' in runner)) runner.cleanup();
  });

  test('openssl verifies the CMS, each time-stamp token, the embedded CRL and OCSP answer, and the raw signature', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    writeFileSync(openssl.path('root.pem'), certificateToPem(pki.root));
    writeFileSync(openssl.path('signer.pem'), certificateToPem(pki.signer));
    writeFileSync(openssl.path('content.bin'), content);
    for (const [name, cms] of [['t.p7s', cadesT], ['xlt1.p7s', xlt1]] as const) {
      writeFileSync(openssl.path(name), cms);
      openssl.ok(['cms', '-verify', '-binary', '-inform', 'DER', '-in', name, '-content', 'content.bin', '-CAfile', 'root.pem', '-out', '/dev/null']);
    }
    const signer = parseCms(xlt1).signers[0];
    // The signature time-stamp covers the signature value's octets.
    writeFileSync(openssl.path('ts.der'), unsigned(xlt1, OID.signatureTimeStampToken)!.raw);
    openssl.ok(['ts', '-verify', '-digest', Buffer.from(streebog256(signer.signature)).toString('hex'), '-in', 'ts.der', '-token_in', '-CAfile', 'root.pem']);
    // The CAdES-C time-stamp covers the signature value and the attributes (attrType || attrValues each).
    const body = (oid: string) => {
      const attribute = signer.unsignedAttributes!.children.find((a) => a.child(0).raw.length === der.oid(oid).length && der.oid(oid).every((b, i) => b === a.child(0).raw[i]))!;
      return concatBytes(attribute.children.map((c) => c.raw));
    };
    const escData = concatBytes([signer.signature, body(OID.signatureTimeStampToken), body(OID.certificateRefs), body(OID.revocationRefs)]);
    writeFileSync(openssl.path('esc.der'), unsigned(xlt1, OID.escTimeStamp)!.raw);
    openssl.ok(['ts', '-verify', '-digest', Buffer.from(streebog256(escData)).toString('hex'), '-in', 'esc.der', '-token_in', '-CAfile', 'root.pem']);
    // The revocation values: a CRL OpenSSL checks, and a BasicOCSPResponse (wrapped for openssl ocsp).
    const values = unsigned(xlt1, OID.revocationValues)!;
    const crlDer = values.children.find((c) => c.isContext(0))!.child(0).child(0).raw;
    const basicDer = values.children.find((c) => c.isContext(1))!.child(0).child(0).raw;
    writeFileSync(openssl.path('crl.der'), crlDer);
    assert.match(openssl.run(['crl', '-inform', 'DER', '-in', 'crl.der', '-CAfile', 'root.pem', '-noout']).stderr, /verify OK/);
    writeFileSync(openssl.path('ocsp.der'), wrapBasicOcspResponse(basicDer));
    const ocsp = openssl.run(['ocsp', '-md_gost12_256', '-respin', 'ocsp.der', '-issuer', 'root.pem', '-cert', 'signer.pem', '-CAfile', 'root.pem']);
    assert.match(ocsp.stderr, /Response verify OK/, ocsp.stderr);
    assert.match(ocsp.stdout.toString(), /signer\.pem: good/);
    // A raw signature: the GOST engine verifies it over the digest with the certificate's key.
    const digest = streebog256(content);
    writeFileSync(openssl.path('digest.bin'), digest);
    writeFileSync(openssl.path('raw.sig'), signRaw(pki.signerKeys.privateKey, digest));
    writeFileSync(openssl.path('signer.pub'), exportPublicKeyPem(pki.signer.publicKey!));
    openssl.ok(['pkeyutl', '-verify', '-pubin', '-inkey', 'signer.pub', '-in', 'digest.bin', '-sigfile', 'raw.sig']);
    writeFileSync(openssl.path('other.bin'), streebog256(content.subarray(1)));
    assert.notEqual(openssl.run(['pkeyutl', '-verify', '-pubin', '-inkey', 'signer.pub', '-in', 'other.bin', '-sigfile', 'raw.sig']).status, 0);
  });

  test('a BasicOCSPResponse made for CAdES values is the one OpenSSL accepts', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    writeFileSync(openssl.path('root.pem'), certificateToPem(pki.root));
    writeFileSync(openssl.path('signer.pem'), certificateToPem(pki.signer));
    const basic = createBasicOcspResponse({ responder, responses: [{ certId: ocspCertId(pki.signer, pki.root), certStatus: { status: 'good' }, thisUpdate: new Date() }] });
    writeFileSync(openssl.path('basic.der'), wrapBasicOcspResponse(basic));
    assert.match(openssl.run(['ocsp', '-respin', 'basic.der', '-issuer', 'root.pem', '-cert', 'signer.pem', '-CAfile', 'root.pem']).stderr, /Response verify OK/);
  });
});
