// Conformance of the cloud-signature sandbox's GetStatus with Kontur's (docs/kontur-api.md §6): every
// OperationStatus of the enumeration (0 Enqueued ... 9 StartConfirmationFailed) reached the way
// the real service reaches it, and FileStatuses with FileId, Hash, Status, ErrorId, ErrorCode,
// ResultId, ResultSize (a number, 0 until ready) and ResultMD5. Sign answers
// AdditionalDssInfo {DssOperator}. Over HTTP, with no bridge code involved.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startSandbox, waitFor, type SandboxUnderTest } from './harness.ts';
import { cloud, cloudSigner, completed, confirm, declineWaiting, getStatus, md5Hex, result, signHash, streebogHex, type CloudSigner } from './cloud-helpers.ts';

/** Unconfirmed operations expire after this long here (SANDBOX_CLOUD_CONFIRMATION_MS). */
const CONFIRMATION_MS = 1_500;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('GetStatus as Kontur answers it', () => {
  let sandbox: SandboxUnderTest;
  let signer: CloudSigner;
  before(async () => {
    sandbox = await startSandbox({ SANDBOX_CLOUD_CONFIRMATION_MS: String(CONFIRMATION_MS) });
    signer = await cloudSigner(sandbox);
  });
  after(async () => {
    await sandbox?.close();
  });

  const faults = async (body: Record<string, number>) => assert.equal((await sandbox.console('PUT', 'cloud/faults', body)).status, 200);

  it('7 AwaitingForConfirmation after Sign (the code sent), then 0 Enqueued on Confirm, then 2 Completed with the result described', async () => {
    const content = randomBytes(1000);
    const signed = await signHash(sandbox, signer, content);
    assert.equal(signed.ConfirmType, 1, 'SMS');
    assert.equal(signed.PhoneLastNumbers, signer.phone.slice(-4));
    assert.deepEqual(signed.AdditionalDssInfo, { DssOperator: 2 }, 'never null: clients dereference it');
    const waiting = await getStatus(sandbox, signed.OperationId);
    assert.equal(waiting.OperationId, signed.OperationId);
    assert.equal(waiting.OperationStatus, 7);
    const file = waiting.FileStatuses[0];
    assert.match(file.FileId, GUID, 'a hash gets a FileId too');
    assert.equal(file.Hash, streebogHex(content).toUpperCase());
    assert.deepEqual({ Status: file.Status, ErrorId: file.ErrorId, ErrorCode: file.ErrorCode, ResultId: file.ResultId, ResultSize: file.ResultSize, ResultMD5: file.ResultMD5 }, { Status: 0, ErrorId: null, ErrorCode: 0, ResultId: null, ResultSize: 0, ResultMD5: null });
    const confirmed = await confirm(sandbox, signer, signed.OperationId);
    assert.deepEqual(confirmed.body, { OperationId: signed.OperationId, OperationStatus: 0 });
    const done = await completed(sandbox, signed.OperationId);
    const ready = done.FileStatuses[0];
    assert.equal(ready.Status, 1);
    assert.equal(ready.ErrorCode, 0);
    assert.equal(ready.ErrorId, null);
    const bytes = await result(sandbox, ready.ResultId!);
    assert.equal(ready.ResultSize, bytes.length);
    assert.equal(ready.ResultMD5, md5Hex(bytes).toUpperCase());
  });

  it('6 UserHasUnconfirmedOperation for a second Sign while the owner has one waiting (no SMS is sent for it)', async () => {
    const first = await signHash(sandbox, signer, randomBytes(10));
    const smsBefore = (await sandbox.console('GET', `sms?phone=${encodeURIComponent(signer.phone)}`)).body.messages.length;
    const second = await signHash(sandbox, signer, randomBytes(10));
    const status = await getStatus(sandbox, second.OperationId);
    assert.equal(status.OperationStatus, 6);
    assert.equal(status.FileStatuses[0].Status, 2);
    assert.match(status.FileStatuses[0].ErrorId!, GUID);
    assert.equal((await sandbox.console('GET', `sms?phone=${encodeURIComponent(signer.phone)}`)).body.messages.length, smsBefore);
    const refused = await confirm(sandbox, signer, second.OperationId, '123456');
    assert.equal(refused.status, 400);
    assert.equal(refused.body.Code, 'UserHasUnconfirmedOperation');
    assert.equal((await getStatus(sandbox, first.OperationId)).OperationStatus, 7, 'the first one still waits');
    await declineWaiting(sandbox);
  });

  it('3 CanceledByUser when the owner declines (the console plays the owner): files in error, declined', async () => {
    const signed = await signHash(sandbox, signer, randomBytes(10));
    const declined = await sandbox.console('POST', `cloud/operations/${signed.OperationId}/cancel`);
    assert.equal(declined.status, 200);
    const status = await getStatus(sandbox, signed.OperationId);
    assert.equal(status.OperationStatus, 3);
    assert.deepEqual([status.FileStatuses[0].Status, status.FileStatuses[0].ErrorCode], [2, 5]);
    assert.equal((await confirm(sandbox, signer, signed.OperationId)).body.Code, 'OperationCanceled');
    assert.equal((await sandbox.console('POST', `cloud/operations/${signed.OperationId}/cancel`)).status, 409, 'only a waiting operation can be declined');
  });

  it('8 ExceededConfirmationAttemptsCount after three wrong codes', async () => {
    const signed = await signHash(sandbox, signer, randomBytes(10));
    const right = await sandbox.smsCode(signer.phone);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const first = await confirm(sandbox, signer, signed.OperationId, wrong);
    assert.deepEqual([first.status, first.body.Code, first.body.AttemptsLeft], [400, 'InvalidConfirmationCode', 2]);
    assert.equal((await getStatus(sandbox, signed.OperationId)).OperationStatus, 7);
    await confirm(sandbox, signer, signed.OperationId, wrong);
    const third = await confirm(sandbox, signer, signed.OperationId, wrong);
    assert.deepEqual([third.status, third.body.Code], [400, 'ConfirmationAttemptsExceeded']);
    const status = await getStatus(sandbox, signed.OperationId);
    assert.equal(status.OperationStatus, 8);
    assert.equal(status.FileStatuses[0].Status, 2);
    assert.equal((await confirm(sandbox, signer, signed.OperationId, right)).status, 400, 'the right code is too late');
  });

  it('9 StartConfirmationFailed when the SMS cannot be sent', async () => {
    await faults({ smsFailureRate: 1 });
    try {
      const signed = await signHash(sandbox, signer, randomBytes(10));
      const status = await getStatus(sandbox, signed.OperationId);
      assert.equal(status.OperationStatus, 9);
      assert.equal(status.FileStatuses[0].Status, 2);
      assert.equal((await confirm(sandbox, signer, signed.OperationId, '123456')).body.Code, 'StartConfirmationFailed');
    } finally {
      await faults({});
    }
  });

  it('5 Crashed when signing fails after the code was accepted', async () => {
    const signed = await signHash(sandbox, signer, randomBytes(10));
    await faults({ signingFailureRate: 1 });
    try {
      assert.equal((await confirm(sandbox, signer, signed.OperationId)).status, 200);
      const status = await waitFor('the crash', async () => {
        const current = await getStatus(sandbox, signed.OperationId);
        return current.OperationStatus === 5 ? current : false;
      });
      assert.deepEqual([status.FileStatuses[0].Status, status.FileStatuses[0].ErrorCode, status.FileStatuses[0].ResultSize], [2, 1, 0]);
      assert.match(status.FileStatuses[0].ErrorId!, GUID);
    } finally {
      await faults({});
    }
  });

  it('4 Timeout when nobody confirms in time (applied when the operation is read)', async () => {
    const signed = await signHash(sandbox, signer, randomBytes(10));
    const code = await sandbox.smsCode(signer.phone);
    const status = await waitFor('the operation to expire', async () => {
      const current = await getStatus(sandbox, signed.OperationId);
      return current.OperationStatus === 4 ? current : false;
    }, CONFIRMATION_MS * 10);
    assert.equal(status.FileStatuses[0].Status, 2);
    const late = await confirm(sandbox, signer, signed.OperationId, code);
    assert.deepEqual([late.status, late.body.Code], [400, 'OperationExpired']);
  });

  it('1 InProgress while it signs; several files each get their own result', async () => {
    const files = [randomBytes(50), randomBytes(60)];
    const signed = await cloud(sandbox, 'POST', 'Sign', {
      json: { Thumbprint: signer.thumbprint, FileHashes: files.map((content, i) => ({ FileName: `f${i}`, HashContent: streebogHex(content) })), SignType: 3 },
    });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    // Signing is made to take a while, so that InProgress can be seen.
    await faults({ signingDelayMs: 800 });
    try {
      await confirm(sandbox, signer, signed.body.OperationId);
      const working = await waitFor('InProgress', async () => {
        const current = await getStatus(sandbox, signed.body.OperationId);
        assert.ok([0, 1].includes(current.OperationStatus), `status ${current.OperationStatus}`);
        return current.OperationStatus === 1 ? current : false;
      });
      assert.deepEqual(working.FileStatuses.map((f) => [f.Status, f.ResultSize, f.ResultId]), [[0, 0, null], [0, 0, null]]);
    } finally {
      await faults({});
    }
    const done = await completed(sandbox, signed.body.OperationId);
    assert.equal(done.FileStatuses.length, 2);
    assert.notEqual(done.FileStatuses[0].ResultId, done.FileStatuses[1].ResultId);
    assert.deepEqual(done.FileStatuses.map((f) => f.Hash), files.map((content) => streebogHex(content).toUpperCase()));
  });

  it('answers unknown operations with 404 in the cloud API\'s shape', async () => {
    const missing = await cloud(sandbox, 'GET', 'GetStatus', { query: { operationId: '00000000-0000-0000-0000-000000000001' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.Code, 'OperationNotFound');
  });
});
