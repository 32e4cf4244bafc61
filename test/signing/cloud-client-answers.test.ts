// The cloud client against recorded answers in the real service's shapes (docs/kontur-api.md §6),
// served by a scripted stand-in, no sandbox: all ten OperationStatus values as numbers, numeric
// strings and names, values it has never seen (logged, never a crash), FileStatuses read by
// FileId, Hash, Status, ErrorId, ErrorCode, ResultId, ResultSize, ResultMD5 with missing, null and
// extra fields, Sign's answer with AdditionalDssInfo, Confirm's JSON, ResultMD5 checked on the
// result; and how each status maps to the seed's DssSignStatus with a Russian reason per failure.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { CloudClient } from '../../src/kontur/cloud-client.ts';
import { CloudProtocolError } from '../../src/kontur/cloud-errors.ts';
import { HttpTransport } from '../../src/kontur/http-transport.ts';
import { CLOUD_OPERATION_STATUSES, type CloudOperationStatusName } from '../../src/kontur/cloud-types.ts';
import { cloudFailure, cloudFileFailure } from '../../src/services/cloud-failures.ts';
import { DSS_SIGN_STATUS, dssSignStatusOfCloud } from '../../src/services/sign-status.ts';
import { startFakeCloud, type FakeCloud } from '../support/fake-cloud.ts';

const OPERATION = '8b0f7c52-2f4e-4d3c-9a0e-5c1f0b9f1a11';
const RESULT = 'c1d2e3f4-0000-4000-8000-000000000001';

/** GetStatus as the C# and Python clients read it, with a field this client has never seen. */
function recordedStatus(status: unknown, files: unknown = [
  { FileId: 'f3c6b1d0-1111-4222-8333-944455556666', Hash: 'A1B2', Status: 1, ErrorId: null, ErrorCode: 0, ResultId: RESULT, ResultSize: 1234, ResultMD5: 'ABCDEF', Signer: { Name: 'new field' } },
]) {
  return { OperationId: OPERATION, OperationStatus: status, FileStatuses: files, ServerTime: '2026-01-01T00:00:00Z' };
}

describe('the cloud client reads every answer the real service gives', () => {
  let fake: FakeCloud;
  let client: CloudClient;
  const logLines: { level: number; msg: string; field?: string; value?: unknown }[] = [];
  let thumbprint: string | undefined = 'AB'.repeat(20);

  before(async () => {
    fake = await startFakeCloud();
    const logger = pino({ level: 'warn' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
    client = new CloudClient(new HttpTransport(logger), async () => ({ address: fake.address, clientThumbprint: thumbprint, timeoutMs: 5_000 }), logger, 1024 * 1024, 100);
  });
  after(async () => {
    await fake.close();
  });

  it('reads Sign\'s answer (AdditionalDssInfo, ConfirmType as number, numeric string or name) and sends what Kontur expects', async () => {
    const answers = [
      { OperationId: OPERATION, ConfirmType: 1, PhoneLastNumbers: '4321', AdditionalDssInfo: { DssOperator: 2 }, Unexpected: [1, 2] },
      { OperationId: OPERATION, ConfirmType: 'MyDss', PhoneLastNumbers: null, AdditionalDssInfo: null },
      { OperationId: OPERATION, ConfirmType: '4' },
    ];
    fake.on('Sign', () => ({ json: answers.shift() }));
    const first = await client.sign({ Thumbprint: 'CD'.repeat(20), FileHashes: [{ FileName: 'a.txt', HashContent: '00'.repeat(32) }], ConfirmMessage: { Template: 0 }, SignType: 0 });
    assert.deepEqual(first, { OperationId: OPERATION, ConfirmType: 1, PhoneLastNumbers: '4321', AdditionalDssInfo: { DssOperator: 2 } });
    const sent = fake.calls.at(-1)!;
    assert.equal(sent.query.get('certificate'), 'AB'.repeat(20));
    assert.match(String(sent.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(sent.body.toString('utf8')).ConfirmMessage, { Template: 0 }, 'Template is the enumeration, not a text');
    assert.deepEqual(await client.sign({ Thumbprint: 'CD'.repeat(20), FileHashes: [] }), { OperationId: OPERATION, ConfirmType: 2, PhoneLastNumbers: null, AdditionalDssInfo: null });
    assert.equal((await client.sign({ Thumbprint: 'CD'.repeat(20), FileHashes: [] })).ConfirmType, 4);
    fake.on('Sign', () => ({ json: { ConfirmType: 1 } }));
    await assert.rejects(client.sign({ Thumbprint: 'CD'.repeat(20), FileHashes: [] }), (error) => error instanceof CloudProtocolError && error.code === 'NoOperationId');
  });

  it('reads all ten OperationStatus values as numbers, numeric strings and names', async () => {
    for (const [index, name] of CLOUD_OPERATION_STATUSES.entries()) {
      for (const value of [index, String(index), name, name.toUpperCase()]) {
        fake.on('GetStatus', () => ({ json: recordedStatus(value) }));
        const state = await client.getStatus(OPERATION);
        assert.equal(state.status, name, JSON.stringify(value));
        assert.equal(state.operationId, OPERATION);
        assert.deepEqual(state.rawStatus, value);
      }
    }
  });

  it('keeps a status or file value it does not know as Unrecognized, and logs it once', async () => {
    logLines.length = 0;
    for (const value of [42, 'Paused', 42]) {
      fake.on('GetStatus', () => ({ json: recordedStatus(value, [{ FileId: 'x', Status: 7, ErrorCode: 'Quantum' }]) }));
      const state = await client.getStatus(OPERATION);
      assert.equal(state.status, 'Unrecognized');
      assert.equal(state.files[0].status, 'Unrecognized');
      assert.equal(state.files[0].errorCode, 'Unrecognized');
    }
    const warnings = logLines.filter((line) => line.level === 40);
    assert.deepEqual(warnings.map((w) => [w.field, w.value]), [['OperationStatus', 42], ['FileStatuses.Status', 7], ['FileStatuses.ErrorCode', 'Quantum'], ['OperationStatus', 'Paused']]);
  });

  it('reads FileStatuses by the real fields; missing, null and extra ones do not matter', async () => {
    fake.on('GetStatus', () => ({ json: recordedStatus(2) }));
    assert.deepEqual((await client.getStatus(OPERATION)).files, [{
      fileId: 'f3c6b1d0-1111-4222-8333-944455556666', fileName: null, hash: 'A1B2', status: 'Completed', errorId: null, errorCode: 'None', error: null,
      resultId: RESULT, resultSize: 1234, resultMd5: 'ABCDEF',
    }]);
    fake.on('GetStatus', () => ({ json: recordedStatus(5, [{ FileId: 'f1', Status: 'Error', ErrorId: 'e-1', ErrorCode: 1, ResultId: null, ResultSize: null }, { FileName: 'older.txt', Error: 'текст ошибки', ResultSize: '17' }, null]) }));
    const files = (await client.getStatus(OPERATION)).files;
    assert.deepEqual(files.map((f) => [f.status, f.errorCode, f.resultSize, f.resultId]), [['Error', 'Unknown', 0, null], ['Unrecognized', 'None', 17, null], ['Unrecognized', 'None', 0, null]]);
    assert.equal(files[1].fileName, 'older.txt');
    assert.equal(files[1].error, 'текст ошибки');
    fake.on('GetStatus', () => ({ json: { OperationId: OPERATION, OperationStatus: 7, FileStatuses: null } }));
    assert.deepEqual((await client.getStatus(OPERATION)).files, []);
    fake.on('GetStatus', () => ({ json: { OperationId: OPERATION } }));
    await assert.rejects(client.getStatus(OPERATION), (error) => error instanceof CloudProtocolError && error.code === 'NoOperationStatus');
  });

  it('reads Confirm\'s JSON answer, and an empty one', async () => {
    fake.on('Confirm', () => ({ json: { OperationId: OPERATION, OperationStatus: 0 } }));
    assert.equal((await client.confirm(OPERATION, '123456'))?.status, 'Enqueued');
    fake.on('Confirm', () => ({ status: 200 }));
    assert.equal(await client.confirm(OPERATION, '123456'), undefined);
  });

  it('checks ResultMD5: a mismatch is read once more, a second one is a protocol error; an unknown size reads to the end', async () => {
    const signature = Buffer.from('0'.repeat(250));
    const md5 = createHash('md5').update(signature).digest('hex').toUpperCase();
    let corrupt = 1;
    fake.on('GetResult', (call) => {
      const offset = Number(call.query.get('offset'));
      const bytes = Buffer.from(signature.subarray(offset, offset + Number(call.query.get('size'))));
      if (corrupt > 0 && offset === 0) {
        corrupt--;
        bytes[0] ^= 1;
      }
      return { bytes };
    });
    assert.deepEqual(await client.getResult(RESULT, signature.length, md5), signature);
    corrupt = 2;
    await assert.rejects(client.getResult(RESULT, signature.length, md5), (error) => error instanceof CloudProtocolError && error.code === 'ResultCorrupted');
    corrupt = 0;
    assert.deepEqual(await client.getResult(RESULT, 0, md5.toLowerCase()), signature, 'ResultSize 0: pages until a short one');
  });

  it('leaves the certificate parameter out when the transport identifies the client', async () => {
    thumbprint = undefined;
    try {
      fake.on('GetStatus', () => ({ json: recordedStatus(7) }));
      await client.getStatus(OPERATION);
      assert.equal(fake.calls.at(-1)!.query.has('certificate'), false);
    } finally {
      thumbprint = 'AB'.repeat(20);
    }
  });
});

describe('each OperationStatus as the seed\'s DssSignStatus, with a Russian reason for every failure', () => {
  it('maps all ten (and an unknown value)', () => {
    const expected: Record<CloudOperationStatusName | 'Unrecognized', keyof typeof DSS_SIGN_STATUS> = {
      Enqueued: 'InProgress', InProgress: 'InProgress', Completed: 'Complete', CanceledByUser: 'Error', Timeout: 'Error', Crashed: 'Error',
      UserHasUnconfirmedOperation: 'Error', AwaitingForConfirmation: 'WaitingUser', ExceededConfirmationAttemptsCount: 'Error', StartConfirmationFailed: 'Error',
      Unrecognized: 'Unknown',
    };
    for (const [status, dss] of Object.entries(expected)) assert.equal(dssSignStatusOfCloud(status as CloudOperationStatusName), dss, status);
    // "Greater than 1 means finished" is wrong: 7 is waiting.
    assert.equal(DSS_SIGN_STATUS[dssSignStatusOfCloud(CLOUD_OPERATION_STATUSES[7])], DSS_SIGN_STATUS.WaitingUser);
  });

  it('gives every failure its own code and a Russian reason', () => {
    const failures = (['CanceledByUser', 'Timeout', 'Crashed', 'UserHasUnconfirmedOperation', 'ExceededConfirmationAttemptsCount', 'StartConfirmationFailed'] as const).map((status) => cloudFailure(status));
    assert.equal(new Set(failures.map((f) => f.code)).size, failures.length);
    for (const failure of failures) assert.match(failure.message, /^[А-ЯЁ][^a-z]*[а-яё]/, failure.message);
    assert.deepEqual(failures.map((f) => f.code), ['cancelled-by-user', 'expired', 'kontur-crashed', 'unconfirmed-operation-exists', 'wrong-code-limit', 'sms-not-sent']);
    assert.match(cloudFailure('Unrecognized', 42).message, /статус 42/);
    assert.match(cloudFileFailure({ fileId: null, fileName: null, hash: null, status: 'Error', errorId: null, errorCode: 'Declined', error: null, resultId: null, resultSize: 0, resultMd5: null }).message, /отклонил/);
  });
});
