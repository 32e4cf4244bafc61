// Sign and Confirm under one deadline and one retry layer (issue 14, finding 10), against a
// scripted cloud API: a 503 (answered before any work) is repeated and the signing goes on; a
// Sign whose answer does not come is never sent again (a second operation and SMS could follow);
// and the operation answers by KONTUR_DEADLINE_MS however long RestClientMaxTimeout is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { summarizeCertificate, certificateToPem } from '../../src/crypto/x509.ts';
import { employeeCertificates } from '../../src/store/schema/index.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startFakeCloud, type FakeCloud, type FakeAnswer } from '../support/fake-cloud.ts';
import { expectStatus } from '../issuance/helpers.ts';
import { makeTestPki } from '../crypto/pki.ts';
import { uploadDocument } from './helpers.ts';

const pki = makeTestPki();
const DEADLINE_MS = 1500;

describe('Sign and Confirm: repeated only when nothing was done, all by the deadline', () => {
  let t: TestServer;
  let fake: FakeCloud;
  let employee: { token: string; employeeId: string | null };
  const thumbprint = summarizeCertificate(pki.signer).thumbprint;
  /** Answers queued per route; an empty queue answers normally. */
  const queued = new Map<string, (() => FakeAnswer | Promise<FakeAnswer>)[]>();
  const held: (() => void)[] = [];
  const answerOr = (route: string, normal: () => FakeAnswer) => () => (queued.get(route)?.shift() ?? normal)();
  const hold = (): Promise<FakeAnswer> => new Promise((resolve) => held.push(() => resolve({ status: 503 })));

  before(async () => {
    fake = await startFakeCloud();
    fake.on('Sign', answerOr('Sign', () => ({ json: { OperationId: randomUUID(), ConfirmType: 1, PhoneLastNumbers: '0042' } })));
    fake.on('GetStatus', answerOr('GetStatus', () => ({ json: { OperationStatus: 7, FileStatuses: [] } })));
    fake.on('Confirm', answerOr('Confirm', () => ({ json: {} })));
    t = await startTestServer({ SIGN_UPLOAD_MAX_BYTES: '16', KONTUR_DEADLINE_MS: String(DEADLINE_MS) });
    const admin = await t.token();
    // Longer than the deadline on purpose: the deadline ends the call.
    await expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token: admin, body: { CryptoApiConnectionAddress: fake.address, RestClientMaxTimeout: 60_000 } });
    await expectStatus(t, 201, 'POST', '/api/v1/settings/trusted-roots', { token: admin, body: { certificate: certificateToPem(pki.root) } });
    employee = await t.userWithRole('employee');
    const summary = summarizeCertificate(pki.signer);
    await t.server.database.db.insert(employeeCertificates).values({
      employeeId: employee.employeeId!, thumbprint, serialNumber: summary.serialNumber, subject: summary.subject, issuer: summary.issuer,
      validFrom: pki.signer.notBefore, validTo: pki.signer.notAfter, der: Buffer.from(pki.signer.der), source: 'upload', cspType: 'dss',
    });
  });
  after(async () => {
    for (const release of held) release();
    await t?.close();
    await fake?.close();
  });

  const calls = (route: string) => fake.calls.filter((call) => call.route === route).length;

  async function sign() {
    const document = await uploadDocument(t, employee.token, `doc-${randomBytes(3).toString('hex')}.txt`, randomBytes(100), 'text/plain');
    return t.request('POST', '/api/v1/sign-operations', { token: employee.token, body: { documentId: document.id, certificateThumbprint: thumbprint } });
  }

  it('repeats Sign after a 503 and Confirm after a 503: the signing goes on', async () => {
    queued.set('Sign', [() => ({ status: 503, json: { Code: 'ServiceUnavailable', Message: 'busy' } })]);
    const before = calls('Sign');
    const started = await sign();
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(calls('Sign') - before, 2, 'Sign was sent again after the 503');
    queued.set('Confirm', [() => ({ status: 503 })]);
    const confirmsBefore = calls('Confirm');
    queued.set('GetStatus', [() => ({ json: { OperationStatus: 7, FileStatuses: [] } }), () => ({ json: { OperationStatus: 1, FileStatuses: [] } })]);
    const confirmed = await t.request('POST', `/api/v1/sign-operations/${started.body.data.operationId}/confirmation`, { token: employee.token, body: { code: '123456' } });
    assert.notEqual(confirmed.status, 504, JSON.stringify(confirmed.body));
    assert.equal(calls('Confirm') - confirmsBefore, 2, 'Confirm was sent again after the 503');
    queued.delete('GetStatus');
    // Park the operation: the next test needs no operation of this certificate waiting for a code.
    await t.server.database.sql.executeSql("update sign_operations set state = 'error', error_code = 'test' where state in ('waitingUser', 'inProgress')");
  });

  it('never sends Sign again when its answer does not come, and answers by the deadline', async () => {
    queued.set('Sign', [hold]);
    const before = calls('Sign');
    const started = Date.now();
    const answer = await sign();
    const took = Date.now() - started;
    assert.equal(answer.status, 504, JSON.stringify(answer.body));
    assert.equal(calls('Sign') - before, 1, 'one Sign only');
    // The upload and the document row take a little; the call itself ends at the deadline, not after RestClientMaxTimeout (60 s).
    assert.ok(took < DEADLINE_MS + 1500, `answered after ${took} ms with a ${DEADLINE_MS} ms deadline`);
    console.log(`# a Sign without an answer: 504 after ${took} ms (deadline ${DEADLINE_MS} ms, RestClientMaxTimeout 60000 ms)`);
  });
});
