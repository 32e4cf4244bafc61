// The cloud sandbox's SignType 0-3 (docs/kontur-api.md §6) and the sandbox CA that backs them: each
// result verified by our verifier and, where OpenSSL with the GOST engine can, by OpenSSL (the
// CMS, both time-stamp tokens, the embedded CRL and OCSP answer, the raw signature). The CA's
// public services (/sandbox/ca: root and TSA certificates, CRL, OCSP by POST and GET, RFC 3161
// time-stamps) answer OpenSSL's own requests, and revoking a certificate in the console shows in
// the CRL, in OCSP and in what the certificate may still sign.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { verifyCades } from '../../src/crypto/cades.ts';
import { findAttribute, parseCms } from '../../src/crypto/cms.ts';
import { parseCrl, verifyCrlSignature } from '../../src/crypto/crl.ts';
import { concatBytes, der } from '../../src/crypto/der.ts';
import { exportPublicKeyPem } from '../../src/crypto/keys.ts';
import { encodeOcspRequest, ocspCertId, parseOcspResponse, verifyOcspResponse, wrapBasicOcspResponse } from '../../src/crypto/ocsp.ts';
import { OID } from '../../src/crypto/oids.ts';
import { verifyRawSignature } from '../../src/crypto/raw-signature.ts';
import { streebog256 } from '../../src/crypto/streebog.ts';
import { encodeTimeStampRequest, imprintOf, parseTimeStampResponse, verifyTimeStampToken } from '../../src/crypto/tsp.ts';
import { certificateToPem, parseCertificate, type Certificate } from '../../src/crypto/x509.ts';
import { gostOpenssl, opensslOrSkip, type GostOpenssl } from '../crypto/openssl.ts';
import { startSandbox, type SandboxUnderTest } from './harness.ts';
import { cloud, cloudSigner, completed, confirm, result, signHash, type CloudSigner } from './cloud-helpers.ts';

describe('SignType 0-3 and the sandbox CA', () => {
  let sandbox: SandboxUnderTest;
  let signer: CloudSigner;
  let root: Certificate;
  let signerCertificate: Certificate;
  const content = Buffer.from('Трудовой договор № 128\n'.repeat(30));
  const signatures = new Map<number, Buffer>();
  let openssl: GostOpenssl | { unavailable: string };

  async function ca(method: string, path: string, body?: Uint8Array, type?: string) {
    const response = await fetch(`${sandbox.url}/sandbox/ca/${path}`, { method, body, headers: type ? { 'content-type': type } : {} });
    return { status: response.status, type: response.headers.get('content-type') ?? '', bytes: new Uint8Array(await response.arrayBuffer()) };
  }

  async function signAs(signType: number | string): Promise<Buffer> {
    const signed = await signHash(sandbox, signer, content, { SignType: signType });
    assert.equal((await confirm(sandbox, signer, signed.OperationId)).status, 200);
    const status = await completed(sandbox, signed.OperationId);
    return result(sandbox, status.FileStatuses[0].ResultId!);
  }

  before(async () => {
    sandbox = await startSandbox();
    signer = await cloudSigner(sandbox);
    root = parseCertificate((await ca('GET', 'root.cer')).bytes);
    signerCertificate = parseCertificate(new Uint8Array(signer.certificateDer));
    for (const signType of [0, 1, 2, 3]) signatures.set(signType, await signAs(signType));
    openssl = gostOpenssl();
  });
  after(async () => {
    if (openssl && !('unavailable' in openssl)) openssl.cleanup();
    await sandbox?.close();
  });

  it('0 DetachedCMS: CAdES-BES', () => {
    const check = verifyCades(signatures.get(0)!, { content, trustedRoots: [root] });
    assert.ok(check.valid, check.valid ? '' : check.message);
    assert.equal(check.signers[0].level, 'CAdES-BES');
  });

  it('1 RawSign: the bare signature value over the file digest, checked against the certificate', () => {
    const raw = signatures.get(1)!;
    assert.equal(raw.length, 64);
    const check = verifyRawSignature(raw, { certificate: signerCertificate, content, trustedRoots: [root] });
    assert.ok(check.valid, check.valid ? '' : check.message);
    assert.equal(verifyRawSignature(raw, { certificate: signerCertificate, content: content.subarray(1), skipChainValidation: true }).valid, false);
  });

  it('2 DetachedCAdEST: a time-stamp of the sandbox TSA over the signature value', async () => {
    const check = verifyCades(signatures.get(2)!, { content, trustedRoots: [root] });
    assert.ok(check.valid, check.valid ? '' : check.message);
    assert.equal(check.signers[0].level, 'CAdES-T');
    const tsa = parseCertificate((await ca('GET', 'tsa.cer')).bytes);
    assert.equal(check.signers[0].timeStamp?.tsa.serialNumber, tsa.serialNumber);
    assert.ok(Math.abs(check.signers[0].timeStamp!.genTime.getTime() - Date.now()) < 5 * 60_000);
  });

  it('3 DetachedCAdESXLT1: references and values of the root, the CRL and an OCSP answer, and a CAdES-C time-stamp', () => {
    const check = verifyCades(signatures.get(3)!, { content, trustedRoots: [root] });
    assert.ok(check.valid, check.valid ? '' : check.message);
    assert.equal(check.signers[0].level, 'CAdES-X Long Type 1');
    assert.deepEqual(check.signers[0].revocationChecked, ['crl', 'ocsp']);
    assert.equal(verifyCades(signatures.get(3)!, { content: content.subarray(2), trustedRoots: [root] }).valid, false);
  });

  it('OpenSSL verifies each CMS, both time-stamp tokens, the embedded CRL and OCSP answer, and the raw signature', (t) => {
    const runner = opensslOrSkip(t, openssl);
    if (!runner) return;
    writeFileSync(runner.path('root.pem'), certificateToPem(root));
    writeFileSync(runner.path('signer.pem'), certificateToPem(signerCertificate));
    writeFileSync(runner.path('content.bin'), content);
    for (const signType of [0, 2, 3]) {
      writeFileSync(runner.path(`type${signType}.p7s`), signatures.get(signType)!);
      runner.ok(['cms', '-verify', '-binary', '-inform', 'DER', '-in', `type${signType}.p7s`, '-content', 'content.bin', '-CAfile', 'root.pem', '-out', '/dev/null']);
    }
    for (const signType of [2, 3]) {
      const signerInfo = parseCms(signatures.get(signType)!).signers[0];
      const token = findAttribute(signerInfo.unsignedAttributes!, OID.signatureTimeStampToken)!;
      writeFileSync(runner.path(`ts${signType}.der`), token.raw);
      runner.ok(['ts', '-verify', '-digest', Buffer.from(streebog256(signerInfo.signature)).toString('hex'), '-in', `ts${signType}.der`, '-token_in', '-CAfile', 'root.pem']);
    }
    const xlt1 = parseCms(signatures.get(3)!).signers[0];
    const attributeBody = (oid: string) => {
      const attribute = xlt1.unsignedAttributes!.children.find((a) => Buffer.from(a.child(0).raw).equals(Buffer.from(der.oid(oid))))!;
      return concatBytes(attribute.children.map((c) => c.raw));
    };
    const escDigest = streebog256(concatBytes([xlt1.signature, attributeBody(OID.signatureTimeStampToken), attributeBody(OID.certificateRefs), attributeBody(OID.revocationRefs)]));
    writeFileSync(runner.path('esc.der'), findAttribute(xlt1.unsignedAttributes!, OID.escTimeStamp)!.raw);
    runner.ok(['ts', '-verify', '-digest', Buffer.from(escDigest).toString('hex'), '-in', 'esc.der', '-token_in', '-CAfile', 'root.pem']);
    const values = findAttribute(xlt1.unsignedAttributes!, OID.revocationValues)!;
    writeFileSync(runner.path('embedded.crl'), values.children.find((c) => c.isContext(0))!.child(0).child(0).raw);
    assert.match(runner.run(['crl', '-inform', 'DER', '-in', 'embedded.crl', '-CAfile', 'root.pem', '-noout']).stderr, /verify OK/);
    writeFileSync(runner.path('embedded.ocsp'), wrapBasicOcspResponse(values.children.find((c) => c.isContext(1))!.child(0).child(0).raw));
    const ocsp = runner.run(['ocsp', '-md_gost12_256', '-respin', 'embedded.ocsp', '-issuer', 'root.pem', '-cert', 'signer.pem', '-CAfile', 'root.pem']);
    assert.match(ocsp.stderr, /Response verify OK/, ocsp.stderr);
    assert.match(ocsp.stdout.toString(), /signer\.pem: good/);
    writeFileSync(runner.path('digest.bin'), streebog256(content));
    writeFileSync(runner.path('raw.sig'), signatures.get(1)!);
    writeFileSync(runner.path('signer.pub'), exportPublicKeyPem(signerCertificate.publicKey!));
    runner.ok(['pkeyutl', '-verify', '-pubin', '-inkey', 'signer.pub', '-in', 'digest.bin', '-sigfile', 'raw.sig']);
  });

  it('/sandbox/ca answers OpenSSL: the CRL, OCSP by POST (openssl ocsp -url), RFC 3161 time-stamps (openssl ts -query)', async (t) => {
    const crl = await ca('GET', 'crl');
    assert.equal(crl.status, 200);
    assert.equal(crl.type, 'application/pkix-crl');
    assert.ok(verifyCrlSignature(parseCrl(crl.bytes), root));
    const runner = opensslOrSkip(t, openssl);
    if (!runner) return;
    writeFileSync(runner.path('root.pem'), certificateToPem(root));
    writeFileSync(runner.path('signer.pem'), certificateToPem(signerCertificate));
    writeFileSync(runner.path('ca.crl'), crl.bytes);
    assert.match(runner.run(['crl', '-inform', 'DER', '-in', 'ca.crl', '-CAfile', 'root.pem', '-noout']).stderr, /verify OK/);
    // openssl talks to the responder itself (a blocking child process: run it asynchronously).
    const ocsp = await new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn('openssl', ['ocsp', '-no_nonce', '-issuer', 'root.pem', '-cert', 'signer.pem', '-url', `${sandbox.url}/sandbox/ca/ocsp`, '-CAfile', 'root.pem'], {
        cwd: runner.dir, env: { ...process.env, OPENSSL_CONF: runner.path('openssl-gost.cnf') },
      });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (out += chunk));
      child.on('close', (status) => resolve({ status, out }));
    });
    assert.equal(ocsp.status, 0, ocsp.out);
    assert.match(ocsp.out, /Response verify OK[\s\S]*signer\.pem: good|signer\.pem: good[\s\S]*Response verify OK/);
    writeFileSync(runner.path('content.bin'), content);
    runner.ok(['ts', '-query', '-data', 'content.bin', '-md_gost12_256', '-cert', '-out', 'q.tsq']);
    const reply = await ca('POST', 'tsp', new Uint8Array(readFileSync(runner.path('q.tsq'))), 'application/timestamp-query');
    assert.equal(reply.type, 'application/timestamp-reply');
    writeFileSync(runner.path('r.tsr'), reply.bytes);
    runner.ok(['ts', '-verify', '-queryfile', 'q.tsq', '-in', 'r.tsr', '-CAfile', 'root.pem']);
  });

  it('/sandbox/ca answers OCSP by GET (RFC 6960 A.1) and time-stamp requests to our own client code', async () => {
    const request = encodeOcspRequest({ certIds: [ocspCertId(signerCertificate, root, 'streebog256')], nonce: der.octetString(randomBytes(16)) });
    const byGet = await ca('GET', `ocsp/${encodeURIComponent(Buffer.from(request).toString('base64'))}`);
    assert.equal(byGet.type, 'application/ocsp-response');
    const answer = parseOcspResponse(byGet.bytes);
    const verdict = verifyOcspResponse(answer.basic!, signerCertificate, root);
    assert.ok(verdict.valid && verdict.single.certStatus.status === 'good');
    assert.equal(parseOcspResponse((await ca('POST', 'ocsp', new Uint8Array([1, 2, 3]), 'application/ocsp-request')).bytes).status, 'malformedRequest');
    const stamped = parseTimeStampResponse((await ca('POST', 'tsp', encodeTimeStampRequest({ imprint: imprintOf(content), nonce: 7n, certReq: true }), 'application/timestamp-query')).bytes);
    assert.equal(stamped.status, 0);
    assert.ok(verifyTimeStampToken(stamped.token!, { data: content, trustedRoots: [root], nonce: 7n }).valid);
  });

  it('revoking a certificate in the console shows in the CRL and OCSP, ends its signing, and leaves XLT1 signatures made before valid', async () => {
    const before = parseCrl((await ca('GET', 'crl')).bytes);
    const missing = await sandbox.console('POST', 'ca/revocations', { thumbprint: 'AB'.repeat(20) });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errors[0].field, 'thumbprint');
    const badReason = await sandbox.console('POST', 'ca/revocations', { thumbprint: signer.thumbprint, reason: 'bored' });
    assert.equal(badReason.status, 400);
    assert.equal(badReason.body.errors[0].field, 'reason');
    const revoked = await sandbox.console('POST', 'ca/revocations', { thumbprint: signer.thumbprint, reason: 'keyCompromise' });
    assert.equal(revoked.status, 201, JSON.stringify(revoked.body));
    assert.equal(revoked.body.serialNumber, signerCertificate.serialNumber.toString(16).toUpperCase());
    assert.equal((await sandbox.console('POST', 'ca/revocations', { serialNumber: signerCertificate.serialNumberHex })).status, 200, 'revoking again answers the revocation');
    assert.ok((await sandbox.console('GET', 'ca/revocations')).body.revocations.some((r: { serialNumber: string }) => r.serialNumber === revoked.body.serialNumber));

    const after = parseCrl((await ca('GET', 'crl')).bytes);
    assert.ok(after.crlNumber! > before.crlNumber!, 'a new CRL, with a larger number');
    assert.equal(after.revoked.find((r) => r.serialNumber === signerCertificate.serialNumber)?.reason, 'keyCompromise');
    const request = encodeOcspRequest({ certIds: [ocspCertId(signerCertificate, root)] });
    const status = verifyOcspResponse(parseOcspResponse((await ca('POST', 'ocsp', request, 'application/ocsp-request')).bytes).basic!, signerCertificate, root);
    assert.ok(status.valid && status.single.certStatus.status === 'revoked' && status.single.certStatus.reason === 'keyCompromise');

    const refused = await cloud(sandbox, 'POST', 'Sign', { json: { Thumbprint: signer.thumbprint, FileHashes: [{ FileName: 'x', HashContent: '00'.repeat(32) }] } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.Code, 'CertificateRevoked');
    // The XLT1 signature made before carries the answers of its time: still valid.
    assert.ok(verifyCades(signatures.get(3)!, { content, trustedRoots: [root] }).valid);
  });
});
