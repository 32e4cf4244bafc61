// The cloud-signature sandbox over HTTP and the cloud client against it: resumable uploads
// (CreateFile answers the bytes already received), the MD5 check, the 16 MiB chunk limit,
// SerializedFiles, a signer given by CertificateBase64, GetResult in several pages, expiry of
// unconfirmed operations, the client identity (`certificate`), and the `timeoutRate` fault with
// the client's behaviour: safe calls are retried, Sign is not, and a Confirm whose answer was
// lost is settled by GetStatus instead of sending the code again. Also the bridge's side:
// fileStatuses name the document, and deleting documents removes their blob when no row
// references it any more.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pino from 'pino';
import { eq } from 'drizzle-orm';
import { startTestServer, type TestServer } from '../support/server.ts';
import { expectStatus, ONE_PIXEL_PNG, waitFor } from '../issuance/helpers.ts';
import { blobs as blobRows, employeeCertificates } from '../../src/store/schema/index.ts';
import { CloudClient } from '../../src/kontur/cloud-client.ts';
import { HttpTransport } from '../../src/kontur/http-transport.ts';
import { CloudUnauthorizedError, CloudUnavailableError, CloudValidationError } from '../../src/kontur/cloud-errors.ts';
import { SANDBOX_CLOUD_CLIENT_THUMBPRINT } from '../../src/domain/sandbox-defaults.ts';
import { checkSignatureByDigest } from '../../src/services/signature-verification.ts';
import { parseCertificate } from '../../src/crypto/x509.ts';
import { Streebog, toHex } from '../../src/crypto/streebog.ts';
import { signerWithCloudCertificate, smsCode, startSigning, uploadDocument, waitForFinalStatus, wrongCode, type Signer } from './helpers.ts';

/** Unconfirmed sandbox operations expire after this long in this file (SANDBOX_CLOUD_CONFIRMATION_MS). */
const CONFIRMATION_MS = 4_000;
const MiB = 1024 * 1024;
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const streebogHex = (bytes: Buffer) => toHex(new Streebog('streebog256').update(bytes).digest());

describe('the cloud-signature sandbox and the cloud client', () => {
  let t: TestServer;
  let admin: string;
  let signer: Signer;
  let base: string;

  /** A raw call of the sandbox API as the allowed client (or as `certificate`). */
  async function cloud(method: string, path: string, query: Record<string, string | number> = {}, init: { body?: Buffer | string; json?: unknown; certificate?: string | null } = {}) {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    if (init.certificate !== null) params.set('certificate', init.certificate ?? SANDBOX_CLOUD_CLIENT_THUMBPRINT);
    const headers: Record<string, string> = {};
    let body: Buffer | string | undefined = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (body !== undefined) headers['content-type'] = 'application/octet-stream';
    const response = await fetch(`${base}${path}?${params}`, { method, headers, body });
    const bytes = Buffer.from(await response.arrayBuffer());
    const json = (response.headers.get('content-type') ?? '').includes('json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined;
    return { status: response.status, json, bytes, headers: response.headers };
  }

  function client(options: { timeoutMs?: number; thumbprint?: string; resultPageBytes?: number } = {}): CloudClient {
    const logger = pino({ level: 'silent' });
    return new CloudClient(
      new HttpTransport(logger),
      async () => ({ address: `${base}/`, clientThumbprint: options.thumbprint ?? SANDBOX_CLOUD_CLIENT_THUMBPRINT, timeoutMs: options.timeoutMs ?? 10_000 }),
      logger,
      MiB,
      options.resultPageBytes,
    );
  }

  async function setFaults(body: Record<string, number>) {
    return (await expectStatus(t, 200, 'PUT', '/sandbox/console/cloud/faults', { token: admin, body })).body;
  }

  /** The owner declines every operation still waiting for a code (Kontur allows one at a time per owner). */
  async function declineWaiting() {
    const listed = await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/operations', { token: admin });
    for (const operation of listed.body.operations.filter((o: { status: number }) => o.status === 7)) {
      await expectStatus(t, 200, 'POST', `/sandbox/console/cloud/operations/${operation.operationId}/cancel`, { token: admin });
    }
  }

  async function sandboxOperation(operationId: string) {
    const listed = await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/operations', { token: admin });
    return listed.body.operations.find((o: { operationId: string }) => o.operationId === operationId);
  }

  /** Waits for a sandbox operation to complete and returns its first file status. */
  async function completedFile(operationId: string) {
    return waitFor('the sandbox to sign', async () => {
      const status = await cloud('GET', '/GetStatus', { operationId });
      assert.equal(status.status, 200, JSON.stringify(status.json));
      return status.json.OperationStatus === 2 ? status.json.FileStatuses[0] : false;
    });
  }

  async function trustedRoot() {
    const root = await fetch(`${t.url}/sandbox/ca/root.cer`);
    return parseCertificate(new Uint8Array(await root.arrayBuffer()));
  }

  before(async () => {
    t = await startTestServer({
      SANDBOX_ACTUALIZATION_MS: '50',
      ISSUE_EVENTS_POLL_MS: '100',
      SIGN_UPLOAD_MAX_BYTES: String(64 * 1024),
      SANDBOX_CLOUD_CONFIRMATION_MS: String(CONFIRMATION_MS),
    });
    base = `${t.url}/sandbox/cloud/v3`;
    admin = await t.token();
    signer = await signerWithCloudCertificate(t, admin);
  });
  after(async () => {
    await t?.close();
  });

  it('refuses a missing client identity with 401 and a wrong one with 403; the client reports it typed', async () => {
    const query = { md5: md5(Buffer.from('x')), length: 1, fileName: 'x.txt' };
    const missing = await cloud('POST', '/CreateFile', query, { certificate: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.json.Code, 'Unauthorized');
    const wrong = await cloud('POST', '/CreateFile', query, { certificate: 'AB'.repeat(20) });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.json.Code, 'Forbidden');
    // The same thumbprint written with colons and in lower case is the same identity.
    const formatted = SANDBOX_CLOUD_CLIENT_THUMBPRINT.toLowerCase().match(/../g)!.join(':');
    assert.equal((await cloud('POST', '/CreateFile', query, { certificate: formatted })).status, 200);
    await assert.rejects(client({ thumbprint: 'CD'.repeat(20) }).getStatus('00000000-0000-0000-0000-000000000000'), (error) => error instanceof CloudUnauthorizedError && error.status === 403);
  });

  it('resumes an interrupted upload from the Length CreateFile answers', async () => {
    const content = randomBytes(3 * MiB + 123);
    const announce = { md5: md5(content), length: content.length, fileName: `resume-${randomBytes(3).toString('hex')}.bin` };
    const created = await cloud('POST', '/CreateFile', announce);
    assert.equal(created.status, 200);
    assert.equal(created.json.Length, 0);
    const first = await cloud('POST', '/UploadChunk', { fileId: created.json.FileId, offset: 0 }, { body: content.subarray(0, MiB + 5) });
    assert.deepEqual(first.json, { FileId: created.json.FileId, Length: MiB + 5 });
    // The upload is interrupted here. Announcing the same file again gives the same file and
    // the bytes already received.
    const again = await cloud('POST', '/CreateFile', announce);
    assert.deepEqual(again.json, { FileId: created.json.FileId, Length: MiB + 5 });
    // A chunk past what was received is refused with the Length to resume from.
    const gap = await cloud('POST', '/UploadChunk', { fileId: created.json.FileId, offset: 2 * MiB }, { body: content.subarray(2 * MiB, 2 * MiB + 10) });
    assert.equal(gap.status, 409);
    assert.equal(gap.json.Length, MiB + 5);
    // The client resumes: it reads only from the received length on.
    const reads: number[] = [];
    const fileId = await client().uploadFile({
      fileName: announce.fileName,
      length: content.length,
      md5Hex: announce.md5,
      read: async (offset, size) => {
        reads.push(offset);
        return content.subarray(offset, offset + size);
      },
    });
    assert.equal(fileId, created.json.FileId);
    assert.equal(reads[0], MiB + 5);
    assert.deepEqual(reads, [MiB + 5, 2 * MiB + 5, 3 * MiB + 5]);
    // The complete file signs; the signature is over exactly these bytes.
    const signed = await cloud('POST', '/Sign', {}, { json: { Thumbprint: signer.thumbprint, FileIds: [fileId], SignType: 0 } });
    assert.equal(signed.status, 200, JSON.stringify(signed.json));
    assert.equal((await cloud('POST', '/Confirm', { operationId: signed.json.OperationId, confirmationCode: await smsCode(t, admin, signer.phone) })).status, 200);
    const file = await completedFile(signed.json.OperationId);
    const cms = (await cloud('GET', '/GetResult', { resultId: file.ResultId })).bytes;
    const check = checkSignatureByDigest(cms, streebogHex(content), [await trustedRoot()], signer.thumbprint);
    assert.equal(check.valid, true, check.message);
  });

  it('checks the MD5 of a finished upload: a mismatch resets the file, and the client gets a typed error', async () => {
    const content = randomBytes(200_000);
    const announce = { md5: md5(randomBytes(16)), length: content.length, fileName: 'wrong-md5.bin' };
    const created = await cloud('POST', '/CreateFile', announce);
    const mismatch = await cloud('POST', '/UploadChunk', { fileId: created.json.FileId, offset: 0 }, { body: content });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.Code, 'Md5Mismatch');
    assert.equal(mismatch.json.Length, 0);
    // Nothing of it is kept: the file starts over and cannot be signed.
    assert.equal((await cloud('POST', '/CreateFile', announce)).json.Length, 0);
    const refused = await cloud('POST', '/Sign', {}, { json: { Thumbprint: signer.thumbprint, FileIds: [created.json.FileId] } });
    assert.equal(refused.status, 400);
    assert.equal(refused.json.Code, 'FileIncomplete');
    await assert.rejects(
      client().uploadFile({ fileName: 'wrong-md5-client.bin', length: content.length, md5Hex: announce.md5, read: async (offset, size) => content.subarray(offset, offset + size) }),
      (error) => error instanceof CloudValidationError && error.code === 'Md5Mismatch',
    );
  });

  it('answers 413 to a chunk over 16 MiB and keeps nothing of it', async () => {
    const length = 16 * MiB + 1;
    const announce = { md5: md5(Buffer.from('whatever')), length, fileName: 'too-big-chunk.bin' };
    const created = await cloud('POST', '/CreateFile', announce);
    const tooBig = await cloud('POST', '/UploadChunk', { fileId: created.json.FileId, offset: 0 }, { body: Buffer.alloc(length) });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.json.Code, 'ChunkTooLarge');
    assert.equal((await cloud('POST', '/CreateFile', announce)).json.Length, 0);
  });

  it('signs SerializedFiles, with the signer given by CertificateBase64, and serves the result in pages', async () => {
    const [certificate] = await t.server.database.db.select({ der: employeeCertificates.der }).from(employeeCertificates).where(eq(employeeCertificates.thumbprint, signer.thumbprint));
    const content = Buffer.from('Приказ № 7: подписан в облаке по сериализованному файлу');
    const signed = await cloud('POST', '/Sign', {}, {
      json: { CertificateBase64: Buffer.from(certificate.der).toString('base64'), SerializedFiles: [{ Id: 'order-7', FileName: 'order.txt', ContentBase64: content.toString('base64') }], SignType: 0 },
    });
    assert.equal(signed.status, 200, JSON.stringify(signed.json));
    assert.equal(signed.json.PhoneLastNumbers, signer.phone.slice(-4));
    assert.equal((await sandboxOperation(signed.json.OperationId)).signerThumbprint, signer.thumbprint);
    assert.equal((await cloud('POST', '/Confirm', { operationId: signed.json.OperationId, confirmationCode: await smsCode(t, admin, signer.phone) })).status, 200);
    const file = await completedFile(signed.json.OperationId);
    assert.equal(file.FileId, 'order-7');
    assert.equal(file.FileName, 'order.txt');

    const whole = await cloud('GET', '/GetResult', { resultId: file.ResultId });
    assert.equal(whole.bytes.length, file.ResultSize);
    assert.equal(whole.headers.get('x-result-size'), String(file.ResultSize));
    const check = checkSignatureByDigest(whole.bytes, streebogHex(content), [await trustedRoot()], signer.thumbprint);
    assert.equal(check.valid, true, check.message);
    // Page by page over HTTP, then through the client with small pages: the same bytes.
    const pages: Buffer[] = [];
    for (let offset = 0; offset < file.ResultSize; offset += 300) {
      const page = await cloud('GET', '/GetResult', { resultId: file.ResultId, offset, size: 300 });
      assert.equal(page.status, 200);
      assert.equal(page.bytes.length, Math.min(300, file.ResultSize - offset));
      pages.push(page.bytes);
    }
    assert.ok(pages.length >= 3, `the result (${file.ResultSize} bytes) spans several pages`);
    assert.deepEqual(Buffer.concat(pages), whole.bytes);
    assert.deepEqual(await client({ resultPageBytes: 256 }).getResult(file.ResultId, file.ResultSize), whole.bytes);
    const past = await cloud('GET', '/GetResult', { resultId: file.ResultId, offset: file.ResultSize + 1 });
    assert.equal(past.status, 400);
    assert.equal(past.json.Code, 'InvalidOffset');

    const unknown = await cloud('POST', '/Sign', {}, { json: { CertificateBase64: Buffer.from('not a certificate').toString('base64'), FileHashes: [{ FileName: 'x', HashContent: '00'.repeat(32) }] } });
    assert.ok(unknown.status >= 400 && unknown.status < 500, JSON.stringify(unknown.json));
  });

  it('expires an operation not confirmed in time (checked when it is read) and the bridge ends it in error', async () => {
    const document = await uploadDocument(t, signer.token, 'expires.txt', Buffer.from('never confirmed'), 'text/plain');
    const earliestExpiry = Date.now() + CONFIRMATION_MS;
    const started = await startSigning(t, signer, document.id);
    const code = await smsCode(t, admin, signer.phone);
    const operation = await t.server.database.db.query.signOperations.findFirst({ where: (o, { eq: equals }) => equals(o.id, started.operationId) });
    const konturId = operation!.konturOperationId!;
    assert.equal((await cloud('GET', '/GetStatus', { operationId: konturId })).json.OperationStatus, 7, 'AwaitingForConfirmation');
    // Expired once the confirmation time has passed: read until the sandbox says so.
    await waitFor('the operation to expire', async () => (await cloud('GET', '/GetStatus', { operationId: konturId })).json.OperationStatus === 4);
    assert.ok(Date.now() >= earliestExpiry, 'not expired before its confirmation time');
    const late = await cloud('POST', '/Confirm', { operationId: konturId, confirmationCode: code });
    assert.equal(late.status, 400);
    assert.equal(late.json.Code, 'OperationExpired');
    const bridge = await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${started.operationId}`, { token: signer.token });
    assert.equal(bridge.body.data.state, 'error');
    assert.equal(bridge.body.data.errorCode, 'expired');
    assert.match(bridge.body.data.message, /Время на ввод кода из СМС истекло/);
  });

  it('names the document in fileStatuses', async () => {
    const document = await uploadDocument(t, signer.token, 'Акт сверки.txt', Buffer.from('file name in the status'), 'text/plain');
    const started = await startSigning(t, signer, document.id);
    const waiting = await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${started.operationId}`, { token: signer.token });
    assert.deepEqual(waiting.body.data.fileStatuses, [{ documentId: document.id, fileName: 'Акт сверки.txt', state: 'pending', signatureId: null, error: null }]);
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code: await smsCode(t, admin, signer.phone) } });
    const final = await waitForFinalStatus(t, signer.token, started.operationId);
    assert.equal(final.state, 'complete', final.message);
    assert.deepEqual(final.fileStatuses, [{ documentId: document.id, fileName: 'Акт сверки.txt', state: 'signed', signatureId: final.signatureId, error: null }]);
    assert.equal(final.signedCount, 1);
  });

  describe('under the timeoutRate fault (the work is done, the answer is held back)', () => {
    after(() => setFaults({ errorRate: 0, timeoutRate: 0 }));

    it('retries GetStatus (safe) but sends Sign only once', async () => {
      const hash = streebogHex(Buffer.from('held answers'));
      const operation = await cloud('POST', '/Sign', {}, { json: { Thumbprint: signer.thumbprint, FileHashes: [{ FileName: 'held.bin', HashContent: hash }] } });
      assert.equal(operation.status, 200);
      const impatient = client({ timeoutMs: 500 });
      assert.deepEqual((await setFaults({ timeoutRate: 1 })).requestsByMethod, {}, 'the counters start from zero');
      await assert.rejects(impatient.getStatus(operation.json.OperationId), (error) => error instanceof CloudUnavailableError && error.outcomeUnknown);
      const afterStatus = (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/faults', { token: admin })).body;
      assert.equal(afterStatus.requestsByMethod.GetStatus, 4, 'GetStatus is tried four times (the retry policy) before giving up');

      const before = (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/operations', { token: admin })).body.operations.length;
      await setFaults({ timeoutRate: 1 });
      await assert.rejects(
        impatient.sign({ Thumbprint: signer.thumbprint, FileHashes: [{ FileName: 'held.bin', HashContent: hash }], SignType: 0 }),
        (error) => error instanceof CloudUnavailableError && error.outcomeUnknown,
      );
      const faults = (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/faults', { token: admin })).body;
      await setFaults({ timeoutRate: 0 });
      assert.equal(faults.requestsByMethod.Sign, 1, 'Sign is never repeated by the client');
      // ... because the sandbox did the work: the operation exists although the answer was lost.
      const listed = (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/operations', { token: admin })).body.operations.length;
      assert.equal(listed, before + 1);
      await declineWaiting();
    });

    it('settles a Confirm whose answer was lost with GetStatus instead of sending the code again', async () => {
      await expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token: admin, body: { RestClientMaxTimeout: 1000 } });
      try {
        const document = await uploadDocument(t, signer.token, 'lost-answer.txt', Buffer.from('confirm, answer lost'), 'text/plain');
        const started = await startSigning(t, signer, document.id);
        const code = await smsCode(t, admin, signer.phone);
        const operation = await t.server.database.db.query.signOperations.findFirst({ where: (o, { eq: equals }) => equals(o.id, started.operationId) });
        await setFaults({ timeoutRate: 1 });
        const confirmation = expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code } });
        // Once the Confirm is held (the sandbox confirmed it; the bridge will not see the answer),
        // the faults stop, so that what the bridge does next is visible in the counters.
        await waitFor('the Confirm to be held', async () => (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/faults', { token: admin })).body.injected.timeouts >= 1, 5_000);
        await setFaults({ timeoutRate: 0 });
        const confirmed = await confirmation;
        assert.ok(['InProgress', 'Complete'].includes(confirmed.body.data.signStatusName), JSON.stringify(confirmed.body));
        const seen = (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/faults', { token: admin })).body.requestsByMethod;
        assert.equal(seen.Confirm, undefined, `the code was not sent again: ${JSON.stringify(seen)}`);
        assert.ok(seen.GetStatus >= 1, `the bridge asked GetStatus: ${JSON.stringify(seen)}`);
        const final = await waitForFinalStatus(t, signer.token, started.operationId);
        assert.equal(final.state, 'complete', final.message);
        assert.equal((await sandboxOperation(operation!.konturOperationId!)).wrongAttempts, 0);

        // A wrong code whose answer is lost is not retried either: the operation still waits.
        const second = await startSigning(t, signer, (await uploadDocument(t, signer.token, 'lost-wrong.txt', Buffer.from('wrong code, answer lost'), 'text/plain')).id);
        const right = await smsCode(t, admin, signer.phone);
        await setFaults({ timeoutRate: 1 });
        const lost = t.request('POST', `/api/v1/sign-operations/${second.operationId}/confirmation`, { token: signer.token, body: { code: wrongCode(right) } });
        await waitFor('the Confirm to be held', async () => (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/faults', { token: admin })).body.injected.timeouts >= 1, 5_000);
        await setFaults({ timeoutRate: 0 });
        const answer = await lost;
        assert.equal(answer.status, 504, JSON.stringify(answer.body));
        assert.match(answer.body.detail, /введите код ещё раз/);
        const again = (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/faults', { token: admin })).body.requestsByMethod;
        assert.equal(again.Confirm, undefined, 'the wrong code was sent once');
        const secondOperation = await t.server.database.db.query.signOperations.findFirst({ where: (o, { eq: equals }) => equals(o.id, second.operationId) });
        assert.equal((await sandboxOperation(secondOperation!.konturOperationId!)).wrongAttempts, 1);
        await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${second.operationId}/confirmation`, { token: signer.token, body: { code: right } });
        assert.equal((await waitForFinalStatus(t, signer.token, second.operationId)).state, 'complete');
      } finally {
        await setFaults({ timeoutRate: 0 });
        await expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token: admin, body: { RestClientMaxTimeout: 60_000 } });
      }
    });
  });

  it('deletes the blob of a deleted document once no document or scan references it', async () => {
    const content = randomBytes(100_000);
    const first = await uploadDocument(t, signer.token, 'shared-1.bin', content);
    const second = await uploadDocument(t, signer.token, 'shared-2.bin', content);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const path = blobPath(t, sha256);
    assert.ok(existsSync(path));
    await expectStatus(t, 204, 'DELETE', `/api/v1/documents/${first.id}`, { token: signer.token });
    assert.ok(existsSync(path), 'the other document still holds the bytes');
    await expectStatus(t, 200, 'GET', `/api/v1/documents/${second.id}/content`, { token: signer.token });
    await expectStatus(t, 204, 'DELETE', `/api/v1/documents/${second.id}`, { token: signer.token });
    assert.equal(existsSync(path), false, 'the last reference is gone: so is the file');
    assert.deepEqual(await t.server.database.db.select().from(blobRows).where(eq(blobRows.sha256, sha256)), []);

    // The same bytes as a passport scan of the signer's issue: the scan keeps the blob.
    const scanLike = await uploadDocument(t, signer.token, 'point.png', ONE_PIXEL_PNG, 'image/png');
    const scanPath = blobPath(t, createHash('sha256').update(ONE_PIXEL_PNG).digest('hex'));
    await expectStatus(t, 204, 'DELETE', `/api/v1/documents/${scanLike.id}`, { token: signer.token });
    assert.ok(existsSync(scanPath), 'an issue scan still references the bytes');
  });
});

function blobPath(t: TestServer, sha256: string): string {
  return `${t.dataDir}/blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}
