// Cloud signing end to end over HTTP against the built-in sandbox: a small PDF signed by upload,
// a file above the upload limit signed by hash, a wrong SMS code then the right one, three wrong
// codes, ownership (an operator cannot sign with an employee's certificate), a signature that
// does not match the document is never attached, and every produced signature verifies with
// OpenSSL's GOST engine.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { startTestServer, type TestServer } from '../support/server.ts';
import { expectStatus } from '../issuance/helpers.ts';
import { gostOpenssl, opensslOrSkip, type GostOpenssl } from '../crypto/openssl.ts';
import { documents } from '../../src/store/schema/index.ts';
import { SANDBOX_CLOUD_CLIENT_THUMBPRINT } from '../../src/domain/sandbox-defaults.ts';
import {
  download,
  opensslVerifies,
  signerWithCloudCertificate,
  smallPdf,
  smsCode,
  startSigning,
  uploadDocument,
  waitForFinalStatus,
  wrongCode,
  type Signer,
} from './helpers.ts';

const UPLOAD_LIMIT = 64 * 1024;

describe('cloud signing through the REST API', () => {
  let t: TestServer;
  let admin: string;
  let signer: Signer;
  let openssl: GostOpenssl | { unavailable: string };
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100', SIGN_UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT) });
    admin = await t.token();
    signer = await signerWithCloudCertificate(t, admin);
    openssl = gostOpenssl();
  });
  after(async () => {
    if (!('unavailable' in openssl)) openssl.cleanup();
    await t.close();
  });

  it('finds the cloud certificate of the current user', async () => {
    const mine = await expectStatus(t, 200, 'GET', '/api/v1/cloud-certificates', { token: signer.token });
    assert.deepEqual(mine.body.map((c: { thumbprint: string }) => c.thumbprint), [signer.thumbprint]);
    const operator = await t.userWithRole('operator');
    const none = await expectStatus(t, 200, 'GET', '/api/v1/cloud-certificates', { token: operator.token });
    assert.deepEqual(none.body, []);
  });

  it('signs a small PDF by upload: a wrong SMS code, then the right one; OpenSSL verifies the signature', async (ctx) => {
    const pdf = smallPdf();
    const document = await uploadDocument(t, signer.token, 'Договор №42.pdf', pdf, 'application/pdf');
    const started = await startSigning(t, signer, document.id);
    assert.equal(started.method, 'upload');
    assert.equal(started.signStatusName, 'WaitingUser');
    assert.equal(started.phoneLastNumbers, signer.phone.slice(-4));

    const code = await smsCode(t, admin, signer.phone);
    const wrong = await expectStatus(t, 400, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code: wrongCode(code) } });
    assert.equal(wrong.body.errors[0].field, 'code');
    assert.match(wrong.body.detail, /Неверный код из СМС\. Осталось попыток: 2/);
    const waiting = await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${started.operationId}`, { token: signer.token });
    assert.equal(waiting.body.data.signStatus, 1);
    assert.equal(waiting.body.data.attemptsLeft, 2);

    const confirmed = await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code } });
    assert.ok(['InProgress', 'Complete'].includes(confirmed.body.data.signStatusName));
    const final = await waitForFinalStatus(t, signer.token, started.operationId);
    assert.equal(final.state, 'complete', final.message);
    assert.equal(final.signStatus, 3);

    const listed = await expectStatus(t, 200, 'GET', `/api/v1/documents/${document.id}`, { token: signer.token });
    assert.equal(listed.body.signatures.length, 1);
    const signature = listed.body.signatures[0];
    assert.equal(signature.certificateThumbprint, signer.thumbprint);
    assert.equal(signature.id, final.signatureId);

    const sig = await download(t, signer.token, `/api/v1/documents/${document.id}/signatures/${signature.id}/content`);
    const result = await download(t, signer.token, `/api/v1/sign-operations/${started.operationId}/result`);
    assert.deepEqual(result, sig);
    const downloaded = await download(t, signer.token, `/api/v1/documents/${document.id}/content`);
    assert.deepEqual(downloaded, pdf);

    const verified = await expectStatus(t, 200, 'POST', `/api/v1/documents/${document.id}/signatures/${signature.id}/verification`, { token: signer.token });
    assert.equal(verified.body.valid, true, verified.body.message);
    assert.equal(verified.body.signer.thumbprint, signer.thumbprint);
    assert.ok(verified.body.signingTime);

    const runner = opensslOrSkip(ctx, openssl);
    if (!runner) return;
    writeFileSync(runner.path('contract.pdf'), pdf);
    await opensslVerifies(t, runner, sig, runner.path('contract.pdf'));
  });

  it('signs a file above the upload limit by its hash; OpenSSL verifies the signature', async (ctx) => {
    const content = randomBytes(UPLOAD_LIMIT * 3 + 17);
    const document = await uploadDocument(t, signer.token, 'big.bin', content);
    const started = await startSigning(t, signer, document.id);
    assert.equal(started.method, 'hash');
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code: await smsCode(t, admin, signer.phone) } });
    const final = await waitForFinalStatus(t, signer.token, started.operationId);
    assert.equal(final.state, 'complete', final.message);
    const sig = await download(t, signer.token, `/api/v1/sign-operations/${started.operationId}/result`);
    const runner = opensslOrSkip(ctx, openssl);
    if (!runner) return;
    writeFileSync(runner.path('big.bin'), content);
    await opensslVerifies(t, runner, sig, runner.path('big.bin'));
  });

  it('fails the operation after three wrong codes, with a clear message', async () => {
    const document = await uploadDocument(t, signer.token, 'three.txt', Buffer.from('three wrong codes'), 'text/plain');
    const started = await startSigning(t, signer, document.id);
    const code = await smsCode(t, admin, signer.phone);
    const path = `/api/v1/sign-operations/${started.operationId}/confirmation`;
    await expectStatus(t, 400, 'POST', path, { token: signer.token, body: { code: wrongCode(code) } });
    const second = await expectStatus(t, 400, 'POST', path, { token: signer.token, body: { code: wrongCode(code) } });
    assert.match(second.body.detail, /Осталось попыток: 1/);
    const third = await expectStatus(t, 400, 'POST', path, { token: signer.token, body: { code: wrongCode(code) } });
    assert.match(third.body.detail, /введён неверно 3 раза: операция подписания отменена/);
    const status = await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${started.operationId}`, { token: signer.token });
    assert.equal(status.body.data.signStatusName, 'Error');
    assert.equal(status.body.data.errorCode, 'wrong-code-limit');
    assert.match(status.body.data.message, /отменена/);
    const late = await expectStatus(t, 409, 'POST', path, { token: signer.token, body: { code } });
    assert.match(late.body.detail, /завершилась ошибкой/);
    const document2 = await expectStatus(t, 200, 'GET', `/api/v1/documents/${document.id}`, { token: signer.token });
    assert.equal(document2.body.signatures.length, 0);
  });

  it('lets only the certificate owner sign: an operator gets 403', async () => {
    const operator = await t.userWithRole('operator');
    const document = await uploadDocument(t, operator.token, 'for-employee.txt', Buffer.from('operator upload'), 'text/plain', `&ownerEmployeeId=${signer.employeeId}`);
    const refused = await expectStatus(t, 403, 'POST', '/api/v1/sign-operations', { token: operator.token, body: { documentId: document.id, certificateThumbprint: signer.thumbprint } });
    assert.match(refused.body.detail, /только его владелец/);
    // The owner signs it; the operator may watch but not confirm.
    const started = await startSigning(t, signer, document.id);
    await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${started.operationId}`, { token: operator.token });
    await expectStatus(t, 403, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: operator.token, body: { code: '123456' } });
    // Another employee sees neither the document nor the operation.
    const other = await t.userWithRole('employee');
    await expectStatus(t, 404, 'GET', `/api/v1/documents/${document.id}`, { token: other.token });
    await expectStatus(t, 404, 'GET', `/api/v1/sign-operations/${started.operationId}`, { token: other.token });
    const bad = await expectStatus(t, 400, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, certificateThumbprint: 'nope' } });
    assert.equal(bad.body.errors[0].field, 'certificateThumbprint');
    // Kontur runs one operation waiting for a code per owner: the bridge says so before asking it.
    const second = await expectStatus(t, 409, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, certificateThumbprint: signer.thumbprint } });
    assert.equal(second.body.errors[0].field, 'certificateThumbprint');
    assert.match(second.body.detail, /уже начато подписание документа «for-employee\.txt», ожидающее кода из СМС/);
    // The owner declines it (in the sandbox, the console plays the owner's "decline"): the bridge
    // ends it with the reason, and signing is open again.
    const row = await t.server.database.db.query.signOperations.findFirst({ where: (o, { eq: equals }) => equals(o.id, started.operationId) });
    await expectStatus(t, 200, 'POST', `/sandbox/console/cloud/operations/${row!.konturOperationId}/cancel`, { token: admin });
    const declined = await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${started.operationId}`, { token: signer.token });
    assert.equal(declined.body.data.signStatusName, 'Error');
    assert.equal(declined.body.data.errorCode, 'cancelled-by-user');
    assert.match(declined.body.data.message, /Владелец сертификата отклонил операцию подписания/);
  });

  it('never attaches a signature that does not match the document', async () => {
    const document = await uploadDocument(t, signer.token, 'tampered.bin', randomBytes(UPLOAD_LIMIT + 1));
    const started = await startSigning(t, signer, document.id);
    assert.equal(started.method, 'hash');
    // What Kontur signs (the hash sent with Sign) no longer matches what the bridge holds.
    await t.server.database.db.update(documents).set({ streebog256: '00'.repeat(32) }).where(eq(documents.id, document.id));
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code: await smsCode(t, admin, signer.phone) } });
    const final = await waitForFinalStatus(t, signer.token, started.operationId);
    assert.equal(final.state, 'error');
    assert.equal(final.errorCode, 'verification-failed');
    assert.match(final.message, /не прошла проверку и не прикреплена: подпись относится к другому содержимому/);
    const listed = await expectStatus(t, 200, 'GET', `/api/v1/documents/${document.id}`, { token: signer.token });
    assert.equal(listed.body.signatures.length, 0);
    await expectStatus(t, 409, 'GET', `/api/v1/sign-operations/${started.operationId}/result`, { token: signer.token });
  });

  it('uploads, lists and deletes documents by the rules; a signed one cannot be deleted', async () => {
    const unsigned = await uploadDocument(t, signer.token, 'draft.txt', Buffer.from('draft'), 'text/plain');
    const mine = await expectStatus(t, 200, 'GET', '/api/v1/documents?limit=100', { token: signer.token });
    assert.ok(mine.body.items.some((d: { id: string }) => d.id === unsigned.id));
    assert.ok(mine.body.items.every((d: { ownerEmployeeId: string }) => d.ownerEmployeeId === signer.employeeId));
    const signed = mine.body.items.find((d: { signatures: unknown[] }) => d.signatures.length > 0);
    assert.ok(signed, 'a signed document is listed with its signatures');
    await expectStatus(t, 409, 'DELETE', `/api/v1/documents/${signed.id}`, { token: signer.token });
    await expectStatus(t, 204, 'DELETE', `/api/v1/documents/${unsigned.id}`, { token: signer.token });
    await expectStatus(t, 404, 'GET', `/api/v1/documents/${unsigned.id}`, { token: signer.token });
    const noName = await expectStatus(t, 400, 'POST', '/api/v1/documents', { token: signer.token, headers: { 'content-type': 'text/plain' } });
    assert.equal(noName.body.errors[0].field, 'fileName');
    const empty = await t.request('POST', '/api/v1/documents?fileName=empty.txt', { token: signer.token, raw: Buffer.alloc(0), headers: { 'content-type': 'text/plain' } });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.errors[0].field, 'body');
    // A JSON file is a file like any other: not parsed, no body limit.
    const json = await uploadDocument(t, signer.token, 'data.json', Buffer.from(JSON.stringify({ big: 'x'.repeat(2 * 1024 * 1024) })), 'application/json');
    assert.ok(json.size > 2 * 1024 * 1024);
    await expectStatus(t, 401, 'POST', '/api/v1/documents?fileName=x.txt', { headers: { 'content-type': 'text/plain' } });
  });

  it('ends at once an operation Kontur registered but will not run (6: another one waits, 9: no SMS), with the reason', async () => {
    const document = await uploadDocument(t, signer.token, 'not-started.txt', Buffer.from('not started'), 'text/plain');
    // Another system signing with the same certificate holds an operation waiting for its code.
    const foreign = await fetch(`${t.url}/sandbox/cloud/v3/Sign?certificate=${SANDBOX_CLOUD_CLIENT_THUMBPRINT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Thumbprint: signer.thumbprint, FileHashes: [{ FileName: 'other.bin', HashContent: '11'.repeat(32) }] }),
    });
    const foreignId = ((await foreign.json()) as { OperationId: string }).OperationId;
    const busy = await expectStatus(t, 409, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, certificateThumbprint: signer.thumbprint } });
    assert.match(busy.body.detail, /есть другая операция подписания, ожидающая кода из СМС/);
    await expectStatus(t, 200, 'POST', `/sandbox/console/cloud/operations/${foreignId}/cancel`, { token: admin });
    // The SMS gateway fails: Kontur answers StartConfirmationFailed.
    await expectStatus(t, 200, 'PUT', '/sandbox/console/cloud/faults', { token: admin, body: { smsFailureRate: 1 } });
    try {
      const noSms = await expectStatus(t, 422, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, certificateThumbprint: signer.thumbprint } });
      assert.match(noSms.body.detail, /не смог отправить СМС с кодом подтверждения/);
    } finally {
      await expectStatus(t, 200, 'PUT', '/sandbox/console/cloud/faults', { token: admin, body: {} });
    }
    const listed = await expectStatus(t, 200, 'GET', `/api/v1/documents/${document.id}`, { token: signer.token });
    assert.equal(listed.body.signatures.length, 0);
  });

  it('reports Kontur outages as clear problems and keeps the operation in error', async () => {
    const document = await uploadDocument(t, signer.token, 'outage.txt', Buffer.from('outage'), 'text/plain');
    await expectStatus(t, 200, 'PUT', '/sandbox/console/cloud/faults', { token: admin, body: { errorRate: 1 } });
    try {
      const refused = await expectStatus(t, 502, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, certificateThumbprint: signer.thumbprint } });
      assert.match(refused.body.detail, /временно недоступен/);
    } finally {
      await expectStatus(t, 200, 'PUT', '/sandbox/console/cloud/faults', { token: admin, body: { errorRate: 0 } });
    }
    const started = await startSigning(t, signer, document.id);
    assert.equal(started.signStatusName, 'WaitingUser');
  });
});
