// The sandbox's clock for one certificate: the console moves it (the CA signs the same
// certificate again, valid earlier), the bridge takes it again into the card, and the certificate
// that has now ended is `expired` in the inventory and can no longer start a signing operation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { expectStatus } from '../issuance/helpers.ts';
import { signerWithCloudCertificate, smallPdf, uploadDocument, type Signer } from '../signing/helpers.ts';

describe('moving the sandbox clock of a certificate', () => {
  let t: TestServer;
  let admin: string;
  let signer: Signer;
  let card: { id: string; issueId: string; serialNumber: string; validTo: string };
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    admin = await t.token();
    signer = await signerWithCloudCertificate(t, admin);
    card = (await expectStatus(t, 200, 'GET', `/api/v1/employees/${signer.employeeId}/certificates`, { token: admin })).body[0];
  });
  after(() => t?.close());

  it('refuses a bad shift, naming the field', async () => {
    const refused = await t.request('POST', `/sandbox/console/issues/${card.issueId}/certificate/clock`, { token: admin, body: { days: 'soon' } });
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(refused.body), /days/);
  });

  it('moves the certificate 500 days on: same serial, ended; the card takes it again; signing is refused as expired', async () => {
    const moved = await expectStatus(t, 200, 'POST', `/sandbox/console/issues/${card.issueId}/certificate/clock`, { token: admin, body: { days: 500 } });
    const info = moved.body.certificateReleasedInfo;
    assert.equal(info.serialNumber.replace(/^0+/, ''), card.serialNumber.replace(/^0+/, ''));
    assert.ok(Date.parse(info.validTo) < Date.now(), 'the certificate has ended by the moved clock');
    const refreshed = await expectStatus(t, 200, 'POST', `/api/v1/certificates/${card.id}/refresh`, { token: admin });
    assert.equal(refreshed.body.thumbprint, info.thumbprint);
    assert.equal(Date.parse(refreshed.body.validTo), Date.parse(info.validTo));

    const expired = await expectStatus(t, 200, 'GET', '/api/v1/certificates?state=expired', { token: admin });
    assert.deepEqual(expired.body.items.map((item: { id: string }) => item.id), [card.id]);
    const document = await uploadDocument(t, signer.token, 'late.pdf', smallPdf(), 'application/pdf');
    const refused = await t.request('POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, certificateThumbprint: info.thumbprint } });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.match(refused.body.detail, /Срок действия сертификата истёк/);
  });
});
