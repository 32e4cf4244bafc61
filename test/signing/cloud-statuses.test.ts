// The bridge's signing service against a scripted Kontur cloud API (no sandbox): what it does on
// each of the ten OperationStatus values, reported right after Sign, while the owner is awaited,
// and after the code; a completed operation whose file failed; a code Kontur refuses for the
// operation's state; a status it has never seen. Every failure ends the operation with its own
// code and a Russian reason; the happy path attaches a signature that verifies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { signCms } from '../../src/crypto/cms.ts';
import { certificateToPem, summarizeCertificate } from '../../src/crypto/x509.ts';
import { CLOUD_OPERATION_STATUSES } from '../../src/kontur/cloud-types.ts';
import { cloudFailure } from '../../src/services/cloud-failures.ts';
import { employeeCertificates, signOperations } from '../../src/store/schema/index.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startFakeCloud, type FakeCloud } from '../support/fake-cloud.ts';
import { expectStatus } from '../issuance/helpers.ts';
import { makeTestPki } from '../crypto/pki.ts';
import { uploadDocument, waitForFinalStatus } from './helpers.ts';

const pki = makeTestPki();

describe('the signing service acts on each of Kontur\'s operation statuses', () => {
  let t: TestServer;
  let fake: FakeCloud;
  let employee: { token: string; employeeId: string | null };
  const thumbprint = summarizeCertificate(pki.signer).thumbprint;
  /** What GetStatus answers, per Kontur operation; files get a result once Completed. */
  const statuses = new Map<string, unknown>();
  const fileStatus = new Map<string, Record<string, unknown>>();
  const results = new Map<string, Buffer>();
  let confirmAnswer: () => { status?: number; json?: unknown } = () => ({ json: {} });
  let nextStatus: unknown = 7;

  before(async () => {
    fake = await startFakeCloud();
    fake.on('Sign', (call) => {
      const body = JSON.parse(call.body.toString('utf8'));
      const id = randomUUID();
      statuses.set(id, nextStatus);
      const digest = new Uint8Array(Buffer.from(body.FileHashes[0].HashContent, 'hex'));
      const cms = Buffer.from(signCms({ certificate: pki.signer, privateKey: pki.signerKeys.privateKey, contentDigest: digest }));
      results.set(id, cms);
      return { json: { OperationId: id, ConfirmType: 1, PhoneLastNumbers: '0042', AdditionalDssInfo: { DssOperator: 2 } } };
    });
    fake.on('GetStatus', (call) => {
      const id = call.query.get('operationId')!;
      const status = statuses.get(id);
      const done = status === 2 || status === 'Completed';
      const cms = results.get(id)!;
      const file = done
        ? { FileId: randomUUID(), Hash: 'AA', Status: 1, ErrorId: null, ErrorCode: 0, ResultId: id, ResultSize: cms.length, ResultMD5: createHash('md5').update(cms).digest('hex').toUpperCase() }
        : { FileId: randomUUID(), Hash: 'AA', Status: 0, ErrorId: null, ErrorCode: 0, ResultId: null, ResultSize: 0, ResultMD5: null };
      return { json: { OperationId: id, OperationStatus: status, FileStatuses: [{ ...file, ...fileStatus.get(id) }] } };
    });
    fake.on('Confirm', () => confirmAnswer());
    fake.on('GetResult', (call) => {
      const cms = results.get(call.query.get('resultId')!)!;
      const offset = Number(call.query.get('offset'));
      return { bytes: cms.subarray(offset, offset + Number(call.query.get('size'))) };
    });
    // Many operations for one signer: the SMS limits (test/signing/sms-limits.test.ts) are not what is tested here.
    t = await startTestServer({ SIGN_UPLOAD_MAX_BYTES: '16', SMS_LIMIT_SIGN_PER_HOUR: '1000', SMS_LIMIT_OPEN_SIGN_OPERATIONS: '1000' });
    const admin = await t.token();
    await expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token: admin, body: { CryptoApiConnectionAddress: fake.address } });
    await expectStatus(t, 201, 'POST', '/api/v1/settings/trusted-roots', { token: admin, body: { certificate: certificateToPem(pki.root) } });
    employee = await t.userWithRole('employee');
    const summary = summarizeCertificate(pki.signer);
    await t.server.database.db.insert(employeeCertificates).values({
      employeeId: employee.employeeId!, thumbprint, serialNumber: summary.serialNumber, subject: summary.subject, issuer: summary.issuer,
      validFrom: pki.signer.notBefore, validTo: pki.signer.notAfter, der: Buffer.from(pki.signer.der), source: 'upload', cspType: 'dss',
    });
  });
  after(async () => {
    await t?.close();
    await fake?.close();
  });

  async function start(status: unknown) {
    nextStatus = status;
    const document = await uploadDocument(t, employee.token, `doc-${randomBytes(3).toString('hex')}.txt`, randomBytes(100), 'text/plain');
    const answer = await t.request('POST', '/api/v1/sign-operations', { token: employee.token, body: { documentId: document.id, certificateThumbprint: thumbprint } });
    const [row] = await t.server.database.db.select().from(signOperations).where(eq(signOperations.documentId, document.id));
    return { answer, row, document };
  }

  const operationStatus = async (id: string) => (await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${id}`, { token: employee.token })).body.data;

  it('ends at once an operation Kontur reports failed right after Sign (3, 4, 5, 6, 8, 9), with its reason', async () => {
    for (const status of [3, 4, 5, 6, 8, 9]) {
      const { answer, row } = await start(status);
      const failure = cloudFailure(CLOUD_OPERATION_STATUSES[status]);
      assert.equal(answer.status, status === 6 ? 409 : 422, `${status}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.detail, failure.message);
      assert.equal(row.state, 'error');
      assert.equal(row.errorCode, failure.code);
    }
  });

  it('waits while Kontur awaits the owner (7, also as a name); ends in error with the reason when it turns 3, 4, 5, 6, 8 or 9', async () => {
    for (const status of [3, 4, 5, 6, 8, 9]) {
      const { answer, row } = await start(status === 3 ? 'AwaitingForConfirmation' : 7);
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      assert.equal(answer.body.data.signStatusName, 'WaitingUser');
      assert.equal((await operationStatus(row.id)).signStatusName, 'WaitingUser');
      statuses.set(row.konturOperationId!, status);
      const ended = await operationStatus(row.id);
      const failure = cloudFailure(CLOUD_OPERATION_STATUSES[status]);
      assert.deepEqual([ended.signStatusName, ended.errorCode, ended.message], ['Error', failure.code, failure.message], String(status));
    }
  });

  it('signs through 7 → Confirm → 0 → 1 → 2, checks ResultMD5 and attaches a signature that verifies', async () => {
    const { answer, row, document } = await start(7);
    assert.equal(answer.status, 201);
    confirmAnswer = () => {
      statuses.set(row.konturOperationId!, 0);
      setTimeout(() => statuses.set(row.konturOperationId!, 'InProgress'), 150);
      setTimeout(() => statuses.set(row.konturOperationId!, 2), 400);
      return { json: { OperationId: row.konturOperationId, OperationStatus: 0 } };
    };
    // Kontur finishes within the Confirm request's own wait: the answer already has the signature.
    const confirmed = await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${row.id}/confirmation`, { token: employee.token, body: { code: '123456' } });
    assert.equal(confirmed.body.data.signStatusName, 'Complete');
    const final = await waitForFinalStatus(t, employee.token, row.id);
    assert.equal(final.signatureId, confirmed.body.data.signatureId);
    assert.equal(final.state, 'complete', final.message);
    const verified = await expectStatus(t, 200, 'POST', `/api/v1/documents/${document.id}/signatures/${final.signatureId}/verification`, { token: employee.token });
    assert.equal(verified.body.valid, true, verified.body.message);
    assert.ok(fake.calls.some((c) => c.route === 'GetResult' && c.query.get('resultId') === row.konturOperationId));
  });

  it('a completed operation whose file failed ends with the file\'s reason; one that crashes after the code ends with 5\'s', async () => {
    const { row } = await start(7);
    fileStatus.set(row.konturOperationId!, { Status: 2, ErrorId: randomUUID(), ErrorCode: 4, ResultId: null, ResultSize: 0 });
    confirmAnswer = () => {
      statuses.set(row.konturOperationId!, 2);
      return { json: { OperationId: row.konturOperationId, OperationStatus: 2 } };
    };
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${row.id}/confirmation`, { token: employee.token, body: { code: '123456' } });
    const final = await waitForFinalStatus(t, employee.token, row.id);
    assert.deepEqual([final.state, final.errorCode], ['error', 'kontur-file-failed']);
    assert.match(final.message, /УЦ Контур не знает сертификат подписанта/);

    const crashed = await start(7);
    confirmAnswer = () => {
      statuses.set(crashed.row.konturOperationId!, 5);
      return { json: { OperationId: crashed.row.konturOperationId, OperationStatus: 1 } };
    };
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${crashed.row.id}/confirmation`, { token: employee.token, body: { code: '123456' } });
    const crash = await waitForFinalStatus(t, employee.token, crashed.row.id);
    assert.deepEqual([crash.state, crash.errorCode, crash.message], ['error', 'kontur-crashed', cloudFailure('Crashed').message]);
  });

  it('a code Kontur refuses because of the operation\'s state ends it with the state\'s reason', async () => {
    const { row } = await start(7);
    confirmAnswer = () => {
      statuses.set(row.konturOperationId!, 3);
      return { status: 400, json: { Code: 'OperationCanceled', Message: 'declined' } };
    };
    const refused = await expectStatus(t, 422, 'POST', `/api/v1/sign-operations/${row.id}/confirmation`, { token: employee.token, body: { code: '123456' } });
    assert.equal(refused.body.detail, cloudFailure('CanceledByUser').message);
    const [stored] = await t.server.database.db.select().from(signOperations).where(and(eq(signOperations.id, row.id), eq(signOperations.state, 'error')));
    assert.equal(stored.errorCode, 'cancelled-by-user');
  });

  it('keeps waiting, without a crash, on a status it has never seen, and refuses a second signing while it waits', async () => {
    const { row } = await start(7);
    statuses.set(row.konturOperationId!, 42);
    const seen = await operationStatus(row.id);
    assert.equal(seen.signStatusName, 'WaitingUser');
    const second = await start(7);
    assert.equal(second.answer.status, 409);
    assert.equal(second.answer.body.errors[0].field, 'certificateThumbprint');
    statuses.set(row.konturOperationId!, 4);
    assert.equal((await operationStatus(row.id)).errorCode, 'expired');
  });
});
