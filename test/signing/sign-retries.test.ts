// Sign and Confirm under one deadline and one retry layer (issue 14, finding 10), against a
// scripted cloud API: a 503 (answered before any work) is repeated and the signing goes on; a
// Sign whose answer does not come is never sent again (a second operation and SMS could follow);
// and the operation answers by KONTUR_DEADLINE_MS however long RestClientMaxTimeout is. And a
// confirmed operation whose finisher died mid-pass (its lease still held) is finished by the job
// once that lease ends, instead of being left `inProgress`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { signCms } from '../../src/crypto/cms.ts';
import { summarizeCertificate, certificateToPem } from '../../src/crypto/x509.ts';
import { FINISH_JOB } from '../../src/services/signing.ts';
import { employeeCertificates, signOperations } from '../../src/store/schema/index.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startFakeCloud, type FakeCloud, type FakeAnswer } from '../support/fake-cloud.ts';
import { expectStatus, waitFor } from '../issuance/helpers.ts';
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
  /** Signatures per Kontur operation; an operation in `completed` reports its result. */
  const results = new Map<string, Buffer>();
  const completed = new Set<string>();

  before(async () => {
    fake = await startFakeCloud();
    fake.on('Sign', (call) => {
      const queuedAnswer = queued.get('Sign')?.shift();
      if (queuedAnswer) return queuedAnswer();
      const body = JSON.parse(call.body.toString('utf8'));
      const id = randomUUID();
      const digest = new Uint8Array(Buffer.from(body.FileHashes[0].HashContent, 'hex'));
      results.set(id, Buffer.from(signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, contentDigest: digest })));
      return { json: { OperationId: id, ConfirmType: 1, PhoneLastNumbers: '0042' } };
    });
    fake.on('GetStatus', (call) => {
      const queuedAnswer = queued.get('GetStatus')?.shift();
      if (queuedAnswer) return queuedAnswer();
      const id = call.query.get('operationId')!;
      if (!completed.has(id)) return { json: { OperationStatus: 7, FileStatuses: [] } };
      const cms = results.get(id)!;
      const file = { FileId: randomUUID(), Hash: 'AA', Status: 1, ErrorId: null, ErrorCode: 0, ResultId: id, ResultSize: cms.length, ResultMD5: createHash('md5').update(cms).digest('hex') };
      return { json: { OperationId: id, OperationStatus: 2, FileStatuses: [file] } };
    });
    fake.on('GetResult', (call) => {
      const cms = results.get(call.query.get('resultId')!)!;
      const offset = Number(call.query.get('offset'));
      return { bytes: cms.subarray(offset, offset + Number(call.query.get('size'))) };
    });
    fake.on('Confirm', answerOr('Confirm', () => ({ json: {} })));
    t = await startTestServer({ SIGN_UPLOAD_MAX_BYTES: '16', KONTUR_DEADLINE_MS: String(DEADLINE_MS), JOB_LEASE_SECONDS: '1' });
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
    await t.server.database.sql.executeSql("update sign_operations set state = 'error', error_code = 'test' where state in ('waitingUser', 'inProgress')");
  });

  it('finishes an operation whose finisher died mid-pass once its lease ends (it used to be left inProgress)', async () => {
    const started = await sign();
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const id = started.body.data.operationId;
    const [row] = await t.server.database.db.select().from(signOperations).where(eq(signOperations.id, id));
    completed.add(row.konturOperationId!);
    // As a worker killed in the middle of a finishing pass leaves it: confirmed, its lease still running.
    const leaseUntil = new Date(Date.now() + 1500);
    await t.server.database.db.update(signOperations).set({ state: 'inProgress', confirmedAt: new Date(), leaseUntil }).where(eq(signOperations.id, id));
    // The job taken over from the dead worker finds the lease held: it must come back, not drop the operation.
    await t.server.jobs.send(FINISH_JOB, { operationId: id });
    const final = await waitFor('the operation to be finished after the dead finisher\'s lease', async () => {
      const [current] = await t.server.database.db.select().from(signOperations).where(eq(signOperations.id, id));
      return current.state === 'complete' || current.state === 'error' ? current : undefined;
    }, 20_000);
    assert.equal(final.state, 'complete', final.errorMessage ?? '');
    assert.ok(final.finishedAt!.getTime() >= leaseUntil.getTime(), 'finished only after the lease ran out');
    assert.ok(final.signatureId, 'the signature is attached');
  });
});
