// Recall end to end against the sandbox: a cloud certificate signs, its owner is dismissed (the
// card offers the recall), the recall statement is signed with the SMS code, the sandbox CA
// revokes the certificate (its own OCSP answer and CRL, checked here independently, say so), and
// the revoked certificate can no longer start a signing operation (409 in Russian). The inventory
// shows it as revoked, with numbers that match the database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { count, eq, isNotNull } from 'drizzle-orm';
import { startTestServer, type TestServer } from '../support/server.ts';
import { expectStatus } from '../issuance/helpers.ts';
import { signerWithCloudCertificate, smallPdf, smsCode, startSigning, uploadDocument, waitForFinalStatus, type Signer } from '../signing/helpers.ts';
import { employeeCertificates } from '../../src/store/schema/index.ts';
import { encodeOcspRequest, ocspCertId, parseOcspResponse, verifyOcspResponse } from '../../src/crypto/ocsp.ts';
import { findRevocation, parseCrl, verifyCrlSignature } from '../../src/crypto/crl.ts';
import { parseCertificate } from '../../src/crypto/x509.ts';

describe('recall of a certificate and revocation that signing respects', () => {
  let t: TestServer;
  let admin: string;
  let signer: Signer;
  let certificateId: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    admin = await t.token();
    signer = await signerWithCloudCertificate(t, admin);
    const cards = await expectStatus(t, 200, 'GET', `/api/v1/employees/${signer.employeeId}/certificates`, { token: admin });
    certificateId = cards.body[0].id;
  });
  after(() => t?.close());

  it('signs while the certificate is good, and shows the OCSP answer with its age', async () => {
    const document = await uploadDocument(t, signer.token, 'before.pdf', smallPdf(), 'application/pdf');
    const started = await startSigning(t, signer, document.id);
    const code = await smsCode(t, admin, signer.phone);
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code } });
    const finished = await waitForFinalStatus(t, signer.token, started.operationId);
    assert.equal(finished.state, 'complete', finished.message);
    const verification = await expectStatus(t, 200, 'POST', `/api/v1/documents/${document.id}/signatures/${finished.signatureId}/verification`, { token: signer.token });
    assert.equal(verification.body.valid, true);
    assert.equal(verification.body.revocation.status, 'good');
    assert.equal(verification.body.revocation.source, 'ocsp');
    assert.equal(typeof verification.body.revocation.ageSeconds, 'number');
    const fresh = await expectStatus(t, 200, 'GET', `/api/v1/certificates/${certificateId}/revocation?fresh=true`, { token: admin });
    assert.deepEqual([fresh.body.status, fresh.body.source, fresh.body.cached], ['good', 'ocsp', false]);
    const cached = await expectStatus(t, 200, 'GET', `/api/v1/certificates/${certificateId}/revocation`, { token: admin });
    assert.equal(cached.body.cached, true);
  });

  it('dismissing the owner offers the recall; the signed recall statement revokes the certificate at the CA', async () => {
    const dismissal = await expectStatus(t, 200, 'POST', `/api/v1/employees/${signer.employeeId}/dismissal`, { token: admin });
    assert.equal(dismissal.body.state, 'dismissed');
    assert.deepEqual(dismissal.body.recallable.map((c: { id: string; recallable: boolean }) => [c.id, c.recallable]), [[certificateId, true]]);
    const card = await expectStatus(t, 200, 'GET', `/api/v1/employees/${signer.employeeId}`, { token: admin });
    assert.equal(card.body.state, 'dismissed');

    const wrong = await t.request('POST', `/api/v1/certificates/${certificateId}/recall`, { token: admin, body: { smsCode: '12' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.errors[0].field, 'smsCode');

    const requested = await expectStatus(t, 200, 'POST', `/api/v1/certificates/${certificateId}/recall-requests`, { token: admin });
    assert.match(requested.body.phone, /\*\*\*/);
    const sms = await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(signer.phone)}`, { token: admin });
    const message = sms.body.messages.find((m: { purpose: string }) => m.purpose === 'signingRecallStatement');
    assert.ok(message, 'the recall code was sent by SMS');
    assert.match(message.text, /отзыв/);
    const recalled = await expectStatus(t, 200, 'POST', `/api/v1/certificates/${certificateId}/recall`, { token: admin, body: { smsCode: message.code } });
    assert.equal(recalled.body.revocation.status, 'revoked');
    assert.equal(recalled.body.revocation.source, 'ocsp');
    assert.ok(recalled.body.revocation.revokedAt);

    const again = await t.request('POST', `/api/v1/certificates/${certificateId}/recall-requests`, { token: admin });
    assert.equal(again.status, 409);
  });

  it('the sandbox CA publishes the revocation in its OCSP answers and its CRL (checked here independently)', async () => {
    const root = parseCertificate(new Uint8Array(Buffer.from(await (await fetch(`${t.url}/sandbox/ca/root.cer`)).arrayBuffer())));
    const [row] = await t.server.database.db.select({ der: employeeCertificates.der }).from(employeeCertificates).where(eq(employeeCertificates.id, certificateId));
    const certificate = parseCertificate(new Uint8Array(row.der));
    const nonce = new Uint8Array(randomBytes(16));
    const answer = await fetch(`${t.url}/sandbox/ca/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: Buffer.from(encodeOcspRequest({ certIds: [ocspCertId(certificate, root)], nonce })) });
    const parsed = parseOcspResponse(new Uint8Array(Buffer.from(await answer.arrayBuffer())));
    assert.equal(parsed.status, 'successful');
    const verified = verifyOcspResponse(parsed.basic!, certificate, root, { nonce });
    assert.ok(verified.valid, !verified.valid ? verified.message : '');
    assert.equal(verified.single.certStatus.status, 'revoked');
    const crl = parseCrl(new Uint8Array(Buffer.from(await (await fetch(`${t.url}/sandbox/ca/crl`)).arrayBuffer())));
    assert.ok(verifyCrlSignature(crl, root));
    assert.ok(findRevocation(crl, certificate), 'the CRL lists the certificate');
  });

  it('a revoked certificate cannot start a signing operation: 409 in Russian', async () => {
    const document = await uploadDocument(t, signer.token, 'after.pdf', smallPdf(), 'application/pdf');
    const refused = await t.request('POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, certificateThumbprint: signer.thumbprint } });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.match(refused.body.detail, /Сертификат отозван/);
  });

  it('the inventory shows the revoked certificate, and its numbers match the database', async () => {
    const revoked = await expectStatus(t, 200, 'GET', '/api/v1/certificates?state=revoked', { token: admin });
    assert.deepEqual(revoked.body.items.map((item: { id: string }) => item.id), [certificateId]);
    assert.equal(revoked.body.items[0].ownerState, 'dismissed');
    const summary = await expectStatus(t, 200, 'GET', '/api/v1/certificates/summary', { token: admin });
    const db = t.server.database.db;
    const [all] = await db.select({ n: count() }).from(employeeCertificates);
    const [revokedRows] = await db.select({ n: count() }).from(employeeCertificates).where(isNotNull(employeeCertificates.revokedAt));
    assert.equal(summary.body.total, Number(all.n));
    assert.equal(summary.body.byState.revoked, Number(revokedRows.n));
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`kca_certificates\\{state="revoked"\\} ${Number(revokedRows.n)}`));
  });
});
